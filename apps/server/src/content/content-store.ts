import type { Kysely } from 'kysely';
import type { ContentRow, Database } from '../db/schema.js';

export interface ContentOwner {
  readonly id: number;
  readonly guid: string;
  readonly username: string;
  readonly first_name: string;
  readonly last_name: string;
}

/** A content row with its owner, as services and the presenter need it. */
export interface ContentRecord {
  readonly row: ContentRow;
  readonly owner: ContentOwner;
}

/** Columns a service may write; booleans as the store's 0/1 integers are converted here. */
export interface ContentFields {
  name?: string;
  title?: string | null;
  description?: string;
  default_image_name?: string | null;
  default_environment_guid?: string | null;
  default_r_environment_management?: boolean | null;
  default_py_environment_management?: boolean | null;
  needs_rebuild?: boolean;
}

/** What a build used, as content and bundles both record it (Connect's read-only runtime fields). */
export interface BuiltRuntime {
  environment_guid: string | null;
  image_name: string | null;
  r_version: string | null;
  py_version: string | null;
  quarto_version: string | null;
  r_environment_management: boolean | null;
  py_environment_management: boolean | null;
}

/** What a deploy records on the content. */
export interface DeployedRuntime extends BuiltRuntime {
  bundle_id: number;
  app_mode: string;
  content_category: string;
  parameterized: boolean;
}

const flag = (value: boolean | null | undefined) => (value === undefined ? undefined : value === null ? null : value ? 1 : 0);

function toColumns(fields: ContentFields) {
  const { default_r_environment_management, default_py_environment_management, needs_rebuild, ...rest } = fields;
  const columns: Record<string, unknown> = { ...rest };
  if (default_r_environment_management !== undefined) columns.default_r_environment_management = flag(default_r_environment_management);
  if (default_py_environment_management !== undefined) columns.default_py_environment_management = flag(default_py_environment_management);
  if (needs_rebuild !== undefined) columns.needs_rebuild = needs_rebuild ? 1 : 0;
  return columns;
}

export function createContentStore(db: Kysely<Database>) {
  const withOwner = () =>
    db
      .selectFrom('content as c')
      .innerJoin('users as u', 'u.id', 'c.owner_id')
      .selectAll('c')
      .select(['u.guid as owner_guid', 'u.username as owner_username', 'u.first_name as owner_first_name', 'u.last_name as owner_last_name']);

  type Joined = Awaited<ReturnType<ReturnType<typeof withOwner>['executeTakeFirstOrThrow']>>;
  const toRecord = ({ owner_guid, owner_username, owner_first_name, owner_last_name, ...row }: Joined): ContentRecord => ({
    row,
    owner: { id: row.owner_id, guid: owner_guid, username: owner_username, first_name: owner_first_name, last_name: owner_last_name },
  });

  return {
    async list(filter: { name?: string | undefined; ownerGuid?: string | undefined }): Promise<ContentRecord[]> {
      let query = withOwner();
      if (filter.name !== undefined) query = query.where('c.name', '=', filter.name);
      if (filter.ownerGuid !== undefined) query = query.where('u.guid', '=', filter.ownerGuid);
      return (await query.orderBy('c.id').execute()).map(toRecord);
    },

    async findByGuid(guid: string): Promise<ContentRecord | undefined> {
      const row = await withOwner().where('c.guid', '=', guid).executeTakeFirst();
      return row && toRecord(row);
    },

    async insert(guid: string, ownerId: number, name: string, fields: ContentFields, now: string): Promise<void> {
      await db
        .insertInto('content')
        .values({ description: '', ...toColumns(fields), guid, name, owner_id: ownerId, created_time: now })
        .execute();
    },

    async update(guid: string, fields: ContentFields): Promise<void> {
      const columns = toColumns(fields);
      if (Object.keys(columns).length === 0) return;
      await db.updateTable('content').set(columns).where('guid', '=', guid).execute();
    },

    async remove(guid: string): Promise<boolean> {
      const result = await db.deleteFrom('content').where('guid', '=', guid).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    /**
     * Inside the deploy's final transaction: true while the content still exists, and from then on
     * until the transaction ends a concurrent DELETE waits for it. A no-op UPDATE, not SELECT … FOR
     * UPDATE, because it locks on both dialects: PostgreSQL's row lock, SQLite's write lock.
     */
    async lockForDeploy(contentId: number): Promise<boolean> {
      const result = await db
        .updateTable('content')
        .set((eb) => ({ id: eb.ref('id') }))
        .where('id', '=', contentId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async recordDeploy(contentId: number, runtime: DeployedRuntime, now: string): Promise<void> {
      await db
        .updateTable('content')
        .set({
          ...runtime,
          parameterized: runtime.parameterized ? 1 : 0,
          r_environment_management: flag(runtime.r_environment_management),
          py_environment_management: flag(runtime.py_environment_management),
          needs_rebuild: 0,
          last_deployed_time: now,
        })
        .where('id', '=', contentId)
        .execute();
    },

    /** Content that chose or runs on the environment: shown before deleting it. */
    async usingEnvironment(environmentGuid: string): Promise<ContentRecord[]> {
      const rows = await withOwner()
        .where((eb) => eb.or([eb('c.default_environment_guid', '=', environmentGuid), eb('c.environment_guid', '=', environmentGuid)]))
        .orderBy('c.id')
        .execute();
      return rows.map(toRecord);
    },
  };
}
export type ContentStore = ReturnType<typeof createContentStore>;
