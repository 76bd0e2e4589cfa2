import { EnvironmentPermissionSchema, type Tombstone } from '@envdesk/domain';
import type { Kysely } from 'kysely';
import * as z from 'zod/mini';
import { readJson } from '../db/columns.js';
import type { Database } from '../db/schema.js';
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
}

/** Few enough bound values per statement for both dialects (PostgreSQL allows 65,535). */
const CHUNK = 500;
const chunks = <T>(items: readonly T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, index) => items.slice(index * CHUNK, (index + 1) * CHUNK));

/** Tombstones of file-managed environments a sync removed (issue 8 § 1: identity survives removal). */
export function createTombstonesStore(db: Kysely<Database>) {
  return {
    /** Planner input: tombstones removed at or after `notBefore` (older ones are past keeping). */
    async list(notBefore: string): Promise<Tombstone[]> {
      return db.selectFrom('environment_tombstones').select(['guid', 'name', 'removed_time']).where('removed_time', '>=', notBefore).execute();
    },

    /**
     * Records what the environments with these GUIDs are — id, image, creation time, permissions —
     * before a sync removes them. A tombstone of the same GUID is replaced.
     */
    async record(guids: readonly string[], file: string | null, now: string, pause: Pause = noPause): Promise<void> {
      for (const chunk of chunks(guids)) {
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
        records.push(
          ...rows.map((row) => ({ ...row, permissions: readJson(TombstonePermissionsSchema, row.permissions, `environment_tombstones ${row.guid} permissions`) })),
        );
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
