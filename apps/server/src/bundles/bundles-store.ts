import type { Kysely } from 'kysely';
import type { BuiltRuntime } from '../content/content-store.js';
import type { BundleRow, Database } from '../db/schema.js';

export type BundleSummary = BundleRow;

export interface NewBundle {
  created_by: string | null;
  size: number;
  archive_md5: string;
  archive_sha1: string;
  manifest: unknown;
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

/** Bundles and their archives; the archive's pieces are read one at a time, never the whole. */
export function createBundlesStore(db: Kysely<Database>) {
  return {
    /** Writes the bundle and makes the pieces stored under `uploadKey` its archive. */
    async insert(contentId: number, bundle: NewBundle, uploadKey: string, now: string): Promise<BundleSummary> {
      const row = await db
        .insertInto('bundles')
        .values({ ...bundle, manifest: JSON.stringify(bundle.manifest), content_id: contentId, created_time: now })
        .returning(SUMMARY_COLUMNS)
        .executeTakeFirstOrThrow();
      await db.updateTable('bundle_uploads').set({ bundle_id: row.id }).where('upload_key', '=', uploadKey).execute();
      return row;
    },

    async startUpload(uploadKey: string, now: string): Promise<void> {
      await db.insertInto('bundle_uploads').values({ upload_key: uploadKey, bundle_id: null, created_time: now }).execute();
    },

    /** One piece of an upload in progress (its own statement: no transaction is held open for a slow client). */
    async stageChunk(uploadKey: string, seq: number, data: Buffer): Promise<void> {
      await db.insertInto('bundle_chunks').values({ upload_key: uploadKey, seq, data }).execute();
    },

    /** Drops an upload that failed, with its pieces. */
    async discardUpload(uploadKey: string): Promise<void> {
      await db.deleteFrom('bundle_uploads').where('upload_key', '=', uploadKey).where('bundle_id', 'is', null).execute();
    },

    /** Drops uploads started before `before` that never became a bundle (their process died). */
    async discardAbandoned(before: string): Promise<void> {
      await db.deleteFrom('bundle_uploads').where('bundle_id', 'is', null).where('created_time', '<', before).execute();
    },

    /** How many pieces are stored, bundles' and uploads' in progress alike. */
    async chunkCount(): Promise<number> {
      const row = await db.selectFrom('bundle_chunks').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
      return Number(row.count);
    },

    /** The archive's pieces in order, one query each, so a download holds one piece at a time. */
    async *archive(bundleId: number): AsyncGenerator<Buffer> {
      const upload = await db.selectFrom('bundle_uploads').select('upload_key').where('bundle_id', '=', bundleId).executeTakeFirst();
      if (!upload) return;
      for (let seq = 0; ; seq++) {
        const row = await db.selectFrom('bundle_chunks').select('data').where('upload_key', '=', upload.upload_key).where('seq', '=', seq).executeTakeFirst();
        if (!row) return;
        yield row.data;
      }
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
