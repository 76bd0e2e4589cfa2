import { AccessTypeSchema, ApiError, type Content, type ContentGrant, type ContentSettings, ErrorCode, type SelectionInput } from '@envdesk/domain';
import type { Kysely } from 'kysely';
import { readFlag, readValue, writeFlag } from '../db/columns.js';
import { unlessDuplicate } from '../db/errors.js';
import type { Database } from '../db/schema.js';
import { grantsByContent } from './content-permissions-store.js';

/** The owner as Connect shows them, with the id their content and tasks hang from. */
export interface ContentOwner extends Readonly<Content['owner']> {
  readonly id: number;
}

/** What a build used, as content and bundles both record it (Connect's read-only runtime fields). */
export type BuiltRuntime = Pick<
  Content,
  'environment_guid' | 'image_name' | 'r_version' | 'py_version' | 'quarto_version' | 'r_environment_management' | 'py_environment_management'
>;

type BuiltRuntimeColumns = Omit<BuiltRuntime, 'r_environment_management' | 'py_environment_management'> & {
  readonly r_environment_management: number | null;
  readonly py_environment_management: number | null;
};

/** The built runtime from the columns content and bundles both keep it in. */
export function readBuiltRuntime(row: BuiltRuntimeColumns): BuiltRuntime {
  return {
    environment_guid: row.environment_guid,
    image_name: row.image_name,
    r_version: row.r_version,
    py_version: row.py_version,
    quarto_version: row.quarto_version,
    r_environment_management: readFlag(row.r_environment_management),
    py_environment_management: readFlag(row.py_environment_management),
  };
}

/** What the publisher chose for the content's runtime (what selection reads). */
export type RuntimeChoice = Pick<
  Content,
  'default_image_name' | 'default_environment_guid' | 'default_r_environment_management' | 'default_py_environment_management'
>;

/**
 * A content item as the store keeps it: Connect's fields that do not depend on who asks (the
 * presenter adds the rest and hides the runtime from those without rights), with the numeric ids
 * that bundles and tasks hang from.
 */
export interface ContentRecord
  extends Readonly<
    Pick<Content, 'guid' | 'name' | 'title' | 'description' | 'created_time' | 'last_deployed_time' | 'app_mode' | 'content_category' | 'parameterized' | 'needs_rebuild'> &
      RuntimeChoice &
      BuiltRuntime &
      ContentSettings
  > {
  readonly id: number;
  /** The active bundle. */
  readonly bundle_id: number | null;
  readonly owner: ContentOwner;
  /** Its access list: whom it is shared with, as viewers or collaborators. */
  readonly permissions: readonly ContentGrant[];
}

/** The content's runtime choice as environment selection takes it; all null without content. */
export function runtimeChoiceOf(record: ContentRecord | null): SelectionInput['content'] {
  return {
    default_environment_guid: record?.default_environment_guid ?? null,
    default_image_name: record?.default_image_name ?? null,
    default_r_environment_management: record?.default_r_environment_management ?? null,
    default_py_environment_management: record?.default_py_environment_management ?? null,
  };
}

/** Fields a service may write. */
export interface ContentFields extends Partial<RuntimeChoice>, Partial<ContentSettings> {
  name?: string;
  title?: string | null;
  description?: string;
  content_category?: string;
  needs_rebuild?: boolean;
}

/** What a deploy records on the content. */
export interface DeployedRuntime extends BuiltRuntime {
  bundle_id: number;
  app_mode: string;
  content_category: string;
  parameterized: boolean;
}

function toColumns(fields: ContentFields) {
  const {
    default_r_environment_management,
    default_py_environment_management,
    needs_rebuild,
    locked,
    run_as_current_user,
    metrics_collection_enabled,
    notify_on_share,
    otel_enabled,
    ...rest
  } = fields;
  return {
    ...rest,
    ...(locked !== undefined && { locked: writeFlag(locked) }),
    ...(run_as_current_user !== undefined && { run_as_current_user: writeFlag(run_as_current_user) }),
    ...(metrics_collection_enabled !== undefined && { metrics_collection_enabled: writeFlag(metrics_collection_enabled) }),
    ...(notify_on_share !== undefined && { notify_on_share: writeFlag(notify_on_share) }),
    ...(otel_enabled !== undefined && { otel_enabled: writeFlag(otel_enabled) }),
    ...(default_r_environment_management !== undefined && { default_r_environment_management: writeFlag(default_r_environment_management) }),
    ...(default_py_environment_management !== undefined && { default_py_environment_management: writeFlag(default_py_environment_management) }),
    ...(needs_rebuild !== undefined && { needs_rebuild: writeFlag(needs_rebuild) }),
  };
}

/** `name` is unique per owner. */
const duplicateName = (name: string) => new ApiError(ErrorCode.DuplicateName, `You already have content named "${name}".`, { field: 'name' });

export function createContentStore(db: Kysely<Database>) {
  const withOwner = () =>
    db
      .selectFrom('content as c')
      .innerJoin('users as u', 'u.id', 'c.owner_id')
      .selectAll('c')
      .select(['u.guid as owner_guid', 'u.username as owner_username', 'u.first_name as owner_first_name', 'u.last_name as owner_last_name']);

  type Joined = Awaited<ReturnType<ReturnType<typeof withOwner>['executeTakeFirstOrThrow']>>;
  const toRecord = (row: Joined, permissions: readonly ContentGrant[]): ContentRecord => ({
    id: row.id,
    guid: row.guid,
    name: row.name,
    title: row.title,
    description: row.description,
    created_time: row.created_time,
    last_deployed_time: row.last_deployed_time,
    bundle_id: row.bundle_id,
    app_mode: row.app_mode,
    content_category: row.content_category,
    parameterized: readFlag(row.parameterized),
    needs_rebuild: readFlag(row.needs_rebuild),
    default_image_name: row.default_image_name,
    default_environment_guid: row.default_environment_guid,
    default_r_environment_management: readFlag(row.default_r_environment_management),
    default_py_environment_management: readFlag(row.default_py_environment_management),
    ...readBuiltRuntime(row),
    access_type: readValue(AccessTypeSchema, row.access_type, `content ${row.id} access_type`),
    locked: readFlag(row.locked),
    locked_message: row.locked_message,
    connection_timeout: row.connection_timeout,
    read_timeout: row.read_timeout,
    init_timeout: row.init_timeout,
    idle_timeout: row.idle_timeout,
    max_processes: row.max_processes,
    min_processes: row.min_processes,
    max_conns_per_process: row.max_conns_per_process,
    load_factor: row.load_factor,
    memory_request: row.memory_request === null ? null : Number(row.memory_request),
    memory_limit: row.memory_limit === null ? null : Number(row.memory_limit),
    cpu_request: row.cpu_request,
    cpu_limit: row.cpu_limit,
    amd_gpu_limit: row.amd_gpu_limit,
    nvidia_gpu_limit: row.nvidia_gpu_limit,
    service_account_name: row.service_account_name,
    run_as: row.run_as,
    run_as_current_user: readFlag(row.run_as_current_user),
    metrics_collection_enabled: readFlag(row.metrics_collection_enabled),
    notify_on_share: readFlag(row.notify_on_share),
    otel_enabled: readFlag(row.otel_enabled),
    owner: { id: row.owner_id, guid: row.owner_guid, username: row.owner_username, first_name: row.owner_first_name, last_name: row.owner_last_name },
    permissions,
  });

  /** The records of `rows`, each with its access list. */
  async function toRecords(rows: Joined[]): Promise<ContentRecord[]> {
    const grants = await grantsByContent(db, rows.map((row) => row.id));
    return rows.map((row) => toRecord(row, grants.get(row.id) ?? []));
  }

  return {
    async list(filter: { name?: string | undefined; ownerGuid?: string | undefined }): Promise<ContentRecord[]> {
      let query = withOwner();
      if (filter.name !== undefined) query = query.where('c.name', '=', filter.name);
      if (filter.ownerGuid !== undefined) query = query.where('u.guid', '=', filter.ownerGuid);
      return toRecords(await query.orderBy('c.id').execute());
    },

    async findByGuid(guid: string): Promise<ContentRecord | undefined> {
      const row = await withOwner().where('c.guid', '=', guid).executeTakeFirst();
      return row && (await toRecords([row]))[0];
    },

    /** By the numeric id older clients keep (rsconnect's deployment records). */
    async findById(id: number): Promise<ContentRecord | undefined> {
      const row = await withOwner().where('c.id', '=', id).executeTakeFirst();
      return row && (await toRecords([row]))[0];
    },

    /** Throws DuplicateName when the owner already has content of that name. */
    async insert(guid: string, ownerId: number, name: string, fields: ContentFields, now: string): Promise<void> {
      await unlessDuplicate(
        () =>
          db
            .insertInto('content')
            .values({ description: '', ...toColumns(fields), guid, name, owner_id: ownerId, created_time: now })
            .execute(),
        () => duplicateName(name),
      );
    },

    /** Throws DuplicateName when a new name is one the owner already uses. */
    async update(guid: string, fields: ContentFields): Promise<void> {
      const columns = toColumns(fields);
      if (Object.keys(columns).length === 0) return;
      await unlessDuplicate(
        () => db.updateTable('content').set(columns).where('guid', '=', guid).execute(),
        () => duplicateName(fields.name ?? ''),
      );
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
          parameterized: writeFlag(runtime.parameterized),
          r_environment_management: writeFlag(runtime.r_environment_management),
          py_environment_management: writeFlag(runtime.py_environment_management),
          needs_rebuild: writeFlag(false),
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
      return toRecords(rows);
    },

    /** How much content chose or last ran on each environment (each item counted once), by GUID. */
    async countsByEnvironment(): Promise<Map<string, number>> {
      const rows = await db
        .selectFrom('content')
        .select(['default_environment_guid', 'environment_guid'])
        .where((eb) => eb.or([eb('default_environment_guid', 'is not', null), eb('environment_guid', 'is not', null)]))
        .execute();
      const counts = new Map<string, number>();
      for (const row of rows) {
        for (const guid of new Set([row.default_environment_guid, row.environment_guid])) {
          if (guid !== null) counts.set(guid, (counts.get(guid) ?? 0) + 1);
        }
      }
      return counts;
    },
  };
}
export type ContentStore = ReturnType<typeof createContentStore>;
