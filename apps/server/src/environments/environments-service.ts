import {
  type Actor,
  ApiError,
  type CreateEnvironmentInput,
  type CreateEnvironmentPermissionInput,
  type Environment,
  type EnvironmentGrant,
  type EnvironmentPermission,
  type EnvironmentUsage,
  ErrorCode,
  type IfMatch,
  type Language,
  type LocalExecution,
  type RuntimeInstallations,
  type UpdateEnvironmentInput,
  configManaged,
  definitionFrom,
  editConflict,
  environmentEtag,
  can,
  ifMatchHolds,
  notFound,
  runtimeInstallations,
  authorOf,
  environmentChange,
  environmentPermissionChange,
} from '@envdesk/domain';
import { authorize } from '../auth/authorize.js';
import { type Clock, newGuid, timestamp } from '../clock.js';
import type { Store } from '../db/store.js';
import { type EnvironmentListCache, createEnvironmentListCache } from './environment-list-cache.js';
import { DEFAULT_TOMBSTONE_DAYS, tombstoneCutoff } from '../sync/tombstones-store.js';
import type { EnvironmentFields } from './environments-store.js';

export interface EnvironmentsServiceDeps {
  readonly store: Pick<Store, 'environments' | 'content' | 'users' | 'groups' | 'audit' | 'tombstones' | 'transaction'>;
  readonly clock: Clock;
  /** The declarative file, named in the 409 that refuses edits of the environments it owns. */
  readonly environmentsFile?: string | null;
  /** The list kept per environments revision, shared with selection (a new one when absent). */
  readonly listCache?: EnvironmentListCache;
  /** Local execution's installations, listed by `/v1/server_settings/{language}` (none when absent). */
  readonly local?: LocalExecution | null;
  /** How long a deleted environment stays restorable (ENVDESK_TOMBSTONE_DAYS). */
  readonly tombstoneDays?: number;
}

/**
 * Inside `tx`: the environment locked for writing, if the API may write it and `ifMatch` holds.
 * A missing or file-managed environment answers 404/409 before any If-Match is looked at (RFC
 * 9110 §13.2.1: preconditions apply only to requests that would otherwise succeed).
 */
export async function writableEnvironment(tx: Store, guid: string, ifMatch: IfMatch, environmentsFile: string | null): Promise<Environment> {
  const current = await tx.environments.findForWrite(guid);
  if (!current) throw notFound('Environment');
  if (current.managed_by) throw configManaged(environmentsFile ?? current.managed_by, current.managed_by);
  if (!ifMatchHolds(ifMatch, environmentEtag(current))) throw editConflict(current, await tx.environments.editorOf(guid));
  return current;
}

/** What a create body leaves out, filled with the defaults Connect uses. */
export function fieldsForCreate(input: CreateEnvironmentInput, managedBy: string | null = null): EnvironmentFields {
  return { ...definitionFrom(input), managed_by: managedBy };
}

export function createEnvironmentsService({
  store,
  clock,
  environmentsFile = null,
  listCache = createEnvironmentListCache(store),
  local = null,
  tombstoneDays = DEFAULT_TOMBSTONE_DAYS,
}: EnvironmentsServiceDeps) {

  /** The environment, if it exists and `actor` may see it; publishers cannot tell the two apart. */
  async function visible(actor: Actor, guid: string): Promise<Environment> {
    authorize(actor, 'environments:read');
    const environment = await store.environments.findByGuid(guid);
    if (!environment) throw notFound('Environment');
    authorize(actor, 'environments:read', { grants: await store.environments.grantsOf(guid) }, () => notFound('Environment'));
    return environment;
  }

  const writable = (tx: Store, guid: string, ifMatch: IfMatch) => writableEnvironment(tx, guid, ifMatch, environmentsFile);

  async function permissionTarget(actor: Actor, guid: string): Promise<Environment> {
    authorize(actor, 'environment-permissions:manage');
    const environment = await store.environments.findByGuid(guid);
    if (!environment) throw notFound('Environment');
    return environment;
  }

  /** The user's or group's name, for the audit record; a grant to neither is refused. */
  async function principalName(grant: EnvironmentGrant): Promise<string> {
    if (grant.user_guid) {
      const user = await store.users.findByGuid(grant.user_guid);
      if (!user) throw new ApiError(ErrorCode.InvalidEnvironmentPermission, `No user has the GUID ${grant.user_guid}.`, { field: 'user_guid' });
      return user.user.username;
    }
    const group = grant.group_guid ? await store.groups.findByGuid(grant.group_guid) : undefined;
    if (!group) throw new ApiError(ErrorCode.InvalidEnvironmentPermission, `No group has the GUID ${grant.group_guid}.`, { field: 'group_guid' });
    return group.group.name;
  }

  return {
    /**
     * The list `actor` may see and its ETag (a 304 never serialises it); `revision`, when the request
     * has read it already, is not read again.
     */
    list(actor: Actor, revision?: number | null) {
      authorize(actor, 'environments:read');
      return listCache.list(actor, revision);
    },

    listJson(actor: Actor): Promise<Buffer> {
      authorize(actor, 'environments:read');
      return listCache.listJson(actor);
    },

    get: visible,

    async create(actor: Actor, input: CreateEnvironmentInput): Promise<Environment> {
      authorize(actor, 'environments:write');
      return store.transaction(async (tx) => {
        const now = timestamp(clock);
        const created = await tx.environments.insert(newGuid(), fieldsForCreate(input), now, actor.guid);
        await tx.audit.append(authorOf(actor), [environmentChange('add', null, created)], now);
        return created;
      });
    },

    /**
     * PUT: fields present replace, absent fields keep; the image never changes in place. With
     * `ifMatch` naming a version that is no longer current, nothing is written (412). The check
     * and the write happen under one row lock, so of two saves of the same version one wins.
     */
    async update(actor: Actor, guid: string, input: UpdateEnvironmentInput, ifMatch: IfMatch = { kind: 'absent' }): Promise<Environment> {
      authorize(actor, 'environments:write');
      return store.transaction(async (tx) => {
        const current = await writable(tx, guid, ifMatch);
        const { name, cluster_name, matching, ...rest } = input;
        if (name !== undefined && name !== current.name) {
          throw new ApiError(
            ErrorCode.InvalidEnvironmentName,
            'The image name of an environment cannot change; create a new environment for another image.',
            { field: 'name' },
          );
        }
        if (cluster_name !== undefined && cluster_name !== current.cluster_name) {
          throw new ApiError(ErrorCode.InvalidEnvironmentClusterName, 'The cluster name cannot change.', { field: 'cluster_name' });
        }
        const changes: Partial<EnvironmentFields> = Object.fromEntries(
          Object.entries(rest).filter(([, value]) => value !== undefined),
        );
        if (matching !== undefined) changes.matching = matching ?? 'any';
        const now = timestamp(clock);
        const updated = await tx.environments.update(guid, changes, now, actor.guid);
        if (!updated) throw notFound('Environment');
        await tx.audit.append(authorOf(actor), [environmentChange('update', current, updated)], now);
        return updated;
      });
    },

    async remove(actor: Actor, guid: string, ifMatch: IfMatch = { kind: 'absent' }): Promise<void> {
      authorize(actor, 'environments:write');
      await store.transaction(async (tx) => {
        const current = await writable(tx, guid, ifMatch);
        const now = timestamp(clock);
        const deletion = environmentChange('delete', current, null);
        // Deleted stays restorable (issue 13 § 3): the same tombstone a sync leaves, written while
        // the permissions can still be read. Old ones go here too, for servers without a file.
        await tx.tombstones.purge(tombstoneCutoff(clock, tombstoneDays));
        await tx.tombstones.record([{ guid, state: deletion.state! }], null, now);
        await tx.environments.remove(guid);
        await tx.audit.append(authorOf(actor), [deletion], now);
      });
    },

    /**
     * Content that chose this environment or last ran on it: for administrators all of it (what a
     * delete would leave without it), for a publisher only their own, on an environment they may see.
     */
    async contentUsing(actor: Actor, guid: string): Promise<EnvironmentUsage[]> {
      // File-managed ones too: they cannot be deleted, but who uses them is still worth knowing.
      await visible(actor, guid);
      authorize(actor, 'environments:read-own-usage', { grants: await store.environments.grantsOf(guid) }, () => notFound('Environment'));
      const everyones = can(actor, 'environments:read-usage');
      const records = (await store.content.usingEnvironment(guid)).filter((record) => everyones || record.owner.guid === actor.guid);
      return records.map((record) => ({
        guid: record.guid,
        name: record.name,
        title: record.title,
        owner_guid: record.owner.guid,
        owner_username: record.owner.username,
        chosen: record.default_environment_guid === guid,
        running: record.environment_guid === guid,
      }));
    },

    /** The versions of `language` across the environments `actor` may see (publishers: those permitted to them). */
    async runtimes(actor: Actor, language: Language): Promise<RuntimeInstallations> {
      authorize(actor, 'runtimes:read');
      const rows = await store.environments.listWithGrants();
      const visible = rows.filter(({ grants }) => can(actor, 'environments:read', { grants })).map(({ environment }) => environment);
      // Local execution's installations too (cluster and image "Local"), as Connect lists them.
      return runtimeInstallations(local ? [...visible, local.entry.environment] : visible, language);
    },

    async listPermissions(actor: Actor, guid: string): Promise<EnvironmentPermission[]> {
      await permissionTarget(actor, guid);
      return store.environments.listPermissions(guid);
    },

    async getPermission(actor: Actor, guid: string, permissionGuid: string): Promise<EnvironmentPermission> {
      await permissionTarget(actor, guid);
      const permission = await store.environments.findPermission(guid, permissionGuid);
      if (!permission) throw notFound('Environment permission');
      return permission;
    },

    /** Allowed on file-managed environments too: the file never holds access control. */
    async addPermission(actor: Actor, guid: string, input: CreateEnvironmentPermissionInput): Promise<EnvironmentPermission> {
      const environment = await permissionTarget(actor, guid);
      const grant = { user_guid: input.user_guid ?? null, group_guid: input.group_guid ?? null };
      const principal = await principalName(grant);
      return store.transaction(async (tx) => {
        const now = timestamp(clock);
        const permission = await tx.environments.insertPermission(newGuid(), guid, grant, now);
        await tx.audit.append(authorOf(actor), [environmentPermissionChange('addPermission', environment, grant, principal)], now);
        return permission;
      });
    },

    async removePermission(actor: Actor, guid: string, permissionGuid: string): Promise<void> {
      const environment = await permissionTarget(actor, guid);
      const permission = await store.environments.findPermission(guid, permissionGuid);
      if (!permission) throw notFound('Environment permission');
      const grant = { user_guid: permission.user_guid, group_guid: permission.group_guid };
      const principal = await principalName(grant).catch(() => grant.user_guid ?? grant.group_guid ?? '');
      await store.transaction(async (tx) => {
        const now = timestamp(clock);
        await tx.environments.removePermission(permissionGuid);
        await tx.audit.append(authorOf(actor), [environmentPermissionChange('removePermission', environment, grant, principal)], now);
      });
    },
  };
}
export type EnvironmentsService = ReturnType<typeof createEnvironmentsService>;
