import type { ContentSubject } from './content-policy.js';
import { contentRules } from './content-policy.js';
import { administrators, everyone, type Rules, staff } from './rule.js';

export interface RuntimeSubjects {
  /** List the package caches builds share (one per image, language and version). */
  'runtime-caches:read': never;
  /** Delete one, marking the content built on it for rebuild. */
  'runtime-caches:delete': never;
  /** A content item's jobs: its builds and renders. */
  'jobs:read': ContentSubject;
  /** The packages its active bundle installs. */
  'content:read-packages': ContentSubject;
  /** The packages of every content item one may read them for (`GET /v1/packages`). */
  'packages:read': never;
  /** Its variants (Connect's legacy list the SDK renders through). */
  'variants:read': ContentSubject;
  /** Render it again (documents, reports, notebooks). */
  'content:render': ContentSubject;
}

/**
 * Connect gives jobs, packages and renders to "content owners, users with collaborator rights, and
 * administrators": the same people as a deploy's log, the lockfile and a deploy, so these rules
 * follow those (whatever collaborators come to mean there).
 */
export const runtimeRules: Rules<RuntimeSubjects> = {
  // Connect: "This information is available only to administrators."
  'runtime-caches:read': { roles: administrators },
  'runtime-caches:delete': { roles: administrators },
  'jobs:read': { roles: staff, on: 'content', allows: (actor, content) => contentRules['deployments:read'].allows(actor, content) },
  'content:read-packages': { roles: staff, on: 'content', allows: (actor, content) => contentRules['content:read-lockfile'].allows(actor, content) },
  'packages:read': { roles: staff },
  'variants:read': { roles: everyone, on: 'content', allows: (actor, content) => contentRules['content:read'].allows(actor, content) },
  'content:render': { roles: staff, on: 'content', allows: (actor, content) => contentRules['content:deploy'].allows(actor, content) },
};
