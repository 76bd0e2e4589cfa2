import { ContentTagInputSchema, CreateTagInputSchema, ListTagsQuerySchema, UpdateTagInputSchema, parseOrThrow } from '@envdesk/domain';
import { presentContent } from '../content/content-presenter.js';
import { baseUrlOf } from '../content/content-router.js';
import { type RouteSpec, actorOf, param, route } from '../http/routes.js';
import { presentTag } from './tags-store.js';
import type { TagsService } from './tags-service.js';

/** Connect's tags, and the tags on content. */
export function tagsRoutes(service: TagsService): RouteSpec[] {
  return [
    route('get', '/v1/tags', 'tags:read', async (req, res) => {
      // Unknown query keys are tolerated, as on the content list.
      res.json((await service.list(actorOf(req), parseOrThrow(ListTagsQuerySchema, req.query))).map(presentTag));
    }),

    route('post', '/v1/tags', 'tags:write', async (req, res) => {
      res.json(presentTag(await service.create(actorOf(req), parseOrThrow(CreateTagInputSchema, req.body ?? {}))));
    }),

    route('get', '/v1/tags/:id', 'tags:read', async (req, res) => {
      res.json(presentTag(await service.get(actorOf(req), param(req, 'id'))));
    }),

    route('patch', '/v1/tags/:id', 'tags:write', async (req, res) => {
      res.json(presentTag(await service.update(actorOf(req), param(req, 'id'), parseOrThrow(UpdateTagInputSchema, req.body ?? {}))));
    }),

    route('delete', '/v1/tags/:id', 'tags:write', async (req, res) => {
      await service.remove(actorOf(req), param(req, 'id'));
      res.status(204).end();
    }),

    route('get', '/v1/tags/:id/content', 'tags:read', async (req, res) => {
      const actor = actorOf(req);
      const records = await service.contentWith(actor, param(req, 'id'));
      res.json(records.map((record) => presentContent(record, actor, baseUrlOf(req))));
    }),

    route('get', '/v1/content/:guid/tags', 'content:read-links', async (req, res) => {
      res.json((await service.ofContent(actorOf(req), param(req, 'guid'))).map(presentTag));
    }),

    route('post', '/v1/content/:guid/tags', 'content:tag', async (req, res) => {
      const input = parseOrThrow(ContentTagInputSchema, req.body ?? {});
      res.json(presentTag(await service.tag(actorOf(req), param(req, 'guid'), input.tag_id)));
    }),

    route('delete', '/v1/content/:guid/tags/:id', 'content:tag', async (req, res) => {
      await service.untag(actorOf(req), param(req, 'guid'), param(req, 'id'));
      // Connect answers 200 here (204 for deleting a tag itself).
      res.status(200).end();
    }),
  ];
}
