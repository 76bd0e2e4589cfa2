import type { GROUP_ACTIONS, USER_ACTIONS } from './account-audit.js';
import type { CONTENT_ACTIONS } from './content-audit.js';
import type { ENVIRONMENT_ACTIONS } from './environment-audit.js';

type Recorded =
  | (typeof USER_ACTIONS)[keyof typeof USER_ACTIONS]
  | (typeof GROUP_ACTIONS)[keyof typeof GROUP_ACTIONS]
  | (typeof CONTENT_ACTIONS)[keyof typeof CONTENT_ACTIONS]
  | (typeof ENVIRONMENT_ACTIONS)[keyof typeof ENVIRONMENT_ACTIONS];

/** What each action envdesk records means (`GET /v1/audit/actions`); the type keeps it complete. */
const DESCRIPTIONS: Record<Recorded, string> = {
  add_user: 'Add a user.',
  update_user: 'Change a user’s name, email, username or role.',
  lock_user: 'Lock a user’s account.',
  unlock_user: 'Unlock a user’s account.',
  add_group: 'Add a group.',
  delete_group: 'Delete a group.',
  add_group_member: 'Add a user to a group.',
  remove_group_member: 'Remove a user from a group.',
  add_application: 'Create content.',
  update_application: 'Change content’s settings.',
  delete_application: 'Delete content.',
  deploy_application: 'Deploy a bundle of content.',
  update_application_environment: 'Set or remove content’s environment variables (names only, never values).',
  add_application_permission: 'Share content with a user or group.',
  update_application_permission: 'Change a user’s or group’s access to content.',
  remove_application_permission: 'Stop sharing content with a user or group.',
  add_environment: 'Add an execution environment.',
  update_environment: 'Change an execution environment.',
  delete_environment: 'Delete an execution environment.',
  adopt_environment: 'Hand an execution environment made by hand to the environments file.',
  restore_environment: 'Bring back a deleted execution environment.',
  add_environment_permission: 'Allow a user or group to use an execution environment.',
  remove_environment_permission: 'Stop a user or group from using an execution environment.',
};

export const AUDIT_ACTIONS: ReadonlyArray<{ action: string; description: string }> = Object.entries(DESCRIPTIONS).map(([action, description]) => ({
  action,
  description,
}));
