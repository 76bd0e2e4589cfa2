import type { SyncStatus } from '@envdesk/domain';
import { type RouteSpec, route } from '../http/routes.js';
import type { FileSync } from './file-sync.js';

/** `GET /v1/environments/sync` (envdesk): what the declarative file did last, for administrators. */
export function syncRoutes(fileSync: FileSync | null): RouteSpec[] {
  return [
    route('get', '/v1/environments/sync', 'environment-sync:read', (_req, res) => {
      const status: SyncStatus = fileSync?.status() ?? { enabled: false, file: null, last_error: null };
      res.json(status);
    }),
  ];
}
