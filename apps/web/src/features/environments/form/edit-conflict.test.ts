import { ApiError, ErrorCode, environmentEtag } from '@envdesk/domain';
import { anEnvironment } from '@envdesk/domain/testing';
import { describe, expect, it } from 'vitest';
import { editConflictFrom } from '../api/edit-conflict-error';
import { conflictRows, describeValue } from './edit-conflict';
import { formValuesFrom } from './environment-form-values';

const opened = anEnvironment({
  title: 'Py 3.11',
  description: 'for the data team',
  python: { installations: [{ version: '3.11.9', path: '/opt/python/3.11.9/bin/python' }] },
});

describe('conflictRows', () => {
  it('lists only the fields they changed, with my value next to theirs', () => {
    const theirs = { ...opened, title: 'Py 3.11 (theirs)', matching: 'exact' as const, updated_time: '2026-03-01T10:00:01Z' };
    const mine = { ...formValuesFrom(opened), description: 'mine' };
    expect(conflictRows(opened, mine, theirs)).toEqual([
      { field: 'title', label: 'Title', mine: 'Py 3.11', theirs: 'Py 3.11 (theirs)', changedByBoth: false },
      { field: 'matching', label: 'Matching', mine: 'any', theirs: 'exact', changedByBoth: false },
    ]);
  });

  it('marks a field both changed to different values, and compares installations and mounts as values', () => {
    const theirs = {
      ...opened,
      title: 'Theirs',
      python: { installations: [{ path: '/opt/python/3.12.1/bin/python', version: '3.12.1' }] },
      volume_mounts: [{ source: { volume_type: 'pvc' as const, pvc_name: 'shared-data' }, target: { path: '/mnt/data', read_only: true } }],
    };
    const mine = { ...formValuesFrom(opened), title: 'Mine' };
    const rows = conflictRows(opened, mine, theirs);
    expect(rows.map((row) => [row.field, row.changedByBoth])).toEqual([
      ['title', true],
      ['python', false],
      ['volume_mounts', false],
    ]);
    expect(rows[1]).toMatchObject({ mine: '3.11.9 at /opt/python/3.11.9/bin/python', theirs: '3.12.1 at /opt/python/3.12.1/bin/python' });
    expect(rows[2]).toMatchObject({ mine: 'none', theirs: 'claim shared-data → /mnt/data (read-only)' });
  });

  it('is empty when their save changed nothing the form shows', () => {
    expect(conflictRows(opened, formValuesFrom(opened), { ...opened, updated_time: '2027-01-01T00:00:00Z' })).toEqual([]);
  });
});

describe('describeValue', () => {
  it.each([
    ['title', null, '(empty)'],
    ['supervisor', '/bin/sup', '/bin/sup'],
    ['volume_mounts', [{ source: { volume_type: 'nfs', nfs_host: 'files', nfs_export_path: '/export' }, target: { path: '/mnt', read_only: false } }], 'NFS files:/export → /mnt'],
  ])('%s %j reads %s', (field, value, text) => {
    expect(describeValue(field, value)).toBe(text);
  });
});

describe('editConflictFrom', () => {
  const payload = { reason: 'stale', etag: environmentEtag(opened), environment: opened, updated_by: { guid: opened.guid, username: 'ana' } };

  it('reads the payload of a 412', () => {
    expect(editConflictFrom(new ApiError(ErrorCode.BadRequest, 'changed', payload, 412))?.updated_by?.username).toBe('ana');
  });

  it('ignores every other error', () => {
    expect(editConflictFrom(new ApiError(ErrorCode.BadRequest, 'bad', payload, 400))).toBeNull();
    expect(editConflictFrom(new Error('network'))).toBeNull();
  });
});
