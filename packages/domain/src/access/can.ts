import { type AccountSubjects, accountRules } from './account-policy.js';
import { type AuditSubjects, auditRules } from './audit-policy.js';
import { type ContentSubjects, contentRules } from './content-policy.js';
import { type EnvironmentSubjects, environmentRules } from './environment-policy.js';
import type { Actor, Rule, SubjectKind } from './rule.js';
import { type TagSubjects, tagRules } from './tag-policy.js';
import { type RuntimeSubjects, runtimeRules } from './runtime-policy.js';
import { type TaskSubjects, taskRules } from './task-policy.js';

export type { Actor, SubjectKind } from './rule.js';
export type { UserSubject } from './account-policy.js';
export type { EnvironmentGrant, EnvironmentSubject } from './environment-policy.js';
export { type BundleSubject, type ContentRelation, type ContentSubject, appRoleOf, relationTo, subjectSeenBy } from './content-policy.js';
export type { TaskSubject } from './task-policy.js';

/** Every action, mapped to the record it is about (`never`: it is about none). */
type Subjects = AccountSubjects & AuditSubjects & EnvironmentSubjects & ContentSubjects & TaskSubjects & TagSubjects & RuntimeSubjects;

/**
 * Everything anyone can do, named for what it does. Each has a rule in its policy module and a
 * block in the matrix test; each API route names the one it performs.
 */
export type Action = keyof Subjects;

/** The record `action` is about, if any. */
export type SubjectOf<A extends Action> = Subjects[A];

const rules: { readonly [A in Action]: Rule<Subjects[A]> } = {
  ...accountRules,
  ...auditRules,
  ...environmentRules,
  ...contentRules,
  ...taskRules,
  ...tagRules,
  ...runtimeRules,
};

/**
 * May `actor` do `action` — to `subject` when given? The one place that answers: routes ask it
 * without a subject (the role alone), services ask it again with the record they loaded, and the
 * web app asks it to hide what the server would refuse.
 */
export function can<A extends Action>(actor: Actor | null, action: A, subject?: SubjectOf<A>): boolean {
  if (!actor) return false;
  const rule: { roles: readonly string[]; allows?: (actor: Actor, subject: SubjectOf<A>) => boolean } = rules[action];
  if (!rule.roles.includes(actor.role)) return false;
  if (subject === undefined || !rule.allows) return true;
  return rule.allows(actor, subject);
}

/** The kind of record `action` is about, or null for actions on none. */
export function subjectKindOf(action: Action): SubjectKind | null {
  const rule = rules[action];
  return 'on' in rule ? rule.on : null;
}

export const ALL_ACTIONS = Object.keys(rules) as Action[];
