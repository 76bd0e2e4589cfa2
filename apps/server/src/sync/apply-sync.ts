import {
  type FileEntry,
  type FileProblem,
  type Result,
  type SyncStatus,
  err,
  ok,
  planSync,
} from '@envdesk/domain';
import { type Clock, newGuid, rfc3339 } from '../clock.js';
import type { Store } from '../db/store.js';
import type { EnvironmentFields } from '../environments/environments-store.js';

/** The value of `managed_by` on file-managed environments. */
export const FILE_MANAGER = 'config-file';

/** One change a sync made, as the sync status reports it. */
export type SyncChange = NonNullable<SyncStatus['last_changes']>[number];

export interface SyncOutcome {
  readonly changes: readonly SyncChange[];
  readonly unchanged: number;
}

/**
 * Plans and applies one sync in one transaction, under a database lock so that replicas syncing
 * the same file serialise and the later ones find nothing left to do. On a planning problem
 * nothing is written.
 */
export async function applySync(
  store: Store,
  entries: readonly FileEntry[],
  clock: Clock,
): Promise<Result<SyncOutcome, FileProblem[]>> {
  return store.transaction(async (tx) => {
    await tx.lock('environment-sync');
    const current = await tx.environments.listForSync();
    const planned = planSync(entries, current);
    if (!planned.ok) return err(planned.error);
    const now = rfc3339(clock.now());
    const names = new Map(current.map((environment) => [environment.guid, environment.name]));
    const changes: SyncChange[] = [];
    const creations: Array<{ guid: string; fields: EnvironmentFields }> = [];
    for (const action of planned.value.actions) {
      switch (action.kind) {
        case 'create': {
          const guid = action.guid ?? newGuid();
          creations.push({ guid, fields: { ...action.definition, managed_by: FILE_MANAGER } });
          changes.push({ kind: 'create', guid, name: action.definition.name, fields: Object.keys(action.definition) });
          break;
        }
        case 'update':
        case 'adopt':
          await tx.environments.update(
            action.guid,
            action.kind === 'adopt' ? { ...action.changes, managed_by: FILE_MANAGER } : action.changes,
            now,
          );
          changes.push({ kind: action.kind, guid: action.guid, name: names.get(action.guid) ?? '', fields: Object.keys(action.changes) });
          break;
        case 'delete':
          await tx.environments.remove(action.guid);
          changes.push({ kind: 'delete', guid: action.guid, name: action.name, fields: [] });
          break;
      }
    }
    await tx.environments.insertMany(creations, now);
    return ok({ changes, unchanged: planned.value.unchanged });
  });
}
