import { type Action, type Actor, type ApiError, type SubjectOf, can, permissionDenied } from '@envdesk/domain';

/**
 * Goes on only if the domain's `can` allows `action` (to `subject`, when given); otherwise throws
 * 403, or what `refuse` makes for records whose existence the caller must not learn (an
 * environment not granted to them, someone else's task: both answer as if absent). The one place
 * a refusal is thrown: routes and services call this, and decide nothing themselves.
 */
export function authorize<A extends Action>(
  actor: Actor | null,
  action: A,
  subject?: SubjectOf<A>,
  refuse: () => ApiError = permissionDenied,
): void {
  if (!can(actor, action, subject)) throw refuse();
}
