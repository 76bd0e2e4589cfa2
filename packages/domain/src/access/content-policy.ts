import type { ContentGrant } from '../content/content-permission-schemas.js';
import type { AccessType, Content } from '../content/content-schemas.js';
import { type Actor, administrators, everyone, type Rules, staff } from './rule.js';

/**
 * What the rules need to know about a content item: who owns it, whom it is shared with (its
 * access list) and whether every signed-in user may see it anyway (`access_type`).
 */
export interface ContentSubject {
  readonly owner_guid: string;
  readonly access_type: AccessType;
  readonly permissions: readonly ContentGrant[];
}

/** A bundle belongs to one content item; who may touch it follows from that item. */
export interface BundleSubject {
  readonly content: ContentSubject;
}

export interface ContentSubjects {
  /** The content record itself (runtime fields aside): it exists for those who may read it. */
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
  /** Whom it is shared with: its access list. */
  'content-permissions:read': ContentSubject;
  /** Share it: add, change and remove viewers and collaborators. */
  'content-permissions:write': ContentSubject;
  'bundles:read': BundleSubject;
  /** Upload and delete. */
  'bundles:write': BundleSubject;
}

/**
 * How `actor` stands to `content`, Connect's `app_role`: `owner` for its owner; `editor` for a
 * collaborator (an `owner` entry naming them or a group they are in); `viewer` for a `viewer`
 * entry, or for anyone signed in when the access type is `logged_in` or `all`; `none` otherwise.
 * Their account's role plays no part here: the rules below combine the two.
 */
export type ContentRelation = Content['app_role'];

export function relationTo(actor: Actor, content: ContentSubject): ContentRelation {
  if (content.owner_guid === actor.guid) return 'owner';
  const theirs = content.permissions.filter((grant) =>
    grant.principal_type === 'user' ? grant.principal_guid === actor.guid : actor.groupGuids.includes(grant.principal_guid),
  );
  if (theirs.some((grant) => grant.role === 'owner')) return 'editor';
  if (theirs.length > 0 || content.access_type !== 'acl') return 'viewer';
  return 'none';
}

/** Administrators manage every content item; anyone else what they own or collaborate on (PRODUCT.md §2). */
const manages = (actor: Actor, content: ContentSubject): boolean => {
  if (actor.role === 'administrator') return true;
  const relation = relationTo(actor, content);
  return relation === 'owner' || relation === 'editor';
};

/** Connect: administrators see every item's record, with `app_role: none` when it is not shared with them. */
const sees = (actor: Actor, content: ContentSubject): boolean => actor.role === 'administrator' || relationTo(actor, content) !== 'none';

/** Connect's `app_role` of `actor` on `content`, so a client (and the web app) can tell without knowing the rules. */
export function appRoleOf(actor: Actor, content: ContentSubject): Content['app_role'] {
  return relationTo(actor, content);
}

/**
 * The subject as a client rebuilds it from a content record the server sent: the access list is
 * not part of the record, but its `app_role` says how the caller stands to it, which is all the
 * rules read of the list.
 */
export function subjectSeenBy(actor: Actor, content: Pick<Content, 'owner_guid' | 'access_type' | 'app_role'>): ContentSubject {
  const role = content.app_role === 'editor' ? 'owner' : content.app_role === 'viewer' ? 'viewer' : null;
  return {
    owner_guid: content.owner_guid,
    access_type: content.access_type,
    permissions: role ? [{ principal_guid: actor.guid, principal_type: 'user', role }] : [],
  };
}

export const contentRules: Rules<ContentSubjects> = {
  // Others are told it does not exist (Connect's 404), in lists too.
  'content:read': { roles: everyone, on: 'content', allows: sees },
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
  // Those who see the content see whom it is shared with, as every reader sees its owner.
  'content-permissions:read': { roles: everyone, on: 'content', allows: sees },
  // Connect: owners, collaborators and administrators share content; viewers do not.
  'content-permissions:write': { roles: staff, on: 'content', allows: manages },
  'bundles:read': { roles: staff, on: 'bundle', allows: (actor, bundle) => manages(actor, bundle.content) },
  'bundles:write': { roles: staff, on: 'bundle', allows: (actor, bundle) => manages(actor, bundle.content) },
};
