import {
  CreateContentInputSchema,
  ListContentQuerySchema,
  UpdateContentInputSchema,
  parseOrThrow,
} from '@envdesk/domain';
import type { Request } from 'express';
import { type RouteSpec, actorOf, param, route, userOf } from '../http/routes.js';
import { presentContent } from './content-presenter.js';
import type { ContentService } from './content-service.js';

/** The server's own address as the client reached it, for `content_url` and `dashboard_url`. */
export const baseUrlOf = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

export function contentRoutes(service: ContentService): RouteSpec[] {
  return [
    route('get', '/v1/content', 'content:read', async (req, res) => {
      const actor = actorOf(req);
      // Unknown query keys are tolerated: posit-sdk's find_by sends any field as a parameter.
      const records = await service.list(actor, parseOrThrow(ListContentQuerySchema, req.query));
      res.json(records.map((record) => presentContent(record, actor, baseUrlOf(req))));
    }),

    route('post', '/v1/content', 'content:create', async (req, res) => {
      const actor = actorOf(req);
      const record = await service.create(actor, userOf(req), parseOrThrow(CreateContentInputSchema, req.body ?? {}));
      res.json(presentContent(record, actor, baseUrlOf(req)));
    }),

    route('get', '/v1/content/:guid', 'content:read', async (req, res) => {
      const actor = actorOf(req);
      res.json(presentContent(await service.readable(actor, param(req, 'guid')), actor, baseUrlOf(req)));
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
