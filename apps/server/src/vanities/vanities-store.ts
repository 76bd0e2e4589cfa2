import { ApiError, ErrorCode, type Vanity, notFound } from '@envdesk/domain';
import type { Kysely } from 'kysely';
import { unlessDuplicate, unlessGone } from '../db/errors.js';
import type { Database } from '../db/schema.js';

/** A vanity URL with the content it routes to. */
export interface VanityRecord extends Vanity {
  readonly contentId: number;
}

/** Vanity URLs: one per content item at most, each path (ignoring case) on one item. */
export function createVanitiesStore(db: Kysely<Database>) {
  const withContent = () =>
    db
      .selectFrom('vanities as v')
      .innerJoin('content as c', 'c.id', 'v.content_id')
      .select(['v.content_id', 'v.path', 'v.created_time', 'c.guid as content_guid']);
  type Row = Awaited<ReturnType<ReturnType<typeof withContent>['executeTakeFirstOrThrow']>>;
  const toRecord = (row: Row): VanityRecord => ({
    contentId: row.content_id,
    content_guid: row.content_guid,
    path: row.path,
    created_time: row.created_time,
  });

  return {
    async list(): Promise<VanityRecord[]> {
      return (await withContent().orderBy('v.path_key').execute()).map(toRecord);
    },

    /** The vanity URLs of these content items, by content id. */
    async ofContents(contentIds: readonly number[]): Promise<Map<number, VanityRecord>> {
      if (contentIds.length === 0) return new Map();
      const rows = await withContent().where('v.content_id', 'in', contentIds).execute();
      return new Map(rows.map((row) => [row.content_id, toRecord(row)]));
    },

    async ofContent(contentId: number): Promise<VanityRecord | undefined> {
      const row = await withContent().where('v.content_id', '=', contentId).executeTakeFirst();
      return row && toRecord(row);
    },

    /** Vanity URLs of other content whose path equals `path`, lies under it or above it. */
    async clashingWith(path: string, contentId: number): Promise<VanityRecord[]> {
      const key = path.toLowerCase();
      // Every ancestor of the path (`/a/` for `/a/b/`) and everything under it.
      const segments = key.split('/').filter(Boolean);
      const ancestors = segments.map((_, index) => `/${segments.slice(0, index + 1).join('/')}/`);
      const rows = await withContent()
        .where('v.content_id', '!=', contentId)
        .where((eb) => eb.or([eb('v.path_key', 'in', ancestors), eb(eb.fn('substr', ['v.path_key', eb.val(1), eb.val(key.length)]), '=', key)]))
        .execute();
      return rows.map(toRecord);
    },

    /**
     * Sets the content's vanity URL, replacing the one it had. Throws DuplicateName if another has
     * the path, 404 when the content was deleted meanwhile.
     */
    async put(contentId: number, path: string, now: string): Promise<void> {
      await db.deleteFrom('vanities').where('content_id', '=', contentId).execute();
      await unlessGone(
        () =>
          unlessDuplicate(
            () => db.insertInto('vanities').values({ content_id: contentId, path, path_key: path.toLowerCase(), created_time: now }).execute(),
            () => new ApiError(ErrorCode.DuplicateName, `The vanity URL ${path} is already in use.`, { field: 'path' }),
          ),
        () => notFound('Content'),
      );
    },

    async remove(contentId: number): Promise<boolean> {
      const result = await db.deleteFrom('vanities').where('content_id', '=', contentId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
export type VanitiesStore = ReturnType<typeof createVanitiesStore>;
