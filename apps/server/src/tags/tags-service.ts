import {
  type Actor,
  ApiError,
  type CreateTagInput,
  ErrorCode,
  type ListTagsQuery,
  type UpdateTagInput,
  ancestorsOf,
  notFound,
  parseRecordId,
  wouldCycle,
} from '@envdesk/domain';
import { authorize } from '../auth/authorize.js';
import { type Clock, timestamp } from '../clock.js';
import type { ContentService } from '../content/content-service.js';
import type { ContentRecord } from '../content/content-store.js';
import type { Store } from '../db/store.js';
import type { TagRecord, TagsStore } from './tags-store.js';

const noSuchParent = () => new ApiError(ErrorCode.InvalidParameter, 'No tag has that parent_id.', { field: 'parent_id' });

/** Every tag's parent, for walking the tree without a query per level. */
const parentsOf = (tags: readonly TagRecord[]) => new Map(tags.map((tag) => [tag.id, tag.parentId]));

/** Ids of the tag and every tag under it. */
function subtreeOf(id: number, tags: readonly TagRecord[]): number[] {
  const parents = parentsOf(tags);
  return tags.filter((tag) => tag.id === id || ancestorsOf(tag.id, parents).includes(id)).map((tag) => tag.id);
}

/**
 * Connect's tags (`/v1/tags`) and the tags on content (`/v1/content/{guid}/tags`). Changes to the
 * tree run under one lock, so two moves at once cannot make a cycle between them.
 */
export function createTagsService({
  store,
  clock,
  content,
}: {
  store: Pick<Store, 'tags' | 'transaction'>;
  clock: Clock;
  content: Pick<ContentService, 'authorized' | 'list'>;
}) {
  /** The tag of that id, or at that path of names; read through `tags` (a transaction's, inside one). */
  async function existing(tags: TagsStore, idOrPath: string): Promise<TagRecord> {
    const id = parseRecordId(idOrPath);
    if (id !== null) {
      const tag = await tags.findById(id);
      if (tag) return tag;
      throw notFound('Tag');
    }
    // Connect also finds a tag by its path of names from the category: `Region,Europe`.
    let tag: TagRecord | undefined;
    for (const name of idOrPath.split(',')) {
      tag = await tags.findChild(tag?.id ?? null, name.trim());
      if (!tag) throw notFound('Tag');
    }
    if (!tag) throw notFound('Tag');
    return tag;
  }

  return {
    async list(actor: Actor, query: ListTagsQuery): Promise<TagRecord[]> {
      authorize(actor, 'tags:read');
      return store.tags.list({ name: query.name, parentId: query.parent_id });
    },

    async get(actor: Actor, idOrPath: string): Promise<TagRecord> {
      authorize(actor, 'tags:read');
      return existing(store.tags, idOrPath);
    },

    async create(actor: Actor, input: CreateTagInput): Promise<TagRecord> {
      authorize(actor, 'tags:write');
      return store.transaction(async (tx) => {
        await tx.lock('tags');
        const parentId = input.parent_id ?? null;
        if (parentId !== null && !(await tx.tags.findById(parentId))) throw noSuchParent();
        return tx.tags.insert(input.name, parentId, timestamp(clock));
      });
    },

    /** Renames or moves the tag; a move under itself or one of its descendants is refused. */
    async update(actor: Actor, idOrPath: string, input: UpdateTagInput): Promise<TagRecord> {
      authorize(actor, 'tags:write');
      return store.transaction(async (tx) => {
        await tx.lock('tags');
        const tag = await existing(tx.tags, idOrPath);
        const parentId = input.parent_id;
        if (parentId !== undefined && parentId !== null) {
          const tags = await tx.tags.list();
          if (!tags.some((other) => other.id === parentId)) throw noSuchParent();
          if (wouldCycle(tag.id, parentId, parentsOf(tags))) {
            throw new ApiError(ErrorCode.InvalidParameter, 'A tag cannot be moved under itself or one of its own tags.', { field: 'parent_id' });
          }
        }
        await tx.tags.update(tag.id, { name: input.name, parentId }, timestamp(clock));
        return (await tx.tags.findById(tag.id))!;
      });
    },

    /** Deletes the tag with every tag under it, and takes them off all content. */
    async remove(actor: Actor, idOrPath: string): Promise<void> {
      authorize(actor, 'tags:write');
      await store.transaction(async (tx) => {
        await tx.lock('tags');
        const tag = await existing(tx.tags, idOrPath);
        await tx.tags.remove(tag.id);
      });
    },

    /** Content carrying the tag that the caller may see. */
    async contentWith(actor: Actor, idOrPath: string): Promise<ContentRecord[]> {
      authorize(actor, 'tags:read');
      const tag = await existing(store.tags, idOrPath);
      const ids = new Set(await store.tags.contentIdsWith(tag.id));
      // What the content list shows the caller, so a tag never reveals content they may not see.
      return (await content.list(actor, {})).filter((record) => ids.has(record.id));
    },

    async ofContent(actor: Actor, guid: string): Promise<TagRecord[]> {
      const record = await content.authorized(actor, guid, 'content:read-links');
      return store.tags.ofContent(record.id);
    },

    /**
     * Puts the tag on the content with the tags above it, up to (not including) its category;
     * a category itself cannot be put on content.
     */
    async tag(actor: Actor, guid: string, tagId: number): Promise<TagRecord> {
      const record = await content.authorized(actor, guid, 'content:tag');
      return store.transaction(async (tx) => {
        await tx.lock('tags');
        const tags = await tx.tags.list();
        const tag = tags.find((candidate) => candidate.id === tagId);
        if (!tag) throw new ApiError(ErrorCode.ObjectDoesNotExist, 'Tag does not exist.', { field: 'tag_id' });
        if (tag.parentId === null) {
          throw new ApiError(ErrorCode.InvalidParameter, `"${tag.name}" is a tag category; categories cannot be put on content, only the tags under them.`, {
            field: 'tag_id',
          });
        }
        const ancestors = ancestorsOf(tag.id, parentsOf(tags));
        // The last ancestor is the category.
        await tx.tags.link(record.id, [tag.id, ...ancestors.slice(0, -1)]);
        return tag;
      });
    },

    /** Takes the tag and every tag under it off the content. */
    async untag(actor: Actor, guid: string, idOrPath: string): Promise<void> {
      const record = await content.authorized(actor, guid, 'content:tag');
      await store.transaction(async (tx) => {
        await tx.lock('tags');
        const tag = await existing(tx.tags, idOrPath);
        await tx.tags.unlink(record.id, subtreeOf(tag.id, await tx.tags.list()));
      });
    },
  };
}
export type TagsService = ReturnType<typeof createTagsService>;
