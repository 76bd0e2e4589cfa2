import { describe, expect, it } from 'vitest';
import { definitionFrom } from '../environments/environment-schemas.js';
import { environmentChange, environmentPermissionChange } from './environment-audit.js';

const environment = (overrides: Partial<ReturnType<typeof definitionFrom>> = {}) => ({
  guid: '0b6d1c6e-5a0c-4a53-9a4a-2f1c9b1d0e11',
  ...definitionFrom({ name: 'ghcr.io/org/python:3.12', title: 'Python 3.12' }),
  managed_by: null,
  ...overrides,
});

describe('environment audit events', () => {
  it('names the environment by title and image, and lists the changed fields in the description', () => {
    const event = environmentChange('update', environment(), environment({ matching: 'exact', description: 'GPU' }));
    expect(event).toMatchObject({
      action: 'update_environment',
      subject_type: 'environment',
      subject_name: 'Python 3.12 (ghcr.io/org/python:3.12)',
      event_description: 'Updated environment Python 3.12 (ghcr.io/org/python:3.12) (description, matching)',
    });
  });

  it('keeps the state after the change, or the deleted one, with only the audited fields', () => {
    const withExtra = { ...environment({ title: 'Gone' }), id: '7', created_time: '2026-01-01T00:00:00Z' };
    const deletion = environmentChange('delete', withExtra, null);
    expect(deletion.state).toMatchObject({ title: 'Gone', name: 'ghcr.io/org/python:3.12', managed_by: null });
    expect(deletion.state).not.toHaveProperty('id');
    expect(deletion.state).not.toHaveProperty('created_time');
  });

  it('describes a grant to a group and its removal', () => {
    const grant = { user_guid: null, group_guid: 'f7a9d7f0-0d1b-4a8e-9c55-3f0f1d2b8c01' };
    expect(environmentPermissionChange('addPermission', environment(), grant, 'data-science').event_description).toBe(
      'Allowed group data-science to use environment Python 3.12 (ghcr.io/org/python:3.12)',
    );
    const removal = environmentPermissionChange('removePermission', environment(), grant, 'data-science');
    expect(removal.changes).toEqual([{ field: 'permissions', before: grant, after: null }]);
  });
});
