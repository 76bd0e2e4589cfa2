import * as z from 'zod/mini';
import { lineOfText } from '../validation.js';

/** connectapi's `search_content`: `{total, current_page, results}` of content, paged. */
export const SearchContentQuerySchema = z.object({
  q: z.optional(lineOfText().check(z.maxLength(1024, 'must be at most 1024 characters'))),
  page_number: z._default(z.coerce.number().check(z.int(), z.gte(1)), 1),
  page_size: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(500)), 500),
  include: z.optional(lineOfText()),
});
export type SearchContentQuery = z.infer<typeof SearchContentQuerySchema>;

/** What a search query asks for: words every match holds, and whose content it is. */
export interface ContentSearchTerms {
  readonly words: readonly string[];
  /** `owner:@me` (the caller) or `owner:<username>`. */
  readonly owner: string | null;
}

/**
 * Reads Connect's search syntax as far as envdesk supports it: `owner:@me` and `owner:<name>`
 * filter by owner; every other term is a word that the name, title or description must contain
 * (ignoring case). Quotes group words into one term: `"sea bream"`.
 */
export function parseContentSearch(q: string | undefined): ContentSearchTerms {
  const words: string[] = [];
  let owner: string | null = null;
  for (const match of (q ?? '').matchAll(/"([^"]*)"|(\S+)/g)) {
    const term = (match[1] ?? match[2] ?? '').trim();
    if (!term) continue;
    const ownerTerm = /^owner:(.+)$/i.exec(term);
    if (ownerTerm && match[2] !== undefined) owner = ownerTerm[1]!;
    else words.push(term.toLowerCase());
  }
  return { words, owner };
}
