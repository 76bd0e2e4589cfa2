import { z } from 'zod';

/**
 * What a list shows, kept in its address (`?q=3.11&sort=-title`) so links, reloads and Back restore
 * it: the words searched for, and the order someone chose (`title` ascending, `-title` descending).
 * Which columns an order may name is each list's own; a malformed value is dropped, so an edited
 * address shows the list in its default order rather than an error.
 */
export const ListSearchSchema = z.object({
  q: z.string().optional().catch(undefined),
  sort: z
    .string()
    .regex(/^-?[a-z_]+$/)
    .optional()
    .catch(undefined),
});
export type ListSearch = z.infer<typeof ListSearchSchema>;
