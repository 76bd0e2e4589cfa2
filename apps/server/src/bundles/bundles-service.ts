import { type Actor, ApiError, ErrorCode, notFound } from '@envdesk/domain';
import { type Clock, rfc3339 } from '../clock.js';
import type { ContentService } from '../content/content-service.js';
import type { Store } from '../db/store.js';
import { readBundle } from './bundle-reader.js';

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

    async upload(actor: Actor, contentGuid: string, archive: Buffer) {
      const record = await content.writable(actor, contentGuid);
      if (archive.length > maxBytes) {
        throw new ApiError(ErrorCode.BadRequest, `The bundle is larger than ${maxBytes} bytes.`, { field: 'archive' }, 413);
      }
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
