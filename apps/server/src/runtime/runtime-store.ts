import type { ContentPackage, RuntimeCache, RuntimeCacheLanguage } from '@envdesk/domain';
import type { Kysely } from 'kysely';
import { writeFlag } from '../db/columns.js';
import type { Database } from '../db/schema.js';

/** A job as the store keeps it, with its task's progress and its bundle's image. */
export interface JobRecord {
  readonly id: number;
  readonly key: string;
  readonly content_id: number;
  readonly bundle_id: number | null;
  readonly tag: string;
  readonly hostname: string | null;
  readonly start_time: string;
  /** Null once the task is gone (its starter was deleted): the job is then over. */
  readonly task: { readonly finished: boolean; readonly code: number; readonly error: string; readonly finished_time: string | null; readonly heartbeat_time: string | null } | null;
  readonly image_name: string | null;
}

export interface NewJob {
  readonly key: string;
  readonly content_id: number;
  readonly bundle_id: number;
  readonly task_id: string;
  readonly tag: string;
  readonly hostname: string;
  readonly start_time: string;
}

/** A package of a built bundle, with the content it belongs to. */
export interface PackageRecord extends ContentPackage {
  readonly bundle_id: number;
  readonly content_id: number;
  readonly content_guid: string;
  readonly owner_guid: string;
}

/** What a build records beyond the bundle's runtime: the caches it uses and the packages it installs. */
export interface BuildRecords {
  readonly caches: readonly RuntimeCache[];
  readonly packages: readonly ContentPackage[];
}

const LANGUAGE_COLUMN: Record<RuntimeCacheLanguage, 'r_version' | 'py_version'> = { R: 'r_version', Python: 'py_version' };

/** Runtime caches, jobs and built bundles' packages. */
export function createRuntimeStore(db: Kysely<Database>) {
  const jobs = () =>
    db
      .selectFrom('jobs as j')
      .leftJoin('tasks as t', 't.id', 'j.task_id')
      .leftJoin('bundles as b', 'b.id', 'j.bundle_id')
      .select([
        'j.id',
        'j.key',
        'j.content_id',
        'j.bundle_id',
        'j.tag',
        'j.hostname',
        'j.start_time',
        't.id as task_id',
        't.finished',
        't.code',
        't.error',
        't.finished_time',
        't.heartbeat_time',
        'b.image_name',
      ]);
  type JobRow = Awaited<ReturnType<ReturnType<typeof jobs>['executeTakeFirstOrThrow']>>;
  const toJob = (row: JobRow): JobRecord => ({
    id: row.id,
    key: row.key,
    content_id: row.content_id,
    bundle_id: row.bundle_id,
    tag: row.tag,
    hostname: row.hostname,
    start_time: row.start_time,
    task:
      row.task_id === null
        ? null
        : { finished: row.finished === 1, code: row.code ?? 0, error: row.error ?? '', finished_time: row.finished_time, heartbeat_time: row.heartbeat_time },
    image_name: row.image_name,
  });

  return {
    /** Each cache a build uses: created on first use, its use time moved on after. */
    async useCaches(caches: readonly RuntimeCache[], now: string): Promise<void> {
      for (const cache of caches) {
        await db
          .insertInto('runtime_caches')
          .values({ ...cache, created_time: now, used_time: now })
          .onConflict((oc) => oc.columns(['image_name', 'language', 'version']).doUpdateSet({ used_time: now }))
          .execute();
      }
    },

    async listCaches(): Promise<RuntimeCache[]> {
      const rows = await db.selectFrom('runtime_caches').select(['language', 'version', 'image_name']).orderBy('image_name').orderBy('language').orderBy('version').execute();
      return rows.map((row) => ({ language: row.language as RuntimeCacheLanguage, version: row.version, image_name: row.image_name }));
    },

    async hasCache(cache: RuntimeCache): Promise<boolean> {
      const row = await db
        .selectFrom('runtime_caches')
        .select('id')
        .where('image_name', '=', cache.image_name)
        .where('language', '=', cache.language)
        .where('version', '=', cache.version)
        .executeTakeFirst();
      return row !== undefined;
    },

    /**
     * Removes the cache and marks the content built on it (its image, and that language's version
     * with packages restored) for rebuild; false when there was no such cache.
     */
    async removeCache(cache: RuntimeCache): Promise<{ removed: boolean; marked: number }> {
      const removed = await db
        .deleteFrom('runtime_caches')
        .where('image_name', '=', cache.image_name)
        .where('language', '=', cache.language)
        .where('version', '=', cache.version)
        .executeTakeFirst();
      if (Number(removed.numDeletedRows) === 0) return { removed: false, marked: 0 };
      const managed = cache.language === 'R' ? 'r_environment_management' : 'py_environment_management';
      const marked = await db
        .updateTable('content')
        .set({ needs_rebuild: writeFlag(true) })
        .where('bundle_id', 'is not', null)
        .where('image_name', '=', cache.image_name)
        .where(LANGUAGE_COLUMN[cache.language], '=', cache.version)
        .where(managed, '=', writeFlag(true))
        .executeTakeFirst();
      return { removed: true, marked: Number(marked.numUpdatedRows) };
    },

    /** The content built on the cache: what deleting it would mark for rebuild. */
    async contentOnCache(cache: RuntimeCache): Promise<number> {
      const managed = cache.language === 'R' ? 'r_environment_management' : 'py_environment_management';
      const row = await db
        .selectFrom('content')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('bundle_id', 'is not', null)
        .where('image_name', '=', cache.image_name)
        .where(LANGUAGE_COLUMN[cache.language], '=', cache.version)
        .where(managed, '=', writeFlag(true))
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    /**
     * Records the job of a task just started; nothing when its bundle (and so perhaps its content)
     * was deleted meanwhile: the task then fails on its own, and the request still answers it.
     */
    async insertJob(job: NewJob): Promise<void> {
      await db
        .insertInto('jobs')
        .columns(['key', 'content_id', 'bundle_id', 'task_id', 'tag', 'hostname', 'start_time'])
        .expression(
          db
            .selectFrom('bundles')
            .select((eb) => [
              eb.val(job.key).as('key'),
              'content_id',
              'id as bundle_id',
              eb.val(job.task_id).as('task_id'),
              eb.val(job.tag).as('tag'),
              eb.val(job.hostname).as('hostname'),
              eb.val(job.start_time).as('start_time'),
            ])
            .where('id', '=', job.bundle_id)
            .where('content_id', '=', job.content_id),
        )
        .execute();
    },

    /** The content's jobs, newest first. */
    async listJobs(contentId: number): Promise<JobRecord[]> {
      const rows = await jobs().where('j.content_id', '=', contentId).orderBy('j.id', 'desc').execute();
      return rows.map(toJob);
    },

    async findJob(contentId: number, key: string): Promise<JobRecord | undefined> {
      const row = await jobs().where('j.content_id', '=', contentId).where('j.key', '=', key).executeTakeFirst();
      return row && toJob(row);
    },

    /** Replaces what the bundle's build installs. */
    async recordPackages(bundleId: number, packages: readonly ContentPackage[]): Promise<void> {
      await db.deleteFrom('bundle_packages').where('bundle_id', '=', bundleId).execute();
      if (packages.length === 0) return;
      await db
        .insertInto('bundle_packages')
        .values(packages.map((pkg) => ({ bundle_id: bundleId, ...pkg })))
        .execute();
    },

    /** The packages of every content item's active bundle, by language then name. */
    async listActivePackages(filter: { contentId?: number }): Promise<PackageRecord[]> {
      let query = db
        .selectFrom('bundle_packages as p')
        .innerJoin('content as c', 'c.bundle_id', 'p.bundle_id')
        .innerJoin('users as u', 'u.id', 'c.owner_id')
        .select(['p.bundle_id', 'p.language', 'p.language_version', 'p.name', 'p.version', 'p.hash', 'c.id as content_id', 'c.guid as content_guid', 'u.guid as owner_guid']);
      if (filter.contentId !== undefined) query = query.where('c.id', '=', filter.contentId);
      const rows = await query.orderBy('p.language').orderBy('p.name').orderBy('c.id').execute();
      return rows.map((row) => ({ ...row, language: row.language === 'r' ? 'r' : 'python' }));
    },

    async contentGuidById(id: number): Promise<string | undefined> {
      const row = await db.selectFrom('content').select('guid').where('id', '=', id).executeTakeFirst();
      return row?.guid;
    },
  };
}
export type RuntimeStore = ReturnType<typeof createRuntimeStore>;
