import type { UserRole } from '../users/user-schemas.js';

/** Who is asking: a signed-in user with their role and the groups they belong to. */
export interface Actor {
  readonly guid: string;
  readonly role: UserRole;
  readonly groupGuids: readonly string[];
}

/** A grant on an environment: one user or one group. */
export interface EnvironmentGrant {
  readonly user_guid: string | null;
  readonly group_guid: string | null;
}

/**
 * Everything the server lets someone do. Every route names one action, and the route × role test
 * walks them all, so a route without a rule cannot ship.
 */
export type Action =
  | 'session:own'
  | 'environments:read'
  | 'environments:write'
  | 'environment-permissions:manage'
  | 'users:read'
  | 'users:write'
  | 'groups:read'
  | 'groups:write'
  | 'content:read'
  | 'content:write'
  | 'tasks:read'
  | 'system:manage';

const rolesByAction: Record<Action, readonly UserRole[]> = {
  'session:own': ['administrator', 'publisher', 'viewer'],
  // PRODUCT.md §2: viewers never see environments, publishers only the ones permitted to them.
  'environments:read': ['administrator', 'publisher'],
  'environments:write': ['administrator'],
  'environment-permissions:manage': ['administrator'],
  'users:read': ['administrator', 'publisher'],
  'users:write': ['administrator'],
  'groups:read': ['administrator', 'publisher'],
  'groups:write': ['administrator'],
  // Everyone signed in may see content records; runtime fields only owners and administrators.
  'content:read': ['administrator', 'publisher', 'viewer'],
  // Publishers act on their own content only; the content service checks ownership.
  'content:write': ['administrator', 'publisher'],
  'tasks:read': ['administrator', 'publisher', 'viewer'],
  'system:manage': ['administrator'],
};

/**
 * Environment permissions (seed: "Execution environment permissions"): with no entries every
 * publisher may use the environment; with entries only granted users and members of granted groups.
 * Administrators always may.
 */
export function isPermittedToUse(actor: Actor, grants: readonly EnvironmentGrant[]): boolean {
  if (actor.role === 'administrator') return true;
  if (actor.role !== 'publisher') return false;
  if (grants.length === 0) return true;
  return grants.some(
    (grant) => grant.user_guid === actor.guid || (grant.group_guid !== null && actor.groupGuids.includes(grant.group_guid)),
  );
}

/**
 * May `actor` do `action` — to `environment` when given? Without a subject the answer is about the
 * role alone; with an environment's grants, reading it also needs a permission.
 */
export function can(actor: Actor | null, action: Action, environment?: { grants: readonly EnvironmentGrant[] }): boolean {
  if (!actor) return false;
  if (!rolesByAction[action].includes(actor.role)) return false;
  if (environment && action === 'environments:read') return isPermittedToUse(actor, environment.grants);
  return true;
}

export const ALL_ACTIONS = Object.keys(rolesByAction) as Action[];
