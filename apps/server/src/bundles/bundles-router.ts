import { ApiError, ErrorCode } from '@envdesk/domain';
import type { Request } from 'express';
import { type RouteSpec, actorOf, param, route } from '../http/routes.js';
import { presentBundle } from './bundle-presenter.js';
import type { BundlesService } from './bundles-service.js';
import { multipartBoundary, parseMultipart } from './multipart.js';

/**
 * The archive however the client sent it (API.md, "What real clients trip on" 1): raw with any
 * or no Content-Type, or the multipart part `archive` (rsconnect-python with git metadata).
 */
export function archiveOf(req: Request): Buffer {
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const boundary = multipartBoundary(req.get('content-type'));
  if (!boundary) return body;
  const parts = parseMultipart(body, boundary);
  const archive = parts?.find((part) => part.name === 'archive');
  if (!archive) {
    throw new ApiError(ErrorCode.BundleMissing, 'The multipart body has no "archive" part holding the .tar.gz.', { field: 'archive' });
  }
  return archive.data;
}

export function bundlesRoutes(service: BundlesService): RouteSpec[] {
  return [
    route('post', '/v1/content/:guid/bundles', 'content:write', async (req, res) => {
      const { record, bundle } = await service.upload(actorOf(req), param(req, 'guid'), archiveOf(req));
      res.json(presentBundle(bundle, record.row.guid));
    }),
    route('get', '/v1/content/:guid/bundles', 'content:write', async (req, res) => {
      const { record, bundles } = await service.list(actorOf(req), param(req, 'guid'));
      res.json(bundles.map((bundle) => presentBundle(bundle, record.row.guid)));
    }),
    route('get', '/v1/content/:guid/bundles/:id', 'content:write', async (req, res) => {
      const { record, bundle } = await service.get(actorOf(req), param(req, 'guid'), param(req, 'id'));
      res.json(presentBundle(bundle, record.row.guid));
    }),
    route('get', '/v1/content/:guid/bundles/:id/download', 'content:write', async (req, res) => {
      const archive = await service.download(actorOf(req), param(req, 'guid'), param(req, 'id'));
      res.type('application/gzip').attachment(`bundle-${param(req, 'id')}.tar.gz`).send(archive);
    }),
    route('delete', '/v1/content/:guid/bundles/:id', 'content:write', async (req, res) => {
      await service.remove(actorOf(req), param(req, 'guid'), param(req, 'id'));
      res.status(204).end();
    }),
  ];
}
