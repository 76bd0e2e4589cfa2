import {
  CreateEnvironmentInputSchema,
  CreateEnvironmentPermissionInputSchema,
  ErrorCode,
  UpdateEnvironmentInputSchema,
  environmentErrorCode,
  parseOrThrow,
} from '@envdesk/domain';
import { type RouteSpec, actorOf, param, route } from '../http/routes.js';
import type { EnvironmentsService } from './environments-service.js';

/** `/v1/environments` as Connect serves it: POST answers 200, DELETE 204, PUT keeps absent fields. */
export function environmentsRoutes(service: EnvironmentsService): RouteSpec[] {
  const permissionCode = () => ErrorCode.InvalidEnvironmentPermission;
  return [
    route('get', '/v1/environments', 'environments:read', async (req, res) => {
      res.type('application/json').send(await service.listJson(actorOf(req)));
    }),

    route('post', '/v1/environments', 'environments:write', async (req, res) => {
      const input = parseOrThrow(CreateEnvironmentInputSchema, req.body, environmentErrorCode);
      res.json(await service.create(actorOf(req), input));
    }),

    route('get', '/v1/environments/:guid', 'environments:read', async (req, res) => {
      res.json(await service.get(actorOf(req), param(req, 'guid')));
    }),

    route('put', '/v1/environments/:guid', 'environments:write', async (req, res) => {
      const input = parseOrThrow(UpdateEnvironmentInputSchema, req.body, environmentErrorCode);
      res.json(await service.update(actorOf(req), param(req, 'guid'), input));
    }),

    route('delete', '/v1/environments/:guid', 'environments:write', async (req, res) => {
      await service.remove(actorOf(req), param(req, 'guid'));
      res.status(204).end();
    }),

    route('get', '/v1/environments/:guid/content', 'environments:write', async (req, res) => {
      res.json(await service.contentUsing(actorOf(req), param(req, 'guid')));
    }),

    route('get', '/v1/environments/:guid/permissions', 'environment-permissions:manage', async (req, res) => {
      res.json(await service.listPermissions(actorOf(req), param(req, 'guid')));
    }),

    route('post', '/v1/environments/:guid/permissions', 'environment-permissions:manage', async (req, res) => {
      const input = parseOrThrow(CreateEnvironmentPermissionInputSchema, req.body, permissionCode);
      res.json(await service.addPermission(actorOf(req), param(req, 'guid'), input));
    }),

    route('get', '/v1/environments/:guid/permissions/:permission', 'environment-permissions:manage', async (req, res) => {
      res.json(await service.getPermission(actorOf(req), param(req, 'guid'), param(req, 'permission')));
    }),

    route('delete', '/v1/environments/:guid/permissions/:permission', 'environment-permissions:manage', async (req, res) => {
      await service.removePermission(actorOf(req), param(req, 'guid'), param(req, 'permission'));
      res.status(204).end();
    }),
  ];
}
