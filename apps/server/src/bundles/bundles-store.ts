import { type Bundle, BundleSchema, type BundleSource, type Manifest, type Result, parseManifest } from '@envdesk/domain';
import type { Kysely } from 'kysely';
import { type BuiltRuntime, readBuiltRuntime } from '../content/content-store.js';
import { readFlag, readJson, readJsonText, writeFlag } from '../db/columns.js';
import type { Database } from '../db/schema.js';

/**
 * A bundle as the store keeps it: Connect's fields that need no content (the presenter adds its
 * GUID), with the ids and the archive's hashes.
 */
export interface BundleRecord extends Readonly<Pick<Bundle, 'created_time' | 'created_by' | 'size' | 'active' | 'build_plan'> & BuiltRuntime> {
  readonly id: number;
  readonly content_id: number;
  readonly archive_md5: string;
  readonly archive_sha1: string;
  /**
   * manifest.json as checked by the manifest schema now, or what that schema finds wrong with it:
   * it passed when uploaded, but a bundle outlives changes to the rules (a deploy says so in its log).
   */
  readonly manifest: Result<Manifest, string>;
  /** Where its files came from (git metadata sent with the upload), all null when not said. */
  readonly origin: BundleSource;
}

export interface NewBundle extends BundleSource {
  created_by: string | null;
  size: number;
  archive_md5: string;
  archive_sha1: string;
  manifest: Manifest;
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
  'source',
  'source_repo',
  'source_branch',
  'source_commit',
] as const;

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaries>['executeTakeFirstOrThrow']>>;
const summaries = (db: Kysely<Database>) => db.selectFrom('bundles').select(SUMMARY_COLUMNS);

function toBundleRecord(row: SummaryRow): BundleRecord {
  return {
    id: row.id,
    content_id: row.content_id,
    created_time: row.created_time,
    created_by: row.created_by,
    size: row.size,
    archive_md5: row.archive_md5,
    archive_sha1: row.archive_sha1,
    manifest: parseManifest(readJsonText(row.manifest, `bundles ${row.id} manifest`)),
    active: readFlag(row.active),
    ...readBuiltRuntime(row),
    build_plan: row.build_plan === null ? null : readJson(BundleSchema.shape.build_plan, row.build_plan, `bundles ${row.id} build_plan`),
    origin: { source: row.source, source_repo: row.source_repo, source_branch: row.source_branch, source_commit: row.source_commit },
  };
}

/** Bundles and their archives; the archive's pieces are read one at a time, never the whole. */
export function createBundlesStore(db: Kysely<Database>) {
  return {
    /** Writes the bundle and makes the pieces stored under `uploadKey` its archive. */
    async insert(contentId: number, bundle: NewBundle, uploadKey: string, now: string): Promise<BundleRecord> {
      const row = await db
        .insertInto('bundles')
        .values({ ...bundle, manifest: JSON.stringify(bundle.manifest), content_id: contentId, created_time: now })
        .returning(SUMMARY_COLUMNS)
        .executeTakeFirstOrThrow();
      await db.updateTable('bundle_uploads').set({ bundle_id: row.id }).where('upload_key', '=', uploadKey).execute();
      return toBundleRecord(row);
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

    async list(contentId: number): Promise<BundleRecord[]> {
      const rows = await summaries(db).where('content_id', '=', contentId).orderBy('id', 'desc').execute();
      return rows.map(toBundleRecord);
    },

    async find(contentId: number, id: number): Promise<BundleRecord | undefined> {
      const row = await summaries(db).where('content_id', '=', contentId).where('id', '=', id).executeTakeFirst();
      return row && toBundleRecord(row);
    },

    async latest(contentId: number): Promise<BundleRecord | undefined> {
      const row = await summaries(db).where('content_id', '=', contentId).orderBy('id', 'desc').limit(1).executeTakeFirst();
      return row && toBundleRecord(row);
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
          r_environment_management: writeFlag(runtime.r_environment_management),
          py_environment_management: writeFlag(runtime.py_environment_management),
          build_plan: JSON.stringify(runtime.build_plan),
        })
        .where('id', '=', id)
        .execute();
    },

    /** Exactly one active bundle per content item. */
    async activate(contentId: number, id: number): Promise<void> {
      await db.updateTable('bundles').set({ active: writeFlag(false) }).where('content_id', '=', contentId).execute();
      await db.updateTable('bundles').set({ active: writeFlag(true) }).where('id', '=', id).execute();
    },
  };
}
export type BundlesStore = ReturnType<typeof createBundlesStore>;
