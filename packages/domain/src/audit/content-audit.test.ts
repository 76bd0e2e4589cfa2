import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from './audit-actions.js';
import { contentChange, contentDeploy, contentVariablesChange } from './content-audit.js';

const content = { guid: '0b6d1c6e-5a0c-4a53-9a4a-2f1c9b1d0e11', name: 'sales', title: 'Sales report', description: '', access_type: 'acl' };

describe('content audit events', () => {
  it('lists the settings an update changed, by name', () => {
    const event = contentChange('update', content, { ...content, access_type: 'logged_in', description: 'Quarterly' });
    expect(event).toMatchObject({ action: 'update_application', event_description: 'Updated content Sales report (sales) (description, access_type)' });
  });

  it('records the bundle and the environment a deploy put in place', () => {
    const event = contentDeploy(content, { bundle_id: null, image_name: null, environment_guid: null }, { bundle_id: 7, image_name: 'ghcr.io/org/py:3.12', environment_guid: null });
    expect(event.changes).toEqual([
      { field: 'bundle_id', before: null, after: '7' },
      { field: 'image_name', before: null, after: 'ghcr.io/org/py:3.12' },
    ]);
  });

  it('says which variables were set or removed, never their values', () => {
    const event = contentVariablesChange(content, ['OLD', 'KEPT'], ['KEPT', 'NEW'], ['KEPT', 'NEW']);
    expect(event.changes).toEqual([
      { field: 'environment.KEPT', before: 'set', after: 'set' },
      { field: 'environment.NEW', before: null, after: 'set' },
      { field: 'environment.OLD', before: 'set', after: null },
    ]);
    expect(event.event_description).toBe('Environment variables of content Sales report (sales): set KEPT, NEW; removed OLD');
  });

  it('describes every action it records', () => {
    const actions = AUDIT_ACTIONS.map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['add_user', 'deploy_application', 'update_environment']));
    expect(new Set(actions).size).toBe(actions.length);
  });
});
