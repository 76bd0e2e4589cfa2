import { EnvironmentVariablesInputSchema, parseOrThrow } from '@envdesk/domain';
import { type RouteSpec, actorOf, param, route } from '../http/routes.js';
import type { ContentEnvironmentService } from './content-environment-service.js';

/** Connect's content environment variables: every answer is the list of names, never a value. */
export function contentEnvironmentRoutes(service: ContentEnvironmentService): RouteSpec[] {
  const path = '/v1/content/:guid/environment';
  return [
    route('get', path, 'content:read-environment', async (req, res) => {
      res.json(await service.names(actorOf(req), param(req, 'guid')));
    }),

    route('patch', path, 'content:write-environment', async (req, res) => {
      res.json(await service.update(actorOf(req), param(req, 'guid'), parseOrThrow(EnvironmentVariablesInputSchema, req.body)));
    }),

    route('put', path, 'content:write-environment', async (req, res) => {
      res.json(await service.replace(actorOf(req), param(req, 'guid'), parseOrThrow(EnvironmentVariablesInputSchema, req.body)));
    }),
  ];
}
