import { type Action, can, type SubjectOf, type User } from '@envdesk/domain';

/**
 * Whether the interface should offer `action` to `user` (on `subject`, when given), asked of the
 * same policy the server enforces. The server decides for real; this only hides what it would
 * refuse (STYLE.md: the web reuses `can()` to hide controls). The web app does not know the
 * user's groups, so it never asks about an environment's grants: the server lists only those.
 */
export function offers<A extends Action>(user: User, action: A, subject?: SubjectOf<A>): boolean {
  return can({ guid: user.guid, role: user.user_role, groupGuids: [] }, action, subject);
}

/** Content no one signed in owns: asking about it tells whether `user` may act on others' content. */
export const SOMEONE_ELSES_CONTENT = { owner_guid: '' } as const;
