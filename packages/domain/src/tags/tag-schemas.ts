import * as z from 'zod/mini';
import { lineOfText, parseRecordId } from '../validation.js';

/** Connect's limit on a tag's name. */
export const MAX_TAG_NAME_LENGTH = 255;

/**
 * A tag as Connect shows it: ids are strings; a tag without a parent is a "category", which
 * organises the tags under it and is never put on content itself.
 */
export const TagSchema = z.object({
  id: z.string(),
  name: z.string(),
  parent_id: z.nullable(z.string()),
  created_time: z.string(),
  updated_time: z.string(),
});
export type Tag = z.infer<typeof TagSchema>;

/** Names are trimmed; after that they hold something, fit Connect's limit and no control characters. */
const TagNameSchema = lineOfText({ trim: true }).check(
  z.minLength(1, 'must not be empty'),
  z.maxLength(MAX_TAG_NAME_LENGTH, `must be at most ${MAX_TAG_NAME_LENGTH} characters`),
);

/** A tag id as clients send it: Connect's string (`"42"`), or the number R users sometimes pass. */
const TagIdSchema = z.pipe(
  z.union([z.string(), z.number().check(z.int())]),
  z.transform((value, ctx) => {
    const id = parseRecordId(String(value));
    if (id === null) {
      ctx.issues.push({ code: 'custom', message: 'must be a tag id', input: value });
      return z.NEVER;
    }
    return id;
  }),
);

/** `POST /v1/tags`: a name, and the parent's id unless the tag is a category. */
export const CreateTagInputSchema = z.object({
  name: TagNameSchema,
  parent_id: z.nullish(TagIdSchema),
});
export type CreateTagInput = z.infer<typeof CreateTagInputSchema>;

/** `PATCH /v1/tags/{id}`: fields present replace; `parent_id: null` makes the tag a category. */
export const UpdateTagInputSchema = z.object({
  name: z.optional(TagNameSchema),
  parent_id: z.nullish(TagIdSchema),
});
export type UpdateTagInput = z.infer<typeof UpdateTagInputSchema>;

/** `GET /v1/tags?name=&parent_id=`: both optional; unknown keys are ignored (posit-sdk's find). */
export const ListTagsQuerySchema = z.object({
  name: z.optional(lineOfText()),
  parent_id: z.optional(TagIdSchema),
});
export type ListTagsQuery = z.infer<typeof ListTagsQuerySchema>;

/** `POST /v1/content/{guid}/tags`. */
export const ContentTagInputSchema = z.object({
  tag_id: TagIdSchema,
});
export type ContentTagInput = z.infer<typeof ContentTagInputSchema>;

/** A tag's ancestors, nearest first, from a map of every tag's parent; a cycle ends the walk. */
export function ancestorsOf(id: number, parentOf: ReadonlyMap<number, number | null>): number[] {
  const ancestors: number[] = [];
  const seen = new Set([id]);
  for (let parent = parentOf.get(id) ?? null; parent !== null && !seen.has(parent); parent = parentOf.get(parent) ?? null) {
    ancestors.push(parent);
    seen.add(parent);
  }
  return ancestors;
}

/** Would giving tag `id` the parent `parentId` make it its own ancestor? */
export function wouldCycle(id: number, parentId: number, parentOf: ReadonlyMap<number, number | null>): boolean {
  return parentId === id || ancestorsOf(parentId, parentOf).includes(id);
}
