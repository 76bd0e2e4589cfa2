import { type Actor, ApiError, ErrorCode, type Vanity, type VanityInput, notFound } from '@envdesk/domain';
import { authorize } from '../auth/authorize.js';
import { type Clock, timestamp } from '../clock.js';
import { type ContentService, contentSubject } from '../content/content-service.js';
import type { Store } from '../db/store.js';
import type { VanityRecord } from './vanities-store.js';

const present = ({ content_guid, path, created_time }: VanityRecord): Vanity => ({ content_guid, path, created_time });

/**
 * Connect's vanity URLs (`/v1/vanities`, `/v1/content/{guid}/vanity`). Changes run under one lock:
 * the check that no other content has the path (or one above or under it) and the write are one step.
 */
export function createVanitiesService({
  store,
  clock,
  content,
}: {
  store: Pick<Store, 'vanities' | 'content' | 'transaction'>;
  clock: Clock;
  content: Pick<ContentService, 'authorized'>;
}) {
  return {
    async list(actor: Actor): Promise<Vanity[]> {
      authorize(actor, 'vanities:read-all');
      return (await store.vanities.list()).map(present);
    },

    async get(actor: Actor, guid: string): Promise<Vanity> {
      const record = await content.authorized(actor, guid, 'content:read-links');
      const vanity = await store.vanities.ofContent(record.id);
      if (!vanity) throw notFound('Vanity URL');
      return present(vanity);
    },

    /**
     * Gives the content the path. A path another item has is taken from it only with `force`, and
     * only by someone who may change that item too; a path above or under another's is refused.
     */
    async set(actor: Actor, guid: string, input: VanityInput): Promise<Vanity> {
      const record = await content.authorized(actor, guid, 'content:write-links');
      const samePath = (other: VanityRecord) => other.path.toLowerCase() === input.path.toLowerCase();
      // Taking the path from other content needs the right to change that content too; asked
      // before the transaction, which then reads and writes vanity URLs only.
      const movable = new Set<number>();
      if (input.force) {
        for (const other of await store.vanities.clashingWith(input.path, record.id)) {
          if (!samePath(other)) continue;
          const holder = await store.content.findByGuid(other.content_guid);
          // Gone meanwhile: the transaction below finds the path free.
          if (!holder) continue;
          // 403 whether or not they may see that content: the 409 without force already told them
          // the path is in use, and a 404 would name content they never asked about.
          authorize(actor, 'content:write-links', contentSubject(holder), () =>
            new ApiError(ErrorCode.PermissionDenied, `The vanity URL ${other.path} belongs to content you may not change.`, { field: 'path' }),
          );
          movable.add(other.contentId);
        }
      }
      return store.transaction(async (tx) => {
        await tx.lock('vanities');
        for (const other of await tx.vanities.clashingWith(input.path, record.id)) {
          if (!samePath(other)) {
            throw new ApiError(ErrorCode.DuplicateName, `The vanity URL ${input.path} overlaps ${other.path}, which other content uses.`, { field: 'path' });
          }
          if (!movable.has(other.contentId)) {
            throw new ApiError(ErrorCode.DuplicateName, `The vanity URL ${other.path} is already in use; send "force": true to move it to this content.`, {
              field: 'path',
            });
          }
          await tx.vanities.remove(other.contentId);
        }
        await tx.vanities.put(record.id, input.path, timestamp(clock));
        return present((await tx.vanities.ofContent(record.id))!);
      });
    },

    async remove(actor: Actor, guid: string): Promise<void> {
      const record = await content.authorized(actor, guid, 'content:write-links');
      await store.vanities.remove(record.id);
    },
  };
}
export type VanitiesService = ReturnType<typeof createVanitiesService>;
