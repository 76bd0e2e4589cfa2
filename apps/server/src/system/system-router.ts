import os from 'node:os';
import { type RouteSpec, route } from '../http/routes.js';

/**
 * The Connect version clients gate features on. Three parts: rsconnect crashes on `2026.04`.
 * Reporting ≥ 2025.06.0 promises draft deploys and content URLs answering below 500.
 */
export const CONNECT_COMPATIBLE_VERSION = '2026.04.0';

export function systemRoutes(options: { version: string }): RouteSpec[] {
  return [
    route('get', '/server_settings', 'public', (_req, res) => {
      res.json({
        version: CONNECT_COMPATIBLE_VERSION,
        build: `envdesk ${options.version}`,
        hostname: os.hostname(),
        product: 'envdesk',
        execution_type: 'kubernetes',
      });
    }),
  ];
}
