import { type RouteSpec, actorOf, param, route } from '../http/routes.js';
import type { LockfileService } from './lockfile-service.js';

export function lockfileRoutes(service: LockfileService): RouteSpec[] {
  return [
    route('get', '/v1/content/:guid/lockfile', 'content:read-lockfile', async (req, res) => {
      const { record, source, text } = await service.read(actorOf(req), param(req, 'guid'));
      // attachment() guesses a type from the name (`.lock`): the type is set after it.
      res
        .attachment(`${record.guid}-${source.downloadSuffix}`)
        .type('text/plain; charset=utf-8')
        .setHeader('Generated-By', source.generatedBy);
      res.send(text);
    }),
  ];
}
