import { createHash, randomUUID } from 'node:crypto';
import { type Actor, ApiError, ErrorCode, notFound, parseBundleSource, parseRecordId } from '@envdesk/domain';
import { authorize } from '../auth/authorize.js';
import { type Clock, rfc3339, timestamp } from '../clock.js';
import { type ContentService, contentSubject } from '../content/content-service.js';
import type { ContentRecord } from '../content/content-store.js';
import type { Store } from '../db/store.js';
import { readManifest } from './bundle-reader.js';

/** The size of the pieces an archive is stored in. */
const CHUNK_BYTES = 1024 * 1024;

/** An upload whose process died leaves pieces behind; any upload older than this has surely ended. */
const ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000;

/** Waits for both; throws the first failure once neither is still running. */
async function settleBoth(first: Promise<void>, second: Promise<void>): Promise<void> {
  const results = await Promise.allSettled([first, second]);
  for (const result of results) if (result.status === 'rejected') throw result.reason;
}

/** Room for a multipart body's boundaries and small fields (rsconnect-python's git metadata). */
const MULTIPART_ALLOWANCE = 1024 * 1024;

export const tooLarge = (maxBytes: number) =>
  new ApiError(
    ErrorCode.BadRequest,
    `The bundle is larger than the ${maxBytes}-byte limit (ENVDESK_BUNDLE_MAX_BYTES).`,
    { field: 'archive' },
    413,
  );

export function createBundlesService(deps: { store: Pick<Store, 'bundles' | 'transaction'>; clock: Clock; content: ContentService; maxBytes: number }) {
  const { store, clock, content, maxBytes } = deps;

  /** The content whose bundles `actor` may read or write: as for content, 403 before 404 before 403. */
  async function bundlesOf(actor: Actor, contentGuid: string, action: 'bundles:read' | 'bundles:write'): Promise<ContentRecord> {
    authorize(actor, action);
    const record = await content.readable(actor, contentGuid);
    authorize(actor, action, { content: contentSubject(record) });
    return record;
  }

  async function existing(actor: Actor, contentGuid: string, bundleId: string, action: 'bundles:read' | 'bundles:write') {
    const record = await bundlesOf(actor, contentGuid, action);
    // An id the database cannot hold (beyond PostgreSQL's integer) finds nothing, like any unknown id.
    const id = parseRecordId(bundleId);
    const bundle = id === null ? undefined : await store.bundles.find(record.id, id);
    if (!bundle) throw notFound('Bundle');
    return { record, bundle };
  }

  return {
    maxBytes,

    /**
     * The content a bundle is about to be uploaded to, once the caller may write it and the size
     * the request declares fits (a multipart body may carry a little more than the archive itself).
     */
    async writableFor(actor: Actor, contentGuid: string, declared: { bytes: number | null; multipart: boolean }): Promise<ContentRecord> {
      const record = await bundlesOf(actor, contentGuid, 'bundles:write');
      if (declared.bytes !== null && declared.bytes > maxBytes + (declared.multipart ? MULTIPART_ALLOWANCE : 0)) throw tooLarge(maxBytes);
      return record;
    },

    /**
     * Stores the archive as it arrives, in ~1 MiB pieces, while hashing it and reading it as a
     * .tar.gz: memory holds a piece, not the bundle. Refused (too large, not an archive, a bad
     * manifest), the pieces written so far are deleted and no bundle appears.
     */
    async upload(actor: Actor, record: ContentRecord, source: AsyncIterable<Buffer>, metadata: Promise<string | null> = Promise.resolve(null)) {
      // The tar reader loads with the first upload, not with every start.
      const { archiveLimitsFor, inspectArchive } = await import('./archive-inspector.js');
      const uploadKey = randomUUID();
      const startedAt = clock.now();
      await store.bundles.discardAbandoned(rfc3339(new Date(startedAt.getTime() - ABANDONED_AFTER_MS)));
      await store.bundles.startUpload(uploadKey, rfc3339(startedAt));
      const md5 = createHash('md5');
      const sha1 = createHash('sha1');
      const inspector = inspectArchive(archiveLimitsFor(maxBytes));
      let size = 0;
      let seq = 0;
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      const flush = async () => {
        if (pendingBytes === 0) return;
        const data = Buffer.concat(pending);
        pending = [];
        pendingBytes = 0;
        await store.bundles.stageChunk(uploadKey, seq++, data);
      };
      try {
        for await (const piece of source) {
          size += piece.length;
          if (size > maxBytes) throw tooLarge(maxBytes);
          md5.update(piece);
          sha1.update(piece);
          pending.push(piece);
          pendingBytes += piece.length;
          // Both settle before the next piece is read (back-pressure on the client), and before a
          // failure is thrown, so no write lands after the clean-up below.
          await settleBoth(pendingBytes >= CHUNK_BYTES ? flush() : Promise.resolve(), inspector.write(piece));
        }
        if (size === 0) {
          throw new ApiError(ErrorCode.BundleMissing, 'The request has no bundle: send the .tar.gz as the body, or as the multipart part "archive".', { field: 'archive' });
        }
        await flush();
        const inspected = await inspector.end();
        const manifest = readManifest(inspected.manifestText);
        const origin = parseBundleSource(await metadata);
        if (!origin.ok) throw origin.error;
        const bundle = await store.transaction((tx) =>
          tx.bundles.insert(
            record.id,
            { created_by: actor.guid, size, archive_md5: md5.digest('hex'), archive_sha1: sha1.digest('hex'), manifest, ...origin.value },
            uploadKey,
            timestamp(clock),
          ),
        );
        return { record, bundle };
      } catch (error) {
        inspector.abort();
        await store.bundles.discardUpload(uploadKey).catch(() => undefined);
        throw error;
      }
    },

    async list(actor: Actor, contentGuid: string) {
      const record = await bundlesOf(actor, contentGuid, 'bundles:read');
      return { record, bundles: await store.bundles.list(record.id) };
    },

    get: (actor: Actor, contentGuid: string, bundleId: string) => existing(actor, contentGuid, bundleId, 'bundles:read'),

    /** The bundle and its archive's pieces, read one at a time as the download is sent. */
    async download(actor: Actor, contentGuid: string, bundleId: string) {
      const { bundle } = await existing(actor, contentGuid, bundleId, 'bundles:read');
      return { bundle, archive: store.bundles.archive(bundle.id) };
    },

    async remove(actor: Actor, contentGuid: string, bundleId: string): Promise<void> {
      const { record, bundle } = await existing(actor, contentGuid, bundleId, 'bundles:write');
      if (bundle.active || record.bundle_id === bundle.id) {
        throw new ApiError(ErrorCode.DeleteActiveBundle, 'This is the active bundle of the content; deploy another bundle before deleting it.');
      }
      await store.transaction((tx) => tx.bundles.remove(record.id, bundle.id));
    },
  };
}
export type BundlesService = ReturnType<typeof createBundlesService>;
