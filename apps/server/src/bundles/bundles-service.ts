import { type Actor, ApiError, ErrorCode, notFound } from '@envdesk/domain';
import { type Clock, rfc3339 } from '../clock.js';
import type { ContentService } from '../content/content-service.js';
import type { ContentRecord } from '../content/content-store.js';
import type { Store } from '../db/store.js';
import { readBundle } from './bundle-reader.js';

/** Room for a multipart body's boundaries and small fields (rsconnect-python's git metadata). */
const MULTIPART_ALLOWANCE = 1024 * 1024;

export const tooLarge = (maxBytes: number) =>
  new ApiError(
    ErrorCode.BadRequest,
    `The bundle is larger than the ${maxBytes}-byte limit (ENVDESK_BUNDLE_MAX_BYTES).`,
    { field: 'archive' },
    413,
  );

export function createBundlesService(deps: { store: Store; clock: Clock; content: ContentService; maxBytes: number }) {
  const { store, clock, content, maxBytes } = deps;

  async function existing(actor: Actor, contentGuid: string, bundleId: string) {
    const record = await content.writable(actor, contentGuid);
    const bundle = /^\d+$/.test(bundleId) ? await store.bundles.find(record.row.id, Number(bundleId)) : undefined;
    if (!bundle) throw notFound('Bundle');
    return { record, bundle };
  }

  return {
    maxBytes,

    /**
     * The content a bundle is about to be uploaded to, once the caller may write it and the size
     * the request declares fits (a multipart body may carry a little more than the archive itself).
     */
    async writableFor(actor: Actor, contentGuid: string, declaredBytes: number | null): Promise<ContentRecord> {
      const record = await content.writable(actor, contentGuid);
      if (declaredBytes !== null && declaredBytes > maxBytes + MULTIPART_ALLOWANCE) throw tooLarge(maxBytes);
      return record;
    },

    async upload(actor: Actor, record: ContentRecord, archive: Buffer) {
      if (archive.length > maxBytes) throw tooLarge(maxBytes);
      const read = readBundle(archive, maxBytes);
      const bundle = await store.transaction((tx) =>
        tx.bundles.insert(
          record.row.id,
          { created_by: actor.guid, size: archive.length, archive_md5: read.md5, archive_sha1: read.sha1, manifest: read.manifest, archive },
          rfc3339(clock.now()),
        ),
      );
      return { record, bundle };
    },

    async list(actor: Actor, contentGuid: string) {
      const record = await content.writable(actor, contentGuid);
      return { record, bundles: await store.bundles.list(record.row.id) };
    },

    get: existing,

    async download(actor: Actor, contentGuid: string, bundleId: string): Promise<Buffer> {
      const { record, bundle } = await existing(actor, contentGuid, bundleId);
      const archive = await store.bundles.archive(record.row.id, bundle.id);
      if (!archive) throw notFound('Bundle');
      return archive;
    },

    async remove(actor: Actor, contentGuid: string, bundleId: string): Promise<void> {
      const { record, bundle } = await existing(actor, contentGuid, bundleId);
      if (bundle.active === 1 || record.row.bundle_id === bundle.id) {
        throw new ApiError(ErrorCode.DeleteActiveBundle, 'This is the active bundle of the content; deploy another bundle before deleting it.');
      }
      await store.transaction((tx) => tx.bundles.remove(record.row.id, bundle.id));
    },
  };
}
export type BundlesService = ReturnType<typeof createBundlesService>;
