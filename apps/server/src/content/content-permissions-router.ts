import { CreateContentPermissionInputSchema, UpdateContentPermissionInputSchema, parseOrThrow } from '@envdesk/domain';
import { type RouteSpec, actorOf, param, route } from '../http/routes.js';
import type { ContentPermissionsService } from './content-permissions-service.js';

/** Connect's content access list: plain arrays and objects, ids as strings. */
export function contentPermissionsRoutes(service: ContentPermissionsService): RouteSpec[] {
  const list = '/v1/content/:guid/permissions';
  const one = `${list}/:permission`;
  return [
    route('get', list, 'content-permissions:read', async (req, res) => {
      res.json(await service.list(actorOf(req), param(req, 'guid')));
    }),

    route('post', list, 'content-permissions:write', async (req, res) => {
      const input = parseOrThrow(CreateContentPermissionInputSchema, req.body);
      res.json(await service.add(actorOf(req), param(req, 'guid'), input));
    }),

    route('get', one, 'content-permissions:read', async (req, res) => {
      res.json(await service.get(actorOf(req), param(req, 'guid'), param(req, 'permission')));
    }),

    route('put', one, 'content-permissions:write', async (req, res) => {
      const input = parseOrThrow(UpdateContentPermissionInputSchema, req.body ?? {});
      res.json(await service.update(actorOf(req), param(req, 'guid'), param(req, 'permission'), input));
    }),

    route('delete', one, 'content-permissions:write', async (req, res) => {
      await service.remove(actorOf(req), param(req, 'guid'), param(req, 'permission'));
      res.status(204).end();
    }),
  ];
}
