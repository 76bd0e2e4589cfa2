import { describe, expect, it } from 'vitest';
import { groupChange, groupMemberChange, userChange } from './account-audit.js';

const user = {
  guid: '0b6d1c6e-5a0c-4a53-9a4a-2f1c9b1d0e11',
  username: 'dana',
  email: 'dana@example.org',
  first_name: 'Dana',
  last_name: 'Data',
  user_role: 'viewer' as const,
  locked: false,
};
const group = { guid: 'f7a9d7f0-0d1b-4a8e-9c55-3f0f1d2b8c01', name: 'data-science', owner_guid: null };

describe('user and group audit events', () => {
  it('records a new user field by field, and that a password was set but never what it is', () => {
    const event = userChange('add', null, user, { passwordSet: true });
    expect(event).toMatchObject({ action: 'add_user', subject_type: 'user', event_description: 'Added user Dana Data (dana)' });
    expect(event.changes.map((change) => change.field)).toEqual(['username', 'email', 'first_name', 'last_name', 'user_role', 'locked', 'password']);
    expect(event.changes.at(-1)).toEqual({ field: 'password', before: null, after: 'set' });
  });

  it('lists what an edit changed', () => {
    const event = userChange('update', user, { ...user, user_role: 'publisher' });
    expect(event.event_description).toBe('Updated user Dana Data (dana) (user_role)');
    expect(event.changes).toEqual([{ field: 'user_role', before: 'viewer', after: 'publisher' }]);
  });

  it('names the group and the member', () => {
    expect(groupChange('delete', group)).toMatchObject({ action: 'delete_group', changes: [{ field: 'name', before: 'data-science', after: null }] });
    const added = groupMemberChange('addMember', group, user);
    expect(added).toMatchObject({ action: 'add_group_member', event_description: 'Added user Dana Data (dana) to group data-science' });
    expect(groupMemberChange('removeMember', group, user).changes).toEqual([{ field: 'members', before: { user_guid: user.guid, username: 'dana' }, after: null }]);
  });
});
