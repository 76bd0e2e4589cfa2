import { DeployInputSchema, ExplainSelectionInputSchema, TaskQuerySchema, parseOrThrow } from '@envdesk/domain';
import { type RouteSpec, actorOf, param, route, userOf } from '../http/routes.js';
import type { TasksService } from '../tasks/tasks-service.js';
import type { DeployService } from './deploy-service.js';
import { type SelectionService, presentSelection } from './selection-service.js';

export function deployRoutes(deploy: DeployService, tasks: TasksService): RouteSpec[] {
  return [
    route('post', '/v1/content/:guid/deploy', 'content:deploy', async (req, res) => {
      const input = parseOrThrow(DeployInputSchema, req.body ?? {});
      // A stopping server refuses with a 503; the error middleware adds Retry-After to every 503.
      const taskId = await deploy.deploy(actorOf(req), userOf(req).id, param(req, 'guid'), input);
      res.status(202).json({ task_id: taskId });
    }),
    route('get', '/v1/content/:guid/deployments', 'deployments:read', async (req, res) => {
      res.json(await deploy.history(actorOf(req), param(req, 'guid')));
    }),
    route('get', '/v1/tasks/:id', 'tasks:read', async (req, res) => {
      const query = parseOrThrow(TaskQuerySchema, req.query);
      res.json(await tasks.get(actorOf(req), param(req, 'id'), query));
    }),
  ];
}

export function selectionRoutes(selection: SelectionService): RouteSpec[] {
  return [
    route('post', '/v1/environments/select', 'selection:explain', async (req, res) => {
      const input = parseOrThrow(ExplainSelectionInputSchema, req.body ?? {});
      res.json(presentSelection(await selection.explain(actorOf(req), input)));
    }),
  ];
}
