import { EnvironmentHistoryQuerySchema, environmentEtag, malformedIfMatch, notFound, parseIfMatch, parseOrThrow } from '@envdesk/domain';
import type { Request } from 'express';
import { type RouteSpec, actorOf, param, route } from '../http/routes.js';
import type { EnvironmentHistoryService } from './environment-history-service.js';

/** An event id from the path; anything but a plain positive number names no event. */
function eventIdOf(req: Request): number {
  const text = param(req, 'id');
  const id = /^[1-9]\d{0,14}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(id)) throw notFound('History event');
  return id;
}

function ifMatchOf(req: Request) {
  const condition = parseIfMatch(req.get('if-match'));
  if (condition.kind === 'malformed') throw malformedIfMatch();
  return condition;
}

/**
 * envdesk's own routes beside Connect's `/v1/environments` (issue 13 § 3). Mounted before them, or
 * `/v1/environments/:guid` would take "deleted" and "summary" for GUIDs.
 */
export function environmentHistoryRoutes(service: EnvironmentHistoryService): RouteSpec[] {
  return [
    route('get', '/v1/environments/summary', 'environments:read-history', async (req, res) => {
      res.json(await service.summary(actorOf(req)));
    }),

    route('get', '/v1/environments/deleted', 'environments:read-history', async (req, res) => {
      res.json(await service.listDeleted(actorOf(req)));
    }),

    route('post', '/v1/environments/deleted/:guid/restore', 'environments:write', async (req, res) => {
      const restored = await service.restoreDeleted(actorOf(req), param(req, 'guid'));
      res.set('ETag', environmentEtag(restored)).json(restored);
    }),

    route('get', '/v1/environments/:guid/history', 'environments:read-history', async (req, res) => {
      res.json(await service.history(actorOf(req), param(req, 'guid'), parseOrThrow(EnvironmentHistoryQuerySchema, req.query)));
    }),

    route('post', '/v1/environments/:guid/history/:id/restore', 'environments:write', async (req, res) => {
      const condition = ifMatchOf(req);
      const restored = await service.restoreTo(actorOf(req), param(req, 'guid'), eventIdOf(req), condition);
      res.set('ETag', environmentEtag(restored)).json(restored);
    }),
  ];
}
