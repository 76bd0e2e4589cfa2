import type { UserRole } from '../users/user-schemas.js';

/** Who is asking: a signed-in user with their role and the groups they belong to. */
export interface Actor {
  readonly guid: string;
  readonly role: UserRole;
  readonly groupGuids: readonly string[];
  /**
   * How they ask, for the audit record only (the rules never read it): the tab (a browser
   * session), the API (a key) or an `envdesk` command. Absent means the API.
   */
  readonly via?: 'tab' | 'api' | 'command';
}

/** The kinds of record a rule can be about; each has its own policy module beside this one. */
export type SubjectKind = 'user' | 'environment' | 'content' | 'bundle' | 'task';

/**
 * One action's rule: the roles that may do it at all and, for an action on a record, what must
 * hold between the actor and that record. Asked without the record, only the roles count: that is
 * the route guard's question ("could this caller do this to anything?"), answered before the
 * record is loaded.
 */
export type Rule<Subject> = [Subject] extends [never]
  ? { readonly roles: readonly UserRole[] }
  : {
      readonly roles: readonly UserRole[];
      readonly on: SubjectKind;
      readonly allows: (actor: Actor, subject: Subject) => boolean;
    };

/** The rules of a set of actions, each action mapped to the record it is about (`never`: none). */
export type Rules<Subjects> = { readonly [A in keyof Subjects]: Rule<Subjects[A]> };

export const everyone: readonly UserRole[] = ['administrator', 'publisher', 'viewer'];
export const staff: readonly UserRole[] = ['administrator', 'publisher'];
export const administrators: readonly UserRole[] = ['administrator'];
