import {
  ApiError,
  type CurrentEnvironment,
  type Environment,
  type EnvironmentDefinition,
  type EnvironmentGrant,
  type EnvironmentPermission,
  EnvironmentSchema,
  type EnvironmentEditor,
  ErrorCode,
  fingerprintOf,
  nextUpdatedTime,
} from '@envdesk/domain';
import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import { readJson, readValue } from '../db/columns.js';
import type { Dialect } from '../db/database.js';
import { unlessDuplicate } from '../db/errors.js';
import { type ReadRows, precompiled, readRows } from '../db/precompiled.js';
import type { Database, EnvironmentRow } from '../db/schema.js';

/** Everything about an environment that is written; `id` and times are the store's. */
export interface EnvironmentFields extends EnvironmentDefinition {
  /** Who owns the record when not the API: the declarative file's source name. */
  managed_by: string | null;
}

/** Where long work may hand the event loop a turn (a sync's slicer); by default, nowhere. */
type Pause = () => Promise<void>;
const noPause: Pause = () => Promise.resolve();

export interface EnvironmentWithGrants {
  environment: Environment;
  grants: EnvironmentGrant[];
}

const jsonColumns = ['python', 'r', 'quarto', 'tensorflow', 'nodejs', 'volume_mounts'] as const;

/** Row → Connect's wire shape (ids as strings, every key present), each stored field checked by its schema. */
function toEnvironment(row: EnvironmentRow): Environment {
  const where = (column: keyof EnvironmentRow) => `environments ${row.id} ${column}`;
  const { shape } = EnvironmentSchema;
  return {
    id: String(row.id),
    guid: row.guid,
    created_time: row.created_time,
    updated_time: row.updated_time,
    title: row.title,
    description: row.description,
    cluster_name: 'Kubernetes',
    name: row.name,
    environment_type: 'Kubernetes',
    matching: readValue(shape.matching, row.matching, where('matching')),
    supervisor: row.supervisor,
    managed_by: row.managed_by,
    python: readJson(shape.python, row.python, where('python')),
    quarto: readJson(shape.quarto, row.quarto, where('quarto')),
    r: readJson(shape.r, row.r, where('r')),
    tensorflow: readJson(shape.tensorflow, row.tensorflow, where('tensorflow')),
    nodejs: readJson(shape.nodejs, row.nodejs, where('nodejs')),
    volume_mounts: readJson(shape.volume_mounts, row.volume_mounts, where('volume_mounts')),
  };
}

function toColumns(fields: Partial<EnvironmentFields>) {
  const columns: Record<string, unknown> = { ...fields };
  for (const column of jsonColumns) {
    if (fields[column] !== undefined) columns[column] = JSON.stringify(fields[column]);
  }
  return columns as Partial<Omit<EnvironmentRow, 'id' | 'guid' | 'created_time' | 'updated_by'>>;
}

export function createEnvironmentsStore(db: Kysely<Database>, dialect: Dialect, read: ReadRows = readRows(db)) {
  const bumpRevision = () => sql`update revisions set value = value + 1 where name = 'environments'`.execute(db);
  // Read by every list request, deploy and event: whether what is kept in memory is still current.
  const revisionQuery = precompiled((name: string) => db.selectFrom('revisions').select('value').where('name', '=', name), 'environments');

  const toPermission = (row: {
    id: number;
    guid: string;
    environment_guid: string;
    user_guid: string | null;
    group_guid: string | null;
  }): EnvironmentPermission => ({ ...row, id: String(row.id) });

  const permissionsQuery = () =>
    db
      .selectFrom('environment_permissions as p')
      .innerJoin('environments as e', 'e.id', 'p.environment_id')
      .select(['p.id', 'p.guid', 'e.guid as environment_guid', 'p.user_guid', 'p.group_guid']);

  return {
    /** Bumped by every write to environments or their permissions; list caches key on it. */
    async revision(): Promise<number> {
      const [row] = await read(revisionQuery('environments'));
      return Number(row?.value ?? 0);
    },

    async list(): Promise<Environment[]> {
      const rows = await db.selectFrom('environments').selectAll().orderBy('id').execute();
      return rows.map(toEnvironment);
    },

    /** Every environment's GUID, in creation order, without reading the rest of each record. */
    async listGuids(): Promise<string[]> {
      const rows = await db.selectFrom('environments').select('guid').orderBy('id').execute();
      return rows.map((row) => row.guid);
    },

    async listWithGrants(): Promise<EnvironmentWithGrants[]> {
      const [rows, grantRows] = await Promise.all([
        db.selectFrom('environments').selectAll().orderBy('id').execute(),
        db.selectFrom('environment_permissions').select(['environment_id', 'user_guid', 'group_guid']).execute(),
      ]);
      const grantsById = new Map<number, EnvironmentGrant[]>();
      for (const { environment_id, ...grant } of grantRows) {
        const grants = grantsById.get(environment_id) ?? [];
        grants.push(grant);
        grantsById.set(environment_id, grants);
      }
      return rows.map((row) => ({ environment: toEnvironment(row), grants: grantsById.get(row.id) ?? [] }));
    },

    /** For a sync: fingerprints from the stored JSON text, full records parsed only on demand. */
    /** Read a page at a time, pausing between pages: SQLite's reads are synchronous. */
    async listForSync(pause: Pause = noPause): Promise<CurrentEnvironment[]> {
      const PAGE = 500;
      const current: CurrentEnvironment[] = [];
      for (let after = 0; ; ) {
        const rows = await db.selectFrom('environments').selectAll().where('id', '>', after).orderBy('id').limit(PAGE).execute();
        for (const row of rows) {
          current.push({
            guid: row.guid,
            name: row.name,
            managed_by: row.managed_by,
            fingerprint: fingerprintOf([row.title, row.description, row.matching, row.supervisor], jsonColumns.map((column) => row[column])),
            full: () => toEnvironment(row),
          });
        }
        if (rows.length < PAGE) return current;
        after = rows[rows.length - 1]!.id;
        await pause();
      }
    },

    /**
     * Many new environments in few statements, with one revision bump (a first sync of a large file).
     * A row may bring back the id and creation time it had (a restore); an id in use is not reused.
     */
    async insertMany(
      rows: ReadonlyArray<{ guid: string; fields: EnvironmentFields; id?: number; created_time?: string }>,
      now: string,
      pause: Pause = noPause,
    ): Promise<void> {
      // Small batches, built as they go: a large sync pauses between them (SQLite's writes are synchronous).
      const BATCH = 200;
      const wanted = rows.flatMap((row) => (row.id === undefined ? [] : [row.id]));
      const taken = new Set<number>();
      for (let start = 0; start < wanted.length; start += BATCH) {
        const found = await db.selectFrom('environments').select('id').where('id', 'in', wanted.slice(start, start + BATCH)).execute();
        for (const { id } of found) taken.add(id);
      }
      const toRow = ({ guid, fields, created_time }: (typeof rows)[number]) => ({
        ...(toColumns(fields) as Required<ReturnType<typeof toColumns>>),
        guid,
        created_time: created_time ?? now,
        updated_time: now,
      });
      // Rows with and without an id go in separate statements: SQLite has no DEFAULT in VALUES.
      const withId = rows.filter((row) => row.id !== undefined && !taken.has(row.id));
      const withoutId = rows.filter((row) => row.id === undefined || taken.has(row.id));
      for (const [group, keepId] of [[withId, true], [withoutId, false]] as const) {
        for (let start = 0; start < group.length; start += BATCH) {
          const batch = group.slice(start, start + BATCH).map((row) => (keepId ? { ...toRow(row), id: row.id! } : toRow(row)));
          await db.insertInto('environments').values(batch).execute();
          await pause();
        }
      }
      if (rows.length > 0) await bumpRevision();
    },

    /** Removes many environments (their permissions go with them) with one revision bump. */
    async removeMany(guids: readonly string[], pause: Pause = noPause): Promise<void> {
      const BATCH = 500;
      for (let start = 0; start < guids.length; start += BATCH) {
        await db.deleteFrom('environments').where('guid', 'in', guids.slice(start, start + BATCH)).execute();
        await pause();
      }
      if (guids.length > 0) await bumpRevision();
    },

    /** Permissions given back as they were (a restore): same GUID, and same id unless it is in use. */
    async restorePermissions(
      rows: ReadonlyArray<{ id: number; guid: string; environment_guid: string; user_guid: string | null; group_guid: string | null; created_time: string }>,
    ): Promise<void> {
      if (rows.length === 0) return;
      const BATCH = 500;
      for (let start = 0; start < rows.length; start += BATCH) {
        const batch = rows.slice(start, start + BATCH);
        const environments = await db
          .selectFrom('environments')
          .select(['id', 'guid'])
          .where('guid', 'in', [...new Set(batch.map((row) => row.environment_guid))])
          .execute();
        const idOf = new Map(environments.map((environment) => [environment.guid, environment.id]));
        const taken = new Set(
          (await db.selectFrom('environment_permissions').select('id').where('id', 'in', batch.map((row) => row.id)).execute()).map((row) => row.id),
        );
        const values = batch.map(({ id, environment_guid, ...row }) => ({ ...row, environment_id: idOf.get(environment_guid)!, id }));
        const withId = values.filter((row) => !taken.has(row.id));
        const withoutId = values.filter((row) => taken.has(row.id)).map(({ id: _id, ...row }) => row);
        if (withId.length > 0) await db.insertInto('environment_permissions').values(withId).execute();
        if (withoutId.length > 0) await db.insertInto('environment_permissions').values(withoutId).execute();
      }
      await bumpRevision();
    },

    async findByGuid(guid: string): Promise<Environment | undefined> {
      const row = await db.selectFrom('environments').selectAll().where('guid', '=', guid).executeTakeFirst();
      return row && toEnvironment(row);
    },

    async count(): Promise<number> {
      const row = await db.selectFrom('environments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** File-managed environments: what a missing or empty file would remove. */
    async countManaged(): Promise<number> {
      const row = await db
        .selectFrom('environments')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('managed_by', 'is not', null)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** `updatedBy`: the user whose request wrote it (null for the file sync). */
    async insert(guid: string, fields: EnvironmentFields, now: string, updatedBy: string | null = null): Promise<Environment> {
      const row = await db
        .insertInto('environments')
        .values({
          ...(toColumns(fields) as Required<ReturnType<typeof toColumns>>),
          guid,
          created_time: now,
          updated_time: now,
          updated_by: updatedBy,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await bumpRevision();
      return toEnvironment(row);
    },

    /**
     * Inside a transaction: the environment, with its row locked until the transaction ends, so
     * that checking its version and writing it are one step (two concurrent saves of the same
     * version: one waits for the other, then sees the new version).
     */
    async findForWrite(guid: string): Promise<Environment | undefined> {
      if (dialect === 'postgres') {
        const row = await db.selectFrom('environments').selectAll().where('guid', '=', guid).forUpdate().executeTakeFirst();
        return row && toEnvironment(row);
      }
      // SQLite locks the whole database, and only for writers: a no-op write takes that lock now
      // (waiting up to busy_timeout) so another process cannot write between our read and write.
      await db.updateTable('environments').set({ updated_time: sql`updated_time` }).where('guid', '=', guid).execute();
      const row = await db.selectFrom('environments').selectAll().where('guid', '=', guid).executeTakeFirst();
      return row && toEnvironment(row);
    },

    /** Who wrote the current version, if a user did and is still known. */
    async editorOf(guid: string): Promise<EnvironmentEditor | null> {
      const row = await db
        .selectFrom('environments as e')
        .innerJoin('users as u', 'u.guid', 'e.updated_by')
        .select(['u.guid', 'u.username'])
        .where('e.guid', '=', guid)
        .executeTakeFirst();
      return row ?? null;
    },

    /**
     * Every write moves `updated_time` strictly forward (see `nextUpdatedTime`): it is the
     * version the ETag names, so two writes within one second must still differ.
     */
    async update(
      guid: string,
      changes: Partial<EnvironmentFields>,
      now: string,
      updatedBy: string | null = null,
    ): Promise<Environment | undefined> {
      const previous = await db.selectFrom('environments').select('updated_time').where('guid', '=', guid).executeTakeFirst();
      if (!previous) return undefined;
      const row = await db
        .updateTable('environments')
        .set({ ...toColumns(changes), updated_time: nextUpdatedTime(previous.updated_time, now), updated_by: updatedBy })
        .where('guid', '=', guid)
        .returningAll()
        .executeTakeFirst();
      if (row) await bumpRevision();
      return row && toEnvironment(row);
    },

    async remove(guid: string): Promise<boolean> {
      const result = await db.deleteFrom('environments').where('guid', '=', guid).executeTakeFirst();
      const removed = Number(result.numDeletedRows) > 0;
      if (removed) await bumpRevision();
      return removed;
    },

    async grantsOf(environmentGuid: string): Promise<EnvironmentGrant[]> {
      return db
        .selectFrom('environment_permissions as p')
        .innerJoin('environments as e', 'e.id', 'p.environment_id')
        .select(['p.user_guid', 'p.group_guid'])
        .where('e.guid', '=', environmentGuid)
        .execute();
    },

    async listPermissions(environmentGuid: string): Promise<EnvironmentPermission[]> {
      const rows = await permissionsQuery().where('e.guid', '=', environmentGuid).orderBy('p.id').execute();
      return rows.map(toPermission);
    },

    async findPermission(environmentGuid: string, permissionGuid: string): Promise<EnvironmentPermission | undefined> {
      const row = await permissionsQuery()
        .where('e.guid', '=', environmentGuid)
        .where('p.guid', '=', permissionGuid)
        .executeTakeFirst();
      return row && toPermission(row);
    },

    /** Throws DuplicateEnvironmentPermission when the user or group already has one on the environment. */
    async insertPermission(
      guid: string,
      environmentGuid: string,
      grant: EnvironmentGrant,
      now: string,
    ): Promise<EnvironmentPermission> {
      const environment = await db
        .selectFrom('environments')
        .select('id')
        .where('guid', '=', environmentGuid)
        .executeTakeFirstOrThrow();
      const row = await unlessDuplicate(
        () =>
          db
            .insertInto('environment_permissions')
            .values({ guid, environment_id: environment.id, user_guid: grant.user_guid, group_guid: grant.group_guid, created_time: now })
            .returning(['id', 'guid', 'user_guid', 'group_guid'])
            .executeTakeFirstOrThrow(),
        () => {
          const field = grant.user_guid ? 'user_guid' : 'group_guid';
          return new ApiError(
            ErrorCode.DuplicateEnvironmentPermission,
            `That ${field === 'user_guid' ? 'user' : 'group'} already has a permission on this environment.`,
            { field },
          );
        },
      );
      await bumpRevision();
      return toPermission({ ...row, environment_guid: environmentGuid });
    },

    async removePermission(permissionGuid: string): Promise<boolean> {
      const result = await db.deleteFrom('environment_permissions').where('guid', '=', permissionGuid).executeTakeFirst();
      const removed = Number(result.numDeletedRows) > 0;
      if (removed) await bumpRevision();
      return removed;
    },

    /** Grants that name a deleted user or group go with it. */
    /** Removes every permission naming the user or group, and answers what each was: an audit event apiece. */
    async removeGrantsOf(principalGuid: string): Promise<Array<{ environment: Pick<Environment, 'guid' | 'title' | 'name'>; grant: EnvironmentGrant }>> {
      const naming = (eb: ExpressionBuilder<Database, 'environment_permissions'>) =>
        eb.or([eb('environment_permissions.user_guid', '=', principalGuid), eb('environment_permissions.group_guid', '=', principalGuid)]);
      const rows = await db
        .selectFrom('environment_permissions')
        .innerJoin('environments as e', 'e.id', 'environment_permissions.environment_id')
        .select(['e.guid', 'e.title', 'e.name', 'environment_permissions.user_guid', 'environment_permissions.group_guid'])
        .where(naming)
        .orderBy('environment_permissions.id')
        .execute();
      if (rows.length === 0) return [];
      await db.deleteFrom('environment_permissions').where(naming).execute();
      await bumpRevision();
      return rows.map((row) => ({ environment: { guid: row.guid, title: row.title, name: row.name }, grant: { user_guid: row.user_guid, group_guid: row.group_guid } }));
    },
  };
}
export type EnvironmentsStore = ReturnType<typeof createEnvironmentsStore>;
