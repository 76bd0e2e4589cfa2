import {
  ContentPackagesQuerySchema,
  DeleteRuntimeCacheInputSchema,
  ErrorCode,
  PackagesQuerySchema,
  TaskQuerySchema,
  parseOrThrow,
} from '@envdesk/domain';
import { type RouteSpec, actorOf, param, route, userOf } from '../http/routes.js';
import type { TasksService } from '../tasks/tasks-service.js';
import type { RuntimeService } from './runtime-service.js';

export function runtimeRoutes(runtime: RuntimeService, tasks: TasksService): RouteSpec[] {
  return [
    route('get', '/v1/system/caches/runtime', 'runtime-caches:read', async (req, res) => {
      res.json(await runtime.listCaches(actorOf(req)));
    }),
    // Connect takes the cache in a JSON body, even on DELETE.
    route('delete', '/v1/system/caches/runtime', 'runtime-caches:delete', async (req, res) => {
      const input = parseOrThrow(DeleteRuntimeCacheInputSchema, req.body ?? {}, (path) =>
        path[0] === 'language' ? ErrorCode.InvalidRuntimeLanguage : ErrorCode.BadRequest,
      );
      res.json(await runtime.deleteCache(actorOf(req), userOf(req).id, input));
    }),
    route('get', '/v1/content/:guid/jobs', 'jobs:read', async (req, res) => {
      res.json(await runtime.listJobs(actorOf(req), param(req, 'guid')));
    }),
    route('get', '/v1/content/:guid/jobs/:key', 'jobs:read', async (req, res) => {
      res.json(await runtime.getJob(actorOf(req), param(req, 'guid'), param(req, 'key')));
    }),
    route('get', '/v1/content/:guid/packages', 'content:read-packages', async (req, res) => {
      const query = parseOrThrow(ContentPackagesQuerySchema, req.query);
      res.json(await runtime.contentPackages(actorOf(req), param(req, 'guid'), query));
    }),
    route('get', '/v1/packages', 'packages:read', async (req, res) => {
      const query = parseOrThrow(PackagesQuerySchema, req.query);
      res.json(await runtime.packages(actorOf(req), query));
    }),
    route('post', '/v1/content/:guid/render', 'content:render', async (req, res) => {
      const taskId = await runtime.renderContent(actorOf(req), userOf(req).id, param(req, 'guid'));
      res.status(202).json({ task_id: taskId });
    }),
    // Connect's older API, which posit-sdk's `content.render()` still uses.
    route('get', '/applications/:guid/variants', 'variants:read', async (req, res) => {
      res.json(await runtime.variants(actorOf(req), param(req, 'guid')));
    }),
    route('post', '/variants/:id/render', 'content:render', async (req, res) => {
      const actor = actorOf(req);
      const taskId = await runtime.renderVariant(actor, userOf(req).id, param(req, 'id'));
      // The SDK reads a task from the answer, then polls it.
      res.json(await tasks.get(actor, taskId, parseOrThrow(TaskQuerySchema, {})));
    }),
  ];
}
