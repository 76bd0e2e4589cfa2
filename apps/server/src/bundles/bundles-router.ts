import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import { type RouteSpec, actorOf, param, route } from '../http/routes.js';
import { presentBundle } from './bundle-presenter.js';
import type { BundlesService } from './bundles-service.js';
import { archiveSource, isMultipart } from './upload-source.js';

const UPLOAD_PATH = /^\/(?:__api__\/)?v1\/content\/[^/?]+\/bundles\/?(?:\?|$)/;

/** `POST …/content/:guid/bundles`: its body is streamed by its route, never by a body parser. */
export const isBundleUpload = (req: IncomingMessage) => req.method === 'POST' && UPLOAD_PATH.test(req.url ?? '');

/** The declared Content-Length (null when the body comes chunked), and whether it is multipart. */
function declaredBody(req: Request) {
  const header = req.get('content-length');
  return { bytes: header && /^\d+$/.test(header) ? Number(header) : null, multipart: isMultipart(req) };
}

export function bundlesRoutes(service: BundlesService): RouteSpec[] {
  return [
    route('post', '/v1/content/:guid/bundles', 'bundles:write', async (req, res) => {
      // Who may write this content, and whether the declared size fits, are settled before a byte
      // of the body is read: a refused upload costs its headers, not its body.
      const record = await service.writableFor(actorOf(req), param(req, 'guid'), declaredBody(req));
      // The client waiting for "100 Continue" (see decideContinue) may send the body now.
      if (/^100-continue$/i.test(req.get('expect') ?? '')) res.writeContinue();
      const { archive, metadata } = await archiveSource(req, service.maxBytes);
      const { bundle } = await service.upload(actorOf(req), record, archive, metadata);
      res.json(presentBundle(bundle, record.guid));
    }),
    route('get', '/v1/content/:guid/bundles', 'bundles:read', async (req, res) => {
      const { record, bundles } = await service.list(actorOf(req), param(req, 'guid'));
      res.json(bundles.map((bundle) => presentBundle(bundle, record.guid)));
    }),
    route('get', '/v1/content/:guid/bundles/:id', 'bundles:read', async (req, res) => {
      const { record, bundle } = await service.get(actorOf(req), param(req, 'guid'), param(req, 'id'));
      res.json(presentBundle(bundle, record.guid));
    }),
    route('get', '/v1/content/:guid/bundles/:id/download', 'bundles:read', async (req, res) => {
      const { bundle, archive } = await service.download(actorOf(req), param(req, 'guid'), param(req, 'id'));
      res.type('application/gzip').attachment(`bundle-${bundle.id}.tar.gz`).setHeader('Content-Length', String(bundle.size));
      // Piece by piece, waiting for the client to take each one: a download holds ~1 MiB at a time.
      await pipeline(Readable.from(archive), res);
    }),
    route('delete', '/v1/content/:guid/bundles/:id', 'bundles:write', async (req, res) => {
      await service.remove(actorOf(req), param(req, 'guid'), param(req, 'id'));
      res.status(204).end();
    }),
  ];
}
