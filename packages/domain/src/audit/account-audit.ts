import type { Group, User } from '../users/user-schemas.js';
import type { NewAuditEvent } from './audit-schemas.js';
import { fieldChanges } from './field-changes.js';

/** User and group actions, with Connect's names. */
export const USER_ACTIONS = { add: 'add_user', update: 'update_user', lock: 'lock_user', unlock: 'unlock_user' } as const;
export const GROUP_ACTIONS = {
  add: 'add_group',
  delete: 'delete_group',
  addMember: 'add_group_member',
  removeMember: 'remove_group_member',
} as const;

/** What of a user is recorded: never a password or its hash, never a key. */
const USER_FIELDS = ['username', 'email', 'first_name', 'last_name', 'user_role', 'locked'] as const;
type AuditedUser = Pick<User, 'guid' | (typeof USER_FIELDS)[number]>;

/** "Full Name (username)", as Connect names a user. */
export function userLabel(user: Pick<User, 'username' | 'first_name' | 'last_name'>): string {
  const name = `${user.first_name} ${user.last_name}`.trim();
  return name ? `${name} (${user.username})` : user.username;
}

const USER_VERBS = { add: 'Added', update: 'Updated', lock: 'Locked', unlock: 'Unlocked' } as const;

/**
 * The event for a user created, edited, locked or unlocked. A creation with a password says
 * that one was set, and nothing more.
 */
export function userChange(action: keyof typeof USER_ACTIONS, before: AuditedUser | null, after: AuditedUser, { passwordSet = false } = {}): NewAuditEvent {
  const changes = fieldChanges<AuditedUser>(before, after, USER_FIELDS);
  if (passwordSet) changes.push({ field: 'password', before: null, after: 'set' });
  const changed = action === 'update' && changes.length > 0 ? ` (${changes.map((change) => change.field).join(', ')})` : '';
  return {
    action: USER_ACTIONS[action],
    subject_type: 'user',
    subject_guid: after.guid,
    subject_name: userLabel(after),
    event_description: `${USER_VERBS[action]} user ${userLabel(after)}${changed}`,
    changes,
    state: null,
  };
}

/** The event for a group created or deleted. */
export function groupChange(action: 'add' | 'delete', group: Group): NewAuditEvent {
  const adding = action === 'add';
  return {
    action: GROUP_ACTIONS[action],
    subject_type: 'group',
    subject_guid: group.guid,
    subject_name: group.name,
    event_description: `${adding ? 'Added' : 'Deleted'} group ${group.name}`,
    changes: fieldChanges<Group>(adding ? null : group, adding ? group : null, ['name', 'owner_guid']),
    state: null,
  };
}

/** The event for a user added to, or removed from, a group. */
export function groupMemberChange(action: 'addMember' | 'removeMember', group: Group, user: Pick<User, 'guid' | 'username' | 'first_name' | 'last_name'>): NewAuditEvent {
  const adding = action === 'addMember';
  const member = { user_guid: user.guid, username: user.username };
  return {
    action: GROUP_ACTIONS[action],
    subject_type: 'group',
    subject_guid: group.guid,
    subject_name: group.name,
    event_description: adding ? `Added user ${userLabel(user)} to group ${group.name}` : `Removed user ${userLabel(user)} from group ${group.name}`,
    changes: [{ field: 'members', before: adding ? null : member, after: adding ? member : null }],
    state: null,
  };
}
