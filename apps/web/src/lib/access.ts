import { type Action, type Actor, type Content, type ContentSubject, can, type SubjectOf, subjectSeenBy, type User } from '@envdesk/domain';

/**
 * Whether the interface should offer `action` to `user` (on `subject`, when given), asked of the
 * same policy the server enforces. The server decides for real; this only hides what it would
 * refuse (STYLE.md: the web reuses `can()` to hide controls). The web app does not know the
 * user's groups, so it never asks about an environment's grants: the server lists only those.
 */
export function offers<A extends Action>(user: User, action: A, subject?: SubjectOf<A>): boolean {
  return can(actorOf(user), action, subject);
}

const actorOf = (user: User): Actor => ({ guid: user.guid, role: user.user_role, groupGuids: [] });

/**
 * What the policy needs to know about content the server sent `user`: its access list is not in
 * the record, but its `app_role` says how `user` stands to it (owner, collaborator, viewer).
 */
export const contentSubjectFor = (user: User, content: Content): ContentSubject => subjectSeenBy(actorOf(user), content);

/** Content no one signed in owns or shares: asking about it tells whether `user` may act on others' content. */
export const SOMEONE_ELSES_CONTENT: ContentSubject = { owner_guid: '', access_type: 'acl', permissions: [] };
