import * as z from 'zod/mini';

/**
 * What a list shows, kept in its address (`?q=3.11&sort=-title`) so links, reloads and Back restore
 * it: the words searched for, and the order someone chose (`title` ascending, `-title` descending).
 * Which columns an order may name is each list's own; a malformed value is dropped, so an edited
 * address shows the list in its default order rather than an error.
 */
export const ListSearchSchema = z.object({
  q: z.catch(z.optional(z.string()), undefined),
  sort: z.catch(z.optional(z.string().check(z.regex(/^-?[a-z_]+$/))), undefined),
});
export type ListSearch = z.infer<typeof ListSearchSchema>;
