import { VanityInputSchema, parseOrThrow } from '@envdesk/domain';
import { type RouteSpec, actorOf, param, route } from '../http/routes.js';
import type { VanitiesService } from './vanities-service.js';

/** Connect's vanity URLs. */
export function vanitiesRoutes(service: VanitiesService): RouteSpec[] {
  const path = '/v1/content/:guid/vanity';
  return [
    route('get', '/v1/vanities', 'vanities:read-all', async (req, res) => {
      res.json(await service.list(actorOf(req)));
    }),

    route('get', path, 'content:read-links', async (req, res) => {
      res.json(await service.get(actorOf(req), param(req, 'guid')));
    }),

    route('put', path, 'content:write-links', async (req, res) => {
      res.json(await service.set(actorOf(req), param(req, 'guid'), parseOrThrow(VanityInputSchema, req.body ?? {})));
    }),

    route('delete', path, 'content:write-links', async (req, res) => {
      await service.remove(actorOf(req), param(req, 'guid'));
      res.status(204).end();
    }),
  ];
}
