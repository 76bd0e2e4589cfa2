import {
  CreateContentInputSchema,
  ListContentQuerySchema,
  UpdateContentInputSchema,
  parseOrThrow,
} from '@envdesk/domain';
import type { Request } from 'express';
import { type RouteSpec, actorOf, param, route, userOf } from '../http/routes.js';
import { presentContent } from './content-presenter.js';
import type { ContentIncludes } from '../tags/content-includes.js';
import type { ContentService } from './content-service.js';

/** The server's own address as the client reached it, for `content_url` and `dashboard_url`. */
export const baseUrlOf = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

/** `includes` adds what `?include=tags,vanity_url` asks for to the list and to one item. */
export function contentRoutes(service: ContentService, includes: ContentIncludes): RouteSpec[] {
  return [
    route('get', '/v1/content', 'content:read', async (req, res) => {
      const actor = actorOf(req);
      // Unknown query keys are tolerated: posit-sdk's find_by sends any field as a parameter.
      const records = await service.list(actor, parseOrThrow(ListContentQuerySchema, req.query));
      const extras = await includes.of(records, req.query['include']);
      res.json(records.map((record) => ({ ...presentContent(record, actor, baseUrlOf(req)), ...extras.get(record.id) })));
    }),

    route('post', '/v1/content', 'content:create', async (req, res) => {
      const actor = actorOf(req);
      const record = await service.create(actor, userOf(req), parseOrThrow(CreateContentInputSchema, req.body ?? {}));
      res.json(presentContent(record, actor, baseUrlOf(req)));
    }),

    route('get', '/v1/content/:guid', 'content:read', async (req, res) => {
      const actor = actorOf(req);
      const record = await service.readable(actor, param(req, 'guid'));
      const extras = await includes.of([record], req.query['include']);
      res.json({ ...presentContent(record, actor, baseUrlOf(req)), ...extras.get(record.id) });
    }),

    route('patch', '/v1/content/:guid', 'content:update', async (req, res) => {
      const actor = actorOf(req);
      const record = await service.update(actor, param(req, 'guid'), parseOrThrow(UpdateContentInputSchema, req.body ?? {}));
      res.json(presentContent(record, actor, baseUrlOf(req)));
    }),

    route('delete', '/v1/content/:guid', 'content:delete', async (req, res) => {
      await service.remove(actorOf(req), param(req, 'guid'));
      res.status(204).end();
    }),
  ];
}
