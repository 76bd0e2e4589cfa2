import type { Kysely } from 'kysely';
import type { BuiltRuntime } from '../content/content-store.js';
import type { BundleRow, Database } from '../db/schema.js';

export type BundleSummary = Omit<BundleRow, 'archive'>;

export interface NewBundle {
  created_by: string | null;
  size: number;
  archive_md5: string;
  archive_sha1: string;
  manifest: unknown;
  archive: Buffer;
}

/** What a build recorded on the bundle, with the plan it handed to Kubernetes. */
export interface BundleBuild extends BuiltRuntime {
  build_plan: unknown;
}

const SUMMARY_COLUMNS = [
  'id',
  'content_id',
  'created_time',
  'created_by',
  'size',
  'archive_md5',
  'archive_sha1',
  'manifest',
  'active',
  'environment_guid',
  'image_name',
  'r_version',
  'py_version',
  'quarto_version',
  'r_environment_management',
  'py_environment_management',
  'build_plan',
] as const;

const flag = (value: boolean | null) => (value === null ? null : value ? 1 : 0);

/** Bundles and their archives; listing never loads the archive bytes. */
export function createBundlesStore(db: Kysely<Database>) {
  return {
    async insert(contentId: number, bundle: NewBundle, now: string): Promise<BundleSummary> {
      return db
        .insertInto('bundles')
        .values({ ...bundle, manifest: JSON.stringify(bundle.manifest), content_id: contentId, created_time: now })
        .returning(SUMMARY_COLUMNS)
        .executeTakeFirstOrThrow();
    },

    list(contentId: number): Promise<BundleSummary[]> {
      return db.selectFrom('bundles').select(SUMMARY_COLUMNS).where('content_id', '=', contentId).orderBy('id', 'desc').execute();
    },

    find(contentId: number, id: number): Promise<BundleSummary | undefined> {
      return db.selectFrom('bundles').select(SUMMARY_COLUMNS).where('content_id', '=', contentId).where('id', '=', id).executeTakeFirst();
    },

    latest(contentId: number): Promise<BundleSummary | undefined> {
      return db.selectFrom('bundles').select(SUMMARY_COLUMNS).where('content_id', '=', contentId).orderBy('id', 'desc').limit(1).executeTakeFirst();
    },

    async archive(contentId: number, id: number): Promise<Buffer | undefined> {
      const row = await db.selectFrom('bundles').select('archive').where('content_id', '=', contentId).where('id', '=', id).executeTakeFirst();
      return row?.archive;
    },

    async remove(contentId: number, id: number): Promise<boolean> {
      const result = await db.deleteFrom('bundles').where('content_id', '=', contentId).where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async recordBuild(id: number, runtime: BundleBuild): Promise<void> {
      await db
        .updateTable('bundles')
        .set({
          ...runtime,
          r_environment_management: flag(runtime.r_environment_management),
          py_environment_management: flag(runtime.py_environment_management),
          build_plan: JSON.stringify(runtime.build_plan),
        })
        .where('id', '=', id)
        .execute();
    },

    /** Exactly one active bundle per content item. */
    async activate(contentId: number, id: number): Promise<void> {
      await db.updateTable('bundles').set({ active: 0 }).where('content_id', '=', contentId).execute();
      await db.updateTable('bundles').set({ active: 1 }).where('id', '=', id).execute();
    },
  };
}
export type BundlesStore = ReturnType<typeof createBundlesStore>;
