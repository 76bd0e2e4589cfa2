import { type Actor, administrators, everyone, type Rules, staff } from './rule.js';

/** What the rules need to know about a user account: whose it is. */
export interface UserSubject {
  readonly guid: string;
}

/** Actions on the caller's own session and on the user and group directory. */
export interface AccountSubjects {
  /** Their own profile, CSRF token and API keys. */
  'session:own': never;
  'users:read': never;
  'users:write': never;
  /** Give an account another role. */
  'users:change-role': UserSubject;
  /** Lock an account (unlocking is plain `users:write`). */
  'users:lock': UserSubject;
  'groups:read': never;
  'groups:write': never;
}

const notThemselves = (actor: Actor, user: UserSubject): boolean => user.guid !== actor.guid;

export const accountRules: Rules<AccountSubjects> = {
  'session:own': { roles: everyone },
  // Publishers look people up to grant them access to environments.
  'users:read': { roles: staff },
  'users:write': { roles: administrators },
  // Not one's own: an administrator who demoted or locked themselves could leave no one to undo it.
  'users:change-role': { roles: administrators, on: 'user', allows: notThemselves },
  'users:lock': { roles: administrators, on: 'user', allows: notThemselves },
  'groups:read': { roles: staff },
  'groups:write': { roles: administrators },
};
