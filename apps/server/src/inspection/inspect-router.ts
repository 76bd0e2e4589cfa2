import { InspectImageInputSchema, parseOrThrow } from '@envdesk/domain';
import { type RouteSpec, actorOf, route, userOf } from '../http/routes.js';
import type { InspectService } from './inspect-service.js';

export function inspectRoutes(inspect: InspectService): RouteSpec[] {
  return [
    route('post', '/v1/environments/inspect', 'environments:inspect', async (req, res) => {
      const input = parseOrThrow(InspectImageInputSchema, req.body ?? {});
      const taskId = await inspect.inspect(actorOf(req), userOf(req).id, input);
      res.status(202).json({ task_id: taskId });
    }),
  ];
}
