import { ApiError, ErrorCode, type Tag, notFound } from '@envdesk/domain';
import type { Kysely, Selectable } from 'kysely';
import { unlessDuplicate, unlessGone } from '../db/errors.js';
import type { Database, TagsTable } from '../db/schema.js';

/** A tag as the store keeps it: Connect's fields, with numeric ids. */
export interface TagRecord {
  readonly id: number;
  readonly name: string;
  readonly parentId: number | null;
  readonly created_time: string;
  readonly updated_time: string;
}

const toRecord = (row: Selectable<TagsTable>): TagRecord => ({
  id: row.id,
  name: row.name,
  parentId: row.parent_id,
  created_time: row.created_time,
  updated_time: row.updated_time,
});

/** The tag in Connect's shape: ids as strings. */
export const presentTag = (record: TagRecord): Tag => ({
  id: String(record.id),
  name: record.name,
  parent_id: record.parentId === null ? null : String(record.parentId),
  created_time: record.created_time,
  updated_time: record.updated_time,
});

const duplicateName = (name: string) =>
  new ApiError(ErrorCode.DuplicateName, `A tag named "${name}" already exists under that parent.`, { field: 'name' });

/** Tags and their links to content. Writes that span several statements belong in a transaction. */
export function createTagsStore(db: Kysely<Database>) {
  return {
    /** Every tag, oldest first (parents before their children). */
    async list(filter: { name?: string | undefined; parentId?: number | undefined } = {}): Promise<TagRecord[]> {
      let query = db.selectFrom('tags').selectAll();
      if (filter.name !== undefined) query = query.where('name', '=', filter.name);
      if (filter.parentId !== undefined) query = query.where('parent_id', '=', filter.parentId);
      return (await query.orderBy('id').execute()).map(toRecord);
    },

    async findById(id: number): Promise<TagRecord | undefined> {
      const row = await db.selectFrom('tags').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toRecord(row);
    },

    /** The tag of that name under `parentId` (null: the category of that name). */
    async findChild(parentId: number | null, name: string): Promise<TagRecord | undefined> {
      const row = await db
        .selectFrom('tags')
        .selectAll()
        .where('name', '=', name)
        .where((eb) => (parentId === null ? eb('parent_id', 'is', null) : eb('parent_id', '=', parentId)))
        .executeTakeFirst();
      return row && toRecord(row);
    },

    /** Throws DuplicateName when a sibling has the name. */
    async insert(name: string, parentId: number | null, now: string): Promise<TagRecord> {
      const row = await unlessDuplicate(
        () =>
          db
            .insertInto('tags')
            .values({ name, parent_id: parentId, created_time: now, updated_time: now })
            .returningAll()
            .executeTakeFirstOrThrow(),
        () => duplicateName(name),
      );
      return toRecord(row);
    },

    /** Throws DuplicateName when a new sibling has the name. */
    async update(id: number, fields: { name?: string; parentId?: number | null }, now: string): Promise<void> {
      await unlessDuplicate(
        () =>
          db
            .updateTable('tags')
            .set({
              ...(fields.name !== undefined && { name: fields.name }),
              ...(fields.parentId !== undefined && { parent_id: fields.parentId }),
              updated_time: now,
            })
            .where('id', '=', id)
            .execute(),
        () => duplicateName(fields.name ?? ''),
      );
    },

    /** Deletes the tag; the cascade takes the tags under it and every link to content. */
    async remove(id: number): Promise<boolean> {
      const result = await db.deleteFrom('tags').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async ofContent(contentId: number): Promise<TagRecord[]> {
      const rows = await db
        .selectFrom('content_tags as ct')
        .innerJoin('tags as t', 't.id', 'ct.tag_id')
        .selectAll('t')
        .where('ct.content_id', '=', contentId)
        .orderBy('t.id')
        .execute();
      return rows.map(toRecord);
    },

    /** The tags of each content item, for content lists with `include=tags`. */
    async ofContents(contentIds: readonly number[]): Promise<Map<number, TagRecord[]>> {
      const byContent = new Map<number, TagRecord[]>(contentIds.map((id) => [id, []]));
      if (contentIds.length === 0) return byContent;
      const rows = await db
        .selectFrom('content_tags as ct')
        .innerJoin('tags as t', 't.id', 'ct.tag_id')
        .selectAll('t')
        .select('ct.content_id')
        .where('ct.content_id', 'in', contentIds)
        .orderBy('t.id')
        .execute();
      for (const { content_id, ...row } of rows) byContent.get(content_id)?.push(toRecord(row));
      return byContent;
    },

    /** Ids of the content carrying the tag. */
    async contentIdsWith(tagId: number): Promise<number[]> {
      const rows = await db.selectFrom('content_tags').select('content_id').where('tag_id', '=', tagId).orderBy('content_id').execute();
      return rows.map((row) => row.content_id);
    },

    /** Puts the tags on the content; ones it already carries stay as they are. 404 when the content was deleted meanwhile. */
    async link(contentId: number, tagIds: readonly number[]): Promise<void> {
      if (tagIds.length === 0) return;
      await unlessGone(
        () =>
          db
            .insertInto('content_tags')
            .values(tagIds.map((tagId) => ({ content_id: contentId, tag_id: tagId })))
            .onConflict((conflict) => conflict.columns(['content_id', 'tag_id']).doNothing())
            .execute(),
        () => notFound('Content'),
      );
    },

    async unlink(contentId: number, tagIds: readonly number[]): Promise<void> {
      if (tagIds.length === 0) return;
      await db.deleteFrom('content_tags').where('content_id', '=', contentId).where('tag_id', 'in', tagIds).execute();
    },
  };
}
export type TagsStore = ReturnType<typeof createTagsStore>;
