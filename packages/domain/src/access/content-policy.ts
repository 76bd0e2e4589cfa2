import type { Content } from '../content/content-schemas.js';
import { type Actor, administrators, everyone, type Rules, staff } from './rule.js';

/** What the rules need to know about a content item: who owns it. */
export interface ContentSubject {
  readonly owner_guid: string;
}

/** A bundle belongs to one content item; who may touch it follows from that item. */
export interface BundleSubject {
  readonly content: ContentSubject;
}

export interface ContentSubjects {
  /** The content record itself (runtime fields aside). */
  'content:read': ContentSubject;
  /** Its runtime: the chosen and the running environment, versions, package management. */
  'content:read-runtime': ContentSubject;
  'content:create': never;
  /** Choose the system identity content runs as: `run_as`, `run_as_current_user`, `service_account_name`. */
  'content:set-identity': never;
  'content:update': ContentSubject;
  'content:delete': ContentSubject;
  'content:deploy': ContentSubject;
  /** The names of its environment variables (values are never shown to anyone). */
  'content:read-environment': ContentSubject;
  /** Set, remove or replace its environment variables. */
  'content:write-environment': ContentSubject;
  /** Its deployment history. */
  'deployments:read': ContentSubject;
  /** The package lockfile its active bundle carries (`requirements.txt`, `renv.lock`). */
  'content:read-lockfile': ContentSubject;
  /** Judge which environment a bundle of this content (or a manifest alone) would get. */
  'selection:explain': ContentSubject;
  'bundles:read': BundleSubject;
  /** Upload and delete. */
  'bundles:write': BundleSubject;
}

/**
 * How `actor` stands to `content`. Collaborators (Connect's `editor`) belong here, and nowhere
 * else, once content permissions exist; the rules below then say what an editor may do.
 */
export type ContentRelation = 'owner' | 'none';

export function relationTo(actor: Actor, content: ContentSubject): ContentRelation {
  return content.owner_guid === actor.guid ? 'owner' : 'none';
}

/** Administrators manage every content item, anyone else what they own (PRODUCT.md §2). */
const manages = (actor: Actor, content: ContentSubject): boolean =>
  actor.role === 'administrator' || relationTo(actor, content) === 'owner';

/**
 * Connect's `app_role` of `actor` on `content`: `owner` for those who manage it, so a client (and
 * the web app) can tell without knowing the rules.
 */
export function appRoleOf(actor: Actor, content: ContentSubject): Content['app_role'] {
  return manages(actor, content) ? 'owner' : 'viewer';
}

export const contentRules: Rules<ContentSubjects> = {
  // Every signed-in user sees content records; an access list on content would narrow this here.
  'content:read': { roles: everyone, on: 'content', allows: () => true },
  // Connect nulls runtime fields for "insufficient rights"; an owner keeps them even if demoted to viewer.
  'content:read-runtime': { roles: everyone, on: 'content', allows: manages },
  'content:create': { roles: staff },
  // Connect: "Only administrators can modify" the identity a process runs as on the server.
  'content:set-identity': { roles: administrators },
  'content:update': { roles: staff, on: 'content', allows: manages },
  'content:delete': { roles: staff, on: 'content', allows: manages },
  'content:deploy': { roles: staff, on: 'content', allows: manages },
  // Variables carry secrets: even their names stay with those who manage the content.
  'content:read-environment': { roles: staff, on: 'content', allows: manages },
  'content:write-environment': { roles: staff, on: 'content', allows: manages },
  'deployments:read': { roles: staff, on: 'content', allows: manages },
  // Connect: owners and collaborators read the lockfile, as they read the bundle it comes from.
  'content:read-lockfile': { roles: staff, on: 'content', allows: manages },
  'selection:explain': { roles: staff, on: 'content', allows: manages },
  'bundles:read': { roles: staff, on: 'bundle', allows: (actor, bundle) => manages(actor, bundle.content) },
  'bundles:write': { roles: staff, on: 'bundle', allows: (actor, bundle) => manages(actor, bundle.content) },
};
