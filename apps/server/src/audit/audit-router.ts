import { AuditLogsQuerySchema, AuditSearchQuerySchema, parseOrThrow } from '@envdesk/domain';
import { baseUrlOf } from '../content/content-router.js';
import { type RouteSpec, actorOf, route } from '../http/routes.js';
import type { AuditService } from './audit-service.js';

/** Connect's audit log routes: the log in keyset pages, its actions, and its search. */
export function auditRoutes(service: AuditService): RouteSpec[] {
  return [
    route('get', '/v1/audit_logs', 'audit:read', async (req, res) => {
      const query = parseOrThrow(AuditLogsQuerySchema, req.query);
      res.json(await service.page(actorOf(req), query, `${baseUrlOf(req)}${req.baseUrl}${req.path}`));
    }),
    route('get', '/v1/audit/actions', 'audit:read', (req, res) => {
      res.json(service.actions(actorOf(req)));
    }),
    route('get', '/v1/search/auditlogs', 'audit:read', async (req, res) => {
      res.json(await service.search(actorOf(req), parseOrThrow(AuditSearchQuerySchema, req.query)));
    }),
  ];
}
