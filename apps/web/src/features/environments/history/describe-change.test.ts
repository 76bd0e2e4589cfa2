import { type AuditEvent, definitionFrom } from '@envdesk/domain';
import { anEnvironment } from '@envdesk/domain/testing';
import { describe, expect, it } from 'vitest';
import { formatValue, restoreChanges, viaText } from './describe-change';

describe('describing a recorded change', () => {
  it('says how it arrived, naming the file', () => {
    expect(viaText({ via: 'tab', file: null })).toBe('in the Environments tab');
    expect(viaText({ via: 'file', file: '/etc/envdesk/environments.yaml' })).toBe('from the environments file /etc/envdesk/environments.yaml');
    expect(viaText({ via: 'api', file: null })).toBe('through the API');
  });

  it('shows versions with their paths, mounts, grants and empty values readably', () => {
    expect(formatValue('python', { installations: [{ version: '3.11.9', path: '/opt/python/3.11.9/bin/python' }] })).toBe('3.11.9 (/opt/python/3.11.9/bin/python)');
    expect(formatValue('r', { installations: [] })).toBe('none');
    expect(formatValue('title', null)).toBe('—');
    expect(formatValue('matching', 'exact')).toBe('exact');
    expect(
      formatValue('volume_mounts', [{ source: { volume_type: 'pvc', pvc_name: 'data' }, target: { path: '/mnt/data', read_only: true } }]),
    ).toBe('pvc data → /mnt/data (read-only)');
    expect(formatValue('permissions', { user_guid: 'u-1', group_guid: null })).toBe('user u-1');
    expect(formatValue('managed_by', 'config-file')).toBe('the environments file');
    // Something no rule knows still shows, as its JSON.
    expect(formatValue('volume_mounts', [{ odd: 1 }])).toBe('[{"odd":1}]');
  });

  it('lists what a restore would change, and nothing for an event without a state', () => {
    const state = { ...definitionFrom({ name: 'ghcr.io/org/x:1', title: 'Then' }), managed_by: null };
    const current = anEnvironment({ ...state, title: 'Now', matching: 'exact' });
    const event = { state } as unknown as AuditEvent;
    expect(restoreChanges(current, event)?.map((change) => [change.field, change.before, change.after])).toEqual([
      ['title', 'Now', 'Then'],
      ['matching', 'exact', 'any'],
    ]);
    expect(restoreChanges(current, { state: null } as unknown as AuditEvent)).toBeNull();
  });
});
