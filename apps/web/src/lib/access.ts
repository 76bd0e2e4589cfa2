import { type Action, can, type User } from '@envdesk/domain';

/**
 * Whether the interface should offer `action` to `user`, by role alone. The server decides for real;
 * this only hides what it would refuse (STYLE.md: the web reuses `can()` to hide controls).
 */
export function offers(user: User, action: Action): boolean {
  return can({ guid: user.guid, role: user.user_role, groupGuids: [] }, action);
}
