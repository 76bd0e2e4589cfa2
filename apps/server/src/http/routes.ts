import { type Action, type Actor, ApiError, ErrorCode, authRequired, lineOfText } from '@envdesk/domain';
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import type { SessionRecord } from '../auth/credentials-store.js';
import { authorize } from '../auth/authorize.js';
import { sameSecret } from '../auth/secrets.js';
import { inSequence } from './in-sequence.js';
import { literalRoutes } from './literal-routes.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Every API route declares who may call it; `public` routes need no sign-in. */
export type Access = Action | 'public';

export interface RouteSpec {
  readonly method: Method;
  /** Express path under `/__api__`, e.g. `/v1/environments/:guid`. */
  readonly path: string;
  readonly access: Access;
  readonly handler: (req: Request, res: Response) => Promise<void> | void;
}

export const route = (method: Method, path: string, access: Access, handler: RouteSpec['handler']): RouteSpec => ({
  method,
  path,
  access,
  handler,
});

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A write made with a session cookie proves it comes from a page of ours by sending the session's token. */
export function requireCsrfToken(req: Request, session: SessionRecord | null): void {
  const token = req.get('x-csrf-token');
  if (!token || !session || !sameSecret(token, session.csrfToken)) {
    throw new ApiError(
      ErrorCode.PermissionDenied,
      'Missing or invalid X-CSRF-Token header; fetch one from GET /__api__/v1/auth/csrf.',
      { field: 'X-CSRF-Token' },
    );
  }
}

/**
 * What every route checks before its handler: sign-in, CSRF for cookie-authenticated writes, then
 * whether the caller's role may do the route's action at all. Services ask again with the record
 * (which environment, whose content).
 */
export function guard(access: Access): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (access === 'public') return next();
    const { actor, rejection, via, session } = req.auth;
    if (!actor) throw rejection ?? authRequired();
    // A Key header wins over cookies and needs no token (rsconnect-python replays cookies on writes).
    if (via === 'session' && WRITES.has(req.method)) requireCsrfToken(req, session);
    authorize(actor, access);
    next();
  };
}

/** A route with the guard its access rule makes. */
export type MountedSpec = RouteSpec & { readonly guard: RequestHandler };

export const withGuards = (routes: readonly RouteSpec[]): MountedSpec[] => routes.map((spec) => ({ ...spec, guard: guard(spec.access) }));

/**
 * Mounts `routes` on `router`, after `before` (the middlewares every route needs first: the body,
 * who is asking). Those and the shortcut to literal routes run as one layer (see inSequence).
 */
export function mountRoutes(router: Router, mounted: readonly MountedSpec[], ...before: readonly RequestHandler[]): void {
  router.use(inSequence(...before, literalRoutes(mounted)));
  for (const route of mounted) {
    // Express 5 passes a rejected promise (or a throw) of the handler to the error middleware.
    router[route.method](route.path, route.guard, route.handler);
  }
}

/** The signed-in actor of a guarded route. */
export function actorOf(req: Request): Actor {
  const { actor, via } = req.auth;
  if (!actor) throw authRequired();
  // What the audit record says of how the change arrived: a browser session is the tab.
  return { ...actor, via: via === 'session' ? 'tab' : 'api' };
}

export function userOf(req: Request) {
  const { user } = req.auth;
  if (!user) throw authRequired();
  return user;
}

const PathParameterSchema = lineOfText();

/**
 * A path parameter as a string (Express 5 types them loosely), under the domain's text rule: a
 * decoded `%00` would otherwise reach the database, which PostgreSQL refuses and SQLite does not.
 */
export function param(req: Request, name: string): string {
  const value = req.params[name];
  if (typeof value !== 'string') return '';
  const checked = PathParameterSchema.safeParse(value);
  if (!checked.success) {
    throw new ApiError(ErrorCode.BadRequest, `Invalid path parameter ${name}: ${checked.error.issues[0]!.message}.`, { field: name });
  }
  return value;
}
