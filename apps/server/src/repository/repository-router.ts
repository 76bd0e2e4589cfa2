import { PatchContentRepositoryInputSchema, PutContentRepositoryInputSchema, parseOrThrow } from '@envdesk/domain';
import { type RouteSpec, actorOf, param, route } from '../http/routes.js';
import type { RepositoryService } from './repository-service.js';

/** Connect's git repository settings of content. */
export function repositoryRoutes(service: RepositoryService): RouteSpec[] {
  const path = '/v1/content/:guid/repository';
  return [
    route('get', path, 'content:read-links', async (req, res) => {
      res.json(await service.get(actorOf(req), param(req, 'guid')));
    }),

    route('put', path, 'content:write-links', async (req, res) => {
      res.json(await service.put(actorOf(req), param(req, 'guid'), parseOrThrow(PutContentRepositoryInputSchema, req.body ?? {})));
    }),

    route('patch', path, 'content:write-links', async (req, res) => {
      res.json(await service.patch(actorOf(req), param(req, 'guid'), parseOrThrow(PatchContentRepositoryInputSchema, req.body ?? {})));
    }),

    route('delete', path, 'content:write-links', async (req, res) => {
      await service.remove(actorOf(req), param(req, 'guid'));
      res.status(204).end();
    }),
  ];
}
