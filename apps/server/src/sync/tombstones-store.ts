import { type EnvironmentState, EnvironmentPermissionSchema, EnvironmentStateSchema, type Tombstone } from '@envdesk/domain';
import type { Kysely, Selectable } from 'kysely';
import * as z from 'zod/mini';
import { type Clock, rfc3339 } from '../clock.js';
import { readJson } from '../db/columns.js';
import type { Database, EnvironmentTombstonesTable } from '../db/schema.js';
import { type Pause, noPause } from './slicer.js';

/** A permission as it was on the removed environment (its grant, GUID, id and time), given back as it was. */
const TombstonePermissionSchema = z.extend(z.pick(EnvironmentPermissionSchema, { guid: true, user_guid: true, group_guid: true }), {
  id: z.number().check(z.int()),
  created_time: z.string(),
});
export type TombstonePermission = z.infer<typeof TombstonePermissionSchema>;
const TombstonePermissionsSchema = z.array(TombstonePermissionSchema);

export interface TombstoneRecord extends Tombstone {
  readonly environment_id: number;
  readonly created_time: string;
  readonly permissions: readonly TombstonePermission[];
  readonly file: string | null;
  /** What a restore puts back; null on tombstones from before hand deletes kept one. */
  readonly state: Record<string, unknown> | null;
  readonly managed_by: string | null;
}

/** What to bury: an environment about to be removed, with the state it had. */
export interface Burial {
  readonly guid: string;
  readonly state: EnvironmentState;
}

export const DEFAULT_TOMBSTONE_DAYS = 30;

/** The oldest removal time still worth a tombstone. */
export const tombstoneCutoff = (clock: Clock, days: number): string => rfc3339(new Date(clock.now().getTime() - days * 86_400_000));

/** Few enough bound values per statement for both dialects (PostgreSQL allows 65,535). */
const CHUNK = 500;
const chunks = <T>(items: readonly T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, index) => items.slice(index * CHUNK, (index + 1) * CHUNK));

const toRecord = (row: Selectable<EnvironmentTombstonesTable>): TombstoneRecord => ({
  ...row,
  hand_deleted: row.managed_by === null,
  permissions: readJson(TombstonePermissionsSchema, row.permissions, `environment_tombstones ${row.guid} permissions`),
  state: row.state === null ? null : readJson(EnvironmentStateSchema, row.state, `environment_tombstones ${row.guid} state`),
});

/**
 * Tombstones of removed environments (issue 8 § 1: identity survives removal): of file-managed ones
 * a sync removed, and of any an administrator deleted (issue 13 § 3: deleted stays restorable).
 * One record per GUID, whoever removed it.
 */
export function createTombstonesStore(db: Kysely<Database>) {
  return {
    /** Planner input: tombstones removed at or after `notBefore` (older ones are past keeping). */
    async list(notBefore: string): Promise<Tombstone[]> {
      const rows = await db
        .selectFrom('environment_tombstones')
        .select(['guid', 'name', 'removed_time', 'managed_by'])
        .where('removed_time', '>=', notBefore)
        .execute();
      return rows.map(({ managed_by, ...tombstone }) => ({ ...tombstone, hand_deleted: managed_by === null }));
    },

    /**
     * The Recently deleted list: tombstones removed at or after `notBefore`, latest first, but not
     * those whose GUID lives again (a file entry may name a buried GUID for another image).
     */
    async listDeleted(notBefore: string): Promise<TombstoneRecord[]> {
      const rows = await db
        .selectFrom('environment_tombstones as t')
        .leftJoin('environments as e', 'e.guid', 't.guid')
        .selectAll('t')
        .where('t.removed_time', '>=', notBefore)
        .where('e.id', 'is', null)
        .orderBy('t.removed_time', 'desc')
        .orderBy('t.guid')
        .execute();
      return rows.map(toRecord);
    },

    async find(guid: string): Promise<TombstoneRecord | null> {
      const row = await db.selectFrom('environment_tombstones').selectAll().where('guid', '=', guid).executeTakeFirst();
      return row ? toRecord(row) : null;
    },

    /**
     * Records what these environments are — id, image, creation time, permissions, and the state a
     * restore puts back — before they are removed. A tombstone of the same GUID is replaced.
     */
    async record(burials: readonly Burial[], file: string | null, now: string, pause: Pause = noPause): Promise<void> {
      const stateOf = new Map(burials.map((burial) => [burial.guid, burial.state]));
      for (const chunk of chunks([...stateOf.keys()])) {
        await pause();
        const environments = await db.selectFrom('environments').select(['id', 'guid', 'name', 'created_time']).where('guid', 'in', chunk).execute();
        if (environments.length === 0) continue;
        const permissions = await db
          .selectFrom('environment_permissions')
          .select(['id', 'guid', 'environment_id', 'user_guid', 'group_guid', 'created_time'])
          .where('environment_id', 'in', environments.map((environment) => environment.id))
          .orderBy('id')
          .execute();
        const byEnvironment = new Map<number, TombstonePermission[]>();
        for (const { environment_id, ...permission } of permissions) {
          byEnvironment.set(environment_id, [...(byEnvironment.get(environment_id) ?? []), permission]);
        }
        await db.deleteFrom('environment_tombstones').where('guid', 'in', chunk).execute();
        await db
          .insertInto('environment_tombstones')
          .values(
            environments.map((environment) => ({
              guid: environment.guid,
              environment_id: environment.id,
              name: environment.name,
              created_time: environment.created_time,
              permissions: JSON.stringify(byEnvironment.get(environment.id) ?? []),
              removed_time: now,
              file,
              state: JSON.stringify(stateOf.get(environment.guid)),
              managed_by: stateOf.get(environment.guid)?.managed_by ?? null,
            })),
          )
          .execute();
      }
    },

    /** The tombstones of these GUIDs, removed: a restored environment is alive again. */
    async take(guids: readonly string[]): Promise<TombstoneRecord[]> {
      const records: TombstoneRecord[] = [];
      for (const chunk of chunks(guids)) {
        const rows = await db.selectFrom('environment_tombstones').selectAll().where('guid', 'in', chunk).execute();
        await db.deleteFrom('environment_tombstones').where('guid', 'in', chunk).execute();
        records.push(...rows.map(toRecord));
      }
      return records;
    },

    /** Which of these user and group GUIDs still exist: a restore skips grants of deleted principals. */
    async livingPrincipals(guids: readonly string[]): Promise<Set<string>> {
      const living = new Set<string>();
      for (const chunk of chunks([...new Set(guids)])) {
        for (const table of ['users', 'groups'] as const) {
          const rows = await db.selectFrom(table).select('guid').where('guid', 'in', chunk).execute();
          for (const row of rows) living.add(row.guid);
        }
      }
      return living;
    },

    /** Forgets tombstones removed before `before`; answers how many. */
    async purge(before: string): Promise<number> {
      const result = await db.deleteFrom('environment_tombstones').where('removed_time', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
export type TombstonesStore = ReturnType<typeof createTombstonesStore>;
