import {
  type Actor,
  type AuditEvent,
  type DeletedEnvironment,
  type Environment,
  type EnvironmentSummary,
  type IfMatch,
  ENVIRONMENT_ACTIONS,
  type EnvironmentHistoryQuery,
  authorOf,
  configManaged,
  environmentChange,
  notFound,
  restorableState,
} from '@envdesk/domain';
import { authorize } from '../auth/authorize.js';
import { type Clock, timestamp } from '../clock.js';
import type { Store } from '../db/store.js';
import { DEFAULT_TOMBSTONE_DAYS, tombstoneCutoff } from '../sync/tombstones-store.js';
import { writableEnvironment } from './environments-service.js';

export interface EnvironmentHistoryDeps {
  readonly store: Pick<Store, 'environments' | 'content' | 'audit' | 'tombstones' | 'transaction'>;
  readonly clock: Clock;
  /** The declarative file, named in the 409 that refuses restores of what it owns. */
  readonly environmentsFile?: string | null;
  /** How long a deleted environment stays restorable (ENVDESK_TOMBSTONE_DAYS). */
  readonly tombstoneDays?: number;
}

/** Issue 13 § 3: what happened to an environment, putting it back as it was, and undeleting. */
export function createEnvironmentHistoryService({ store, clock, environmentsFile = null, tombstoneDays = DEFAULT_TOMBSTONE_DAYS }: EnvironmentHistoryDeps) {
  const cutoff = () => tombstoneCutoff(clock, tombstoneDays);

  return {
    /** Newest first, a page at a time; a deleted environment's history stays readable after it is gone. */
    async history(actor: Actor, guid: string, { limit, before }: EnvironmentHistoryQuery): Promise<AuditEvent[]> {
      authorize(actor, 'environments:read-history');
      const events = await store.audit.listForSubject('environment', guid, { limit, before });
      if (events.length === 0 && !(await store.environments.findByGuid(guid)) && !(await store.tombstones.find(guid))) throw notFound('Environment');
      return events;
    },

    /**
     * Puts a hand-made environment's definition back as it was at event `eventId`, as a new
     * event. It stays hand-made whatever it was then: a restore never hands it to the file.
     */
    async restoreTo(actor: Actor, guid: string, eventId: number, ifMatch: IfMatch = { kind: 'absent' }): Promise<Environment> {
      authorize(actor, 'environments:write');
      return store.transaction(async (tx) => {
        const current = await writableEnvironment(tx, guid, ifMatch, environmentsFile);
        const event = await tx.audit.find(eventId);
        const state = event?.subject_type === 'environment' && event.subject_guid === guid ? restorableState(event.state) : null;
        if (!event || !state) throw notFound('History event');
        // The image never changes in place (an environment's GUID keeps its image), so only the rest comes back.
        const { name: _name, managed_by: _managedBy, ...definition } = state;
        const now = timestamp(clock);
        const restored = await tx.environments.update(guid, definition, now, actor.guid);
        if (!restored) throw notFound('Environment');
        const change = environmentChange('restore', current, restored);
        await tx.audit.append(authorOf(actor), [{ ...change, event_description: `${change.event_description} as it was on ${event.time}` }], now);
        return restored;
      });
    },

    async listDeleted(actor: Actor): Promise<DeletedEnvironment[]> {
      authorize(actor, 'environments:read-history');
      const tombstones = await store.tombstones.listDeleted(cutoff());
      const removers = await store.audit.authorsOf(ENVIRONMENT_ACTIONS.delete, tombstones.map((tombstone) => tombstone.guid));
      return tombstones.map((tombstone) => ({
        guid: tombstone.guid,
        name: tombstone.name,
        title: restorableState(tombstone.state)?.title ?? null,
        managed_by: tombstone.managed_by,
        file: tombstone.file,
        removed_time: tombstone.removed_time,
        removed_by: removers.get(tombstone.guid) ?? null,
      }));
    },

    /**
     * Brings a hand-deleted environment back with its GUID, id, creation time and the grants whose
     * user or group still exists. A file-managed one is refused: the file decides what exists, so
     * one restored by hand would be removed again by the next sync (or, made hand-made, be adopted
     * back by it); putting its entry back in the file restores it, with the same identity.
     */
    async restoreDeleted(actor: Actor, guid: string): Promise<Environment> {
      authorize(actor, 'environments:write');
      return store.transaction(async (tx) => {
        // Serialised with file syncs, which restore from the same tombstones.
        await tx.lock('environment-sync');
        const tombstone = await tx.tombstones.find(guid);
        if (!tombstone || tombstone.removed_time < cutoff() || (await tx.environments.findByGuid(guid))) throw notFound('Deleted environment');
        if (tombstone.managed_by !== null) throw configManaged(environmentsFile ?? tombstone.file ?? tombstone.managed_by, tombstone.managed_by);
        const state = restorableState(tombstone.state);
        if (!state) throw notFound('Deleted environment');
        const now = timestamp(clock);
        await tx.tombstones.take([guid]);
        await tx.environments.insertMany([{ guid, fields: { ...state, managed_by: null }, id: tombstone.environment_id, created_time: tombstone.created_time }], now);
        const living = await tx.tombstones.livingPrincipals(tombstone.permissions.flatMap((permission) => [permission.user_guid ?? [], permission.group_guid ?? []].flat()));
        const permissions = tombstone.permissions.filter((permission) => living.has(permission.user_guid ?? permission.group_guid ?? ''));
        await tx.environments.restorePermissions(permissions.map((permission) => ({ ...permission, environment_guid: guid })));
        const restored = await tx.environments.findByGuid(guid);
        if (!restored) throw notFound('Environment');
        const change = environmentChange('restore', null, restored);
        const grants = permissions.map(({ user_guid, group_guid }) => ({ user_guid, group_guid }));
        await tx.audit.append(
          authorOf(actor),
          [{ ...change, changes: grants.length > 0 ? [...change.changes, { field: 'permissions', before: null, after: grants }] : change.changes }],
          now,
        );
        return restored;
      });
    },

    /** Per environment, who changed it last and how much content uses it (the list's extra columns). */
    async summary(actor: Actor): Promise<EnvironmentSummary[]> {
      authorize(actor, 'environments:read-history');
      const [guids, authors, counts] = await Promise.all([
        store.environments.listGuids(),
        store.audit.latestAuthors('environment'),
        store.content.countsByEnvironment(),
      ]);
      return guids.map((guid) => ({ guid, last_changed: authors.get(guid) ?? null, content_count: counts.get(guid) ?? 0 }));
    },
  };
}
export type EnvironmentHistoryService = ReturnType<typeof createEnvironmentHistoryService>;
