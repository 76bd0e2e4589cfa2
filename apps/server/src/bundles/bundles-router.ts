import type { IncomingMessage } from 'node:http';
import { ApiError, ErrorCode } from '@envdesk/domain';
import type { Request } from 'express';
import { type RouteSpec, actorOf, param, route } from '../http/routes.js';
import { presentBundle } from './bundle-presenter.js';
import type { BundlesService } from './bundles-service.js';
import { multipartBoundary, parseMultipart } from './multipart.js';

const UPLOAD_PATH = /^\/(?:__api__\/)?v1\/content\/[^/?]+\/bundles\/?(?:\?|$)/;

/** `POST …/content/:guid/bundles`: its body is streamed by its route, never by a body parser. */
export const isBundleUpload = (req: IncomingMessage) => req.method === 'POST' && UPLOAD_PATH.test(req.url ?? '');

/** The declared Content-Length, or null when the body comes chunked. */
function declaredLength(req: Request): number | null {
  const header = req.get('content-length');
  return header && /^\d+$/.test(header) ? Number(header) : null;
}

async function readBody(req: Request, maxBytes: number): Promise<Buffer> {
  const pieces: Buffer[] = [];
  let size = 0;
  for await (const piece of req as AsyncIterable<Buffer>) {
    size += piece.length;
    if (size > maxBytes) throw new ApiError(ErrorCode.BadRequest, `The bundle is larger than ${maxBytes} bytes.`, { field: 'archive' }, 413);
    pieces.push(piece);
  }
  return Buffer.concat(pieces);
}

/**
 * The archive however the client sent it (API.md, "What real clients trip on" 1): raw with any
 * or no Content-Type, or the multipart part `archive` (rsconnect-python with git metadata).
 */
export async function archiveOf(req: Request, maxBytes: number): Promise<Buffer> {
  const boundary = multipartBoundary(req.get('content-type'));
  const body = await readBody(req, boundary ? maxBytes + 1024 * 1024 : maxBytes);
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
      // Who may write this content, and whether the declared size fits, are settled before a byte
      // of the body is read: a refused upload costs its headers, not its body.
      const record = await service.writableFor(actorOf(req), param(req, 'guid'), declaredLength(req));
      const { bundle } = await service.upload(actorOf(req), record, await archiveOf(req, service.maxBytes));
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
