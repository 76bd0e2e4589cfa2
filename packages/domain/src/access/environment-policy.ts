import { type Actor, administrators, type Rules, staff } from './rule.js';

/** A grant on an environment: one user or one group. */
export interface EnvironmentGrant {
  readonly user_guid: string | null;
  readonly group_guid: string | null;
}

/** What the rules need to know about an environment: who it is granted to. */
export interface EnvironmentSubject {
  readonly grants: readonly EnvironmentGrant[];
}

export interface EnvironmentSubjects {
  /** See it in lists and open it. */
  'environments:read': EnvironmentSubject;
  /** See every environment, whatever its grants (and why an owner may not use one). */
  'environments:read-all': never;
  /** Build and run one's content on it: asked about the content's owner, not whoever deploys. */
  'environments:use': EnvironmentSubject;
  /** Create, change and delete environments. */
  'environments:write': never;
  /** Download environments as the declarative file (every field, whatever the grants). */
  'environments:export': never;
  /** Plan and apply a declarative file as hand-made environments. */
  'environments:import': never;
  /** Read an image in a registry to find its installations (the server contacts the registry named). */
  'environments:inspect': never;
  /** Which content chose or runs on an environment: what a delete would leave without it. */
  'environments:read-usage': never;
  /** Which of one's own content chose or runs on an environment one may see (a publisher's details page). */
  'environments:read-own-usage': EnvironmentSubject;
  /** What the declarative file did last (it names the file's path). */
  'environment-sync:read': never;
  /**
   * Who changed environments, when and how, what they were before, and which were deleted: an
   * administrator's record (it names users and the file's path), as Connect's audit log is.
   */
  'environments:read-history': never;
  /** List, grant and revoke environment permissions. */
  'environment-permissions:manage': never;
  /** Which language versions the environments offer (`/v1/server_settings/python`, `rsconnect details`). */
  'runtimes:read': never;
  /** Open the live stream of changes (`/v1/events`); each event is then shown only to whoever may read its record. */
  'events:read': never;
}

/**
 * Environment permissions (seed: "Execution environment permissions"): with no entries every
 * publisher may use the environment; with entries only granted users and members of granted groups.
 * Administrators always may; viewers never reach this (PRODUCT.md §2).
 */
function permitted(actor: Actor, { grants }: EnvironmentSubject): boolean {
  if (actor.role === 'administrator') return true;
  if (grants.length === 0) return true;
  return grants.some(
    (grant) => grant.user_guid === actor.guid || (grant.group_guid !== null && actor.groupGuids.includes(grant.group_guid)),
  );
}

export const environmentRules: Rules<EnvironmentSubjects> = {
  // PRODUCT.md §2: viewers never see environments, publishers only the ones permitted to them.
  'environments:read': { roles: staff, on: 'environment', allows: permitted },
  'environments:read-all': { roles: administrators },
  'environments:use': { roles: staff, on: 'environment', allows: permitted },
  'environments:write': { roles: administrators },
  // The file names every environment, including those granted to others only.
  'environments:export': { roles: administrators },
  'environments:import': { roles: administrators },
  // Administrators only: it makes the server fetch from a registry of the caller's choosing.
  'environments:inspect': { roles: administrators },
  'environments:read-usage': { roles: administrators },
  // Their own content only (the service filters): other people's content names are not theirs to see.
  'environments:read-own-usage': { roles: staff, on: 'environment', allows: permitted },
  'environment-sync:read': { roles: administrators },
  'environments:read-history': { roles: administrators },
  // Also on file-managed environments: the file never holds access control.
  'environment-permissions:manage': { roles: administrators },
  // Connect answers publishers and administrators; each sees only the environments they may read.
  'runtimes:read': { roles: staff },
  // Viewers see no environments, so a stream of their changes would carry nothing for them.
  'events:read': { roles: staff },
};
