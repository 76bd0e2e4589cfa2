import {
  CreateEnvironmentInputSchema,
  CreateEnvironmentPermissionInputSchema,
  ErrorCode,
  type Environment,
  LANGUAGES,
  UpdateEnvironmentInputSchema,
  environmentErrorCode,
  environmentEtag,
  malformedIfMatch,
  parseIfMatch,
  parseOrThrow,
} from '@envdesk/domain';
import type { Request, Response } from 'express';
import { type RouteSpec, actorOf, param, route } from '../http/routes.js';
import type { EnvironmentsService } from './environments-service.js';

/** An environment answered with its version: the strong ETag a client sends back in If-Match. */
function sendEnvironment(res: Response, environment: Environment): void {
  res.set('ETag', environmentEtag(environment)).json(environment);
}

/** RFC 9110 § 13.1.2: a weak comparison against each listed tag, or `*`. */
function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag.replace(/^W\//, '') === opaque;
  });
}

/** The If-Match condition of a write; permission routes never read it (they are not refused as stale). */
function ifMatchOf(req: Request) {
  const condition = parseIfMatch(req.get('if-match'));
  if (condition.kind === 'malformed') throw malformedIfMatch();
  return condition;
}

/** `/v1/environments` as Connect serves it: POST answers 200, DELETE 204, PUT keeps absent fields. */
export function environmentsRoutes(service: EnvironmentsService): RouteSpec[] {
  const permissionCode = () => ErrorCode.InvalidEnvironmentPermission;
  return [
    // `rsconnect details` and Posit Publisher read what each language offers across the images.
    ...LANGUAGES.map((language) =>
      route('get', `/v1/server_settings/${language}`, 'runtimes:read', async (req, res) => {
        res.json(await service.runtimes(actorOf(req), language));
      }),
    ),

    route('get', '/v1/environments', 'environments:read', async (req, res) => {
      // Revalidated on every use, against the revision read with the caller's credentials: a poller
      // with the current list pays that one read.
      const list = await service.list(actorOf(req), req.auth.environmentsRevision);
      res.setHeader('ETag', list.etag);
      res.setHeader('Cache-Control', 'private, no-cache');
      if (matchesIfNoneMatch(req.headers['if-none-match'], list.etag)) {
        res.status(304).end();
        return;
      }
      // Straight to Node: Express's send would work out the type, the charset and the freshness
      // again, on the answer clients poll most, for bytes that are ready as they are.
      const body = list.body();
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length }).end(body);
    }),

    route('post', '/v1/environments', 'environments:write', async (req, res) => {
      const input = parseOrThrow(CreateEnvironmentInputSchema, req.body, environmentErrorCode);
      sendEnvironment(res, await service.create(actorOf(req), input));
    }),

    route('get', '/v1/environments/:guid', 'environments:read', async (req, res) => {
      sendEnvironment(res, await service.get(actorOf(req), param(req, 'guid')));
    }),

    route('put', '/v1/environments/:guid', 'environments:write', async (req, res) => {
      const condition = ifMatchOf(req);
      const input = parseOrThrow(UpdateEnvironmentInputSchema, req.body, environmentErrorCode);
      sendEnvironment(res, await service.update(actorOf(req), param(req, 'guid'), input, condition));
    }),

    route('delete', '/v1/environments/:guid', 'environments:write', async (req, res) => {
      await service.remove(actorOf(req), param(req, 'guid'), ifMatchOf(req));
      res.status(204).end();
    }),

    route('get', '/v1/environments/:guid/content', 'environments:read-own-usage', async (req, res) => {
      res.json(await service.contentUsing(actorOf(req), param(req, 'guid')));
    }),

    route('get', '/v1/environments/:guid/permissions', 'environment-permissions:manage', async (req, res) => {
      res.json(await service.listPermissions(actorOf(req), param(req, 'guid')));
    }),

    route('post', '/v1/environments/:guid/permissions', 'environment-permissions:manage', async (req, res) => {
      const input = parseOrThrow(CreateEnvironmentPermissionInputSchema, req.body, permissionCode);
      res.json(await service.addPermission(actorOf(req), param(req, 'guid'), input));
    }),

    route('get', '/v1/environments/:guid/permissions/:permission', 'environment-permissions:manage', async (req, res) => {
      res.json(await service.getPermission(actorOf(req), param(req, 'guid'), param(req, 'permission')));
    }),

    route('delete', '/v1/environments/:guid/permissions/:permission', 'environment-permissions:manage', async (req, res) => {
      await service.removePermission(actorOf(req), param(req, 'guid'), param(req, 'permission'));
      res.status(204).end();
    }),
  ];
}
