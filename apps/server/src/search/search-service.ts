import { type Actor, type SearchContentQuery, parseContentSearch } from '@envdesk/domain';
import { authorize } from '../auth/authorize.js';
import type { ContentService } from '../content/content-service.js';
import type { ContentRecord } from '../content/content-store.js';

/**
 * `GET /v1/search/content` (connectapi's `search_content`): the content the caller's content list
 * shows, narrowed by the query's words and owner, a page at a time.
 */
export function createSearchService({ content }: { content: Pick<ContentService, 'list'> }) {
  return {
    async search(actor: Actor, query: SearchContentQuery): Promise<{ total: number; current_page: number; results: ContentRecord[] }> {
      authorize(actor, 'content:search');
      const terms = parseContentSearch(query.q);
      const owner = terms.owner === null ? null : terms.owner.toLowerCase();
      const matches = (await content.list(actor, {})).filter((record) => {
        if (owner === '@me' && record.owner.guid !== actor.guid) return false;
        if (owner !== null && owner !== '@me' && record.owner.username.toLowerCase() !== owner) return false;
        const text = [record.name, record.title ?? '', record.description].join('\n').toLowerCase();
        return terms.words.every((word) => text.includes(word));
      });
      const start = (query.page_number - 1) * query.page_size;
      return { total: matches.length, current_page: query.page_number, results: matches.slice(start, start + query.page_size) };
    },
  };
}
export type SearchService = ReturnType<typeof createSearchService>;
