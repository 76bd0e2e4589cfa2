import {
  type AuditedEnvironment,
  type FileEntry,
  type NewAuditEvent,
  type FileProblem,
  type Result,
  type SyncStatus,
  err,
  ok,
  environmentChange,
  planSyncInSteps,
} from '@envdesk/domain';
import { type Clock, newGuid, timestamp } from '../clock.js';
import type { Store } from '../db/store.js';
import type { EnvironmentFields } from '../environments/environments-store.js';
import { type Pause, noPause } from './slicer.js';
import { type Burial, DEFAULT_TOMBSTONE_DAYS, tombstoneCutoff } from './tombstones-store.js';

/** The value of `managed_by` on file-managed environments. */
export const FILE_MANAGER = 'config-file';

export { DEFAULT_TOMBSTONE_DAYS, tombstoneCutoff } from './tombstones-store.js';

/** One change a sync made, as the sync status reports it. */
export type SyncChange = NonNullable<SyncStatus['last_changes']>[number];

export interface SyncOutcome {
  readonly changes: readonly SyncChange[];
  readonly unchanged: number;
}

export interface SyncSource {
  /** The file the entries come from, recorded on the tombstones of what the sync removes. */
  readonly file: string | null;
  /** Tombstones older than this are neither restored from nor kept. */
  readonly tombstoneDays?: number;
  /** Where the sync may hand the event loop a turn (between pages, batches and updates). */
  readonly pause?: Pause;
}

/**
 * Plans and applies one sync in one transaction, under a database lock so that replicas syncing
 * the same file serialise and the later ones find nothing left to do. On a planning problem
 * nothing is written. What it removes leaves a tombstone; what comes back is restored from one,
 * with its GUID, id and the permissions whose user or group still exists.
 */
export async function applySync(
  store: Pick<Store, 'transaction'>,
  entries: readonly FileEntry[],
  clock: Clock,
  { file, tombstoneDays = DEFAULT_TOMBSTONE_DAYS, pause = noPause }: SyncSource = { file: null },
): Promise<Result<SyncOutcome, FileProblem[]>> {
  return store.transaction(async (tx) => {
    await tx.lock('environment-sync');
    const cutoff = tombstoneCutoff(clock, tombstoneDays);
    await tx.tombstones.purge(cutoff);
    const current = await tx.environments.listForSync(pause);
    const tombstones = await tx.tombstones.list(cutoff);
    const steps = planSyncInSteps(entries, current, tombstones);
    let step = steps.next();
    for (; !step.done; step = steps.next()) await pause();
    const planned = step.value;
    if (!planned.ok) return err(planned.error);
    const now = timestamp(clock);
    const byGuid = new Map(current.map((environment) => [environment.guid, environment]));
    const before = (guid: string): AuditedEnvironment => byGuid.get(guid)!.full();
    const changes: SyncChange[] = [];
    // One audit event per environment the sync changes, written with the changes themselves.
    const events: NewAuditEvent[] = [];
    const creations: Array<{ guid: string; fields: EnvironmentFields; id?: number; created_time?: string }> = [];
    const restores = new Map<string, EnvironmentFields>();
    const removals: Burial[] = [];
    for (const action of planned.value.actions) {
      await pause();
      switch (action.kind) {
        case 'create': {
          const guid = action.guid ?? newGuid();
          creations.push({ guid, fields: { ...action.definition, managed_by: FILE_MANAGER } });
          events.push(environmentChange('add', null, { guid, ...action.definition, managed_by: FILE_MANAGER }));
          changes.push({ kind: 'create', guid, name: action.definition.name, fields: Object.keys(action.definition) });
          break;
        }
        case 'restore':
          restores.set(action.guid, { ...action.definition, managed_by: FILE_MANAGER });
          events.push(environmentChange('restore', null, { guid: action.guid, ...action.definition, managed_by: FILE_MANAGER }));
          changes.push({ kind: 'restore', guid: action.guid, name: action.definition.name, fields: Object.keys(action.definition) });
          break;
        case 'update':
        case 'adopt': {
          await pause();
          const fields = action.kind === 'adopt' ? { ...action.changes, managed_by: FILE_MANAGER } : action.changes;
          await tx.environments.update(action.guid, fields, now);
          const was = before(action.guid);
          events.push(environmentChange(action.kind, was, { ...was, ...fields }));
          changes.push({ kind: action.kind, guid: action.guid, name: was.name, fields: Object.keys(action.changes) });
          break;
        }
        case 'delete': {
          const event = environmentChange('delete', before(action.guid), null);
          removals.push({ guid: action.guid, state: event.state! });
          events.push(event);
          changes.push({ kind: 'delete', guid: action.guid, name: action.name, fields: [] });
          break;
        }
      }
    }
    // The tombstone is written while the environment and its permissions can still be read.
    await tx.tombstones.record(removals, file, now, pause);
    await tx.environments.removeMany(removals.map((removal) => removal.guid), pause);
    const buried = await tx.tombstones.take([...restores.keys()]);
    for (const tombstone of buried) {
      creations.push({ guid: tombstone.guid, fields: restores.get(tombstone.guid)!, id: tombstone.environment_id, created_time: tombstone.created_time });
    }
    await tx.environments.insertMany(creations, now, pause);
    const permissions = buried.flatMap((tombstone) => tombstone.permissions.map((permission) => ({ ...permission, environment_guid: tombstone.guid })));
    const living = await tx.tombstones.livingPrincipals(permissions.flatMap((permission) => [permission.user_guid ?? [], permission.group_guid ?? []].flat()));
    await tx.environments.restorePermissions(permissions.filter((permission) => living.has(permission.user_guid ?? permission.group_guid ?? '')));
    await tx.audit.append({ kind: 'file', file }, events, now);
    return ok({ changes, unchanged: planned.value.unchanged });
  });
}
