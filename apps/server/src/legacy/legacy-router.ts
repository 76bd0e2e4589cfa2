import { LegacyApplicationsQuerySchema, parseOrThrow } from '@envdesk/domain';
import { baseUrlOf } from '../content/content-router.js';
import { type RouteSpec, actorOf, param, route, userOf } from '../http/routes.js';
import type { ApplicationsService } from './applications-service.js';
import { presentLegacyApplication } from './legacy-presenter.js';

/**
 * Connect's unversioned API as older clients still call it: the R package rsconnect (`users/current`
 * when an account is added, `applications?filter=…` to find content by name, `applications/{id}` on a
 * redeploy) and rsconnect-python (`applications/{id}` for `--app-id 3`).
 */
export function legacyRoutes(applications: ApplicationsService): RouteSpec[] {
  return [
    // rsconnect keeps `id` (its account id) and `username`: the v1 record plus the numeric id, as `/me`.
    route('get', '/users/current', 'session:own', (req, res) => {
      const { id, user } = userOf(req);
      res.json({ ...user, id });
    }),

    route('get', '/applications', 'content:read', async (req, res) => {
      const actor = actorOf(req);
      const query = parseOrThrow(LegacyApplicationsQuerySchema, req.query);
      const { records, total, next } = await applications.list(actor, query);
      res.json({
        applications: records.map((record) => presentLegacyApplication(record, actor, baseUrlOf(req))),
        count: records.length,
        total,
        continuation: next === null ? null : String(next),
      });
    }),

    route('get', '/applications/:id', 'content:read', async (req, res) => {
      const actor = actorOf(req);
      res.json(presentLegacyApplication(await applications.get(actor, param(req, 'id')), actor, baseUrlOf(req)));
    }),
  ];
}
