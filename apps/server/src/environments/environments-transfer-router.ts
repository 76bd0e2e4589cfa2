import { ExportEnvironmentsInputSchema, ImportDocumentInputSchema, parseOrThrow } from '@envdesk/domain';
import { type RouteSpec, actorOf, route } from '../http/routes.js';
import type { EnvironmentsTransferService } from './environments-transfer.js';

/**
 * Envdesk's own routes beside Connect's `/v1/environments`: export as the declarative file, and
 * import one through a plan. Mounted before `/v1/environments/:guid`, which would read "export" as a GUID.
 */
export function environmentsTransferRoutes(service: EnvironmentsTransferService): RouteSpec[] {
  return [
    // POST, not GET: a filtered list of thousands of GUIDs does not fit an address.
    route('post', '/v1/environments/export', 'environments:export', async (req, res) => {
      const input = parseOrThrow(ExportEnvironmentsInputSchema, req.body ?? {});
      const yaml = await service.exportYaml(actorOf(req), input.guids);
      res
        .set({ 'Content-Disposition': 'attachment; filename="environments.yaml"', 'Cache-Control': 'no-store' })
        .type('application/yaml')
        .send(yaml);
    }),

    route('post', '/v1/environments/import/plan', 'environments:import', async (req, res) => {
      const input = parseOrThrow(ImportDocumentInputSchema, req.body);
      res.json(await service.planImport(actorOf(req), input.document));
    }),

    route('post', '/v1/environments/import', 'environments:import', async (req, res) => {
      const input = parseOrThrow(ImportDocumentInputSchema, req.body);
      res.json(await service.applyImport(actorOf(req), input.document));
    }),
  ];
}
