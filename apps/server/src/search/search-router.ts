import { SearchContentQuerySchema, parseOrThrow } from '@envdesk/domain';
import { presentContent } from '../content/content-presenter.js';
import { baseUrlOf } from '../content/content-router.js';
import { type RouteSpec, actorOf, route } from '../http/routes.js';
import type { ContentIncludes } from '../tags/content-includes.js';
import type { SearchService } from './search-service.js';

/** Connect's content search: `{total, current_page, results}`. */
export function searchRoutes(service: SearchService, includes: ContentIncludes): RouteSpec[] {
  return [
    route('get', '/v1/search/content', 'content:search', async (req, res) => {
      const actor = actorOf(req);
      const query = parseOrThrow(SearchContentQuerySchema, req.query);
      const page = await service.search(actor, query);
      const extras = await includes.of(page.results, query.include);
      res.json({
        total: page.total,
        current_page: page.current_page,
        results: page.results.map((record) => ({ ...presentContent(record, actor, baseUrlOf(req)), ...extras.get(record.id) })),
      });
    }),
  ];
}
