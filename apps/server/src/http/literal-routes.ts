import type { Request, RequestHandler, Response } from 'express';
import { inSequence } from './in-sequence.js';

/**
 * What the shortcut needs of a route: its method, its path, and what Express runs for it: a guard
 * that throws or calls `next()`, then a handler that answers (or throws, or rejects) and never
 * passes the request on.
 */
export interface MountedRoute {
  readonly method: string;
  readonly path: string;
  readonly guard: RequestHandler;
  readonly handler: (req: Request, res: Response) => unknown;
}

/** Any of path-to-regexp's syntax (parameters, wildcards, optional groups) makes a path not literal. */
const SYNTAX = /[:*{}()?+!\\]/;

const segmentsOf = (path: string) => path.toLowerCase().replace(/\/$/, '').split('/');

/**
 * Whether a request for `literal` could reach the route at `path`, as Express matches paths (case
 * insensitive, one trailing slash allowed). Errs towards yes: a segment with any syntax in it is
 * taken to match anything, and a wildcard anything from there on.
 */
export function couldMatch(path: string, literal: string): boolean {
  const pattern = segmentsOf(path);
  const wanted = segmentsOf(literal);
  for (const [i, segment] of pattern.entries()) {
    if (segment.includes('*') || segment.includes('{')) return true;
    if (i >= wanted.length) return false;
    if (!SYNTAX.test(segment) && segment !== wanted[i]) return false;
  }
  return pattern.length === wanted.length;
}

/** The request's method and path as a shortcut key, or null when its path is not plain ASCII. */
function keyOf(method: string, pathname: string): string | null {
  // Lower-casing agrees with Express's case-insensitive matching for ASCII only.
  if (!/^[\x20-\x7e]*$/.test(pathname)) return null;
  const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  return `${method} ${path.toLowerCase()}`;
}

/**
 * A middleware that runs a literal route (no parameters) at once, found by its method and path in a
 * map, instead of after Express has tried each route mounted before it: the environments list, the
 * route clients poll most, comes forty routes down. It takes a route only where Express would
 * have run that same route first: no route before it could match its path with the same method.
 * Everything else (parameters, OPTIONS, unknown paths) goes on to Express's routes, mounted as before.
 *
 * With a `mount` (the path their router is mounted at, and the middlewares that router runs before
 * its routes), it serves the routes from outside that router, as if the request had gone through
 * it: Express would spend a router's dispatch on it (the path cut and put back, parsed again, a
 * closure per layer) before reaching the same route.
 */
export function literalRoutes(routes: readonly MountedRoute[], mount?: { readonly path: string; readonly before: readonly RequestHandler[] }): RequestHandler {
  // Each route as everything that runs for it, composed here once rather than on every request: the
  // mount's middlewares if any, its guard, its handler (a throw or a rejected promise of any of them
  // goes to the error middleware, as Express runs them).
  const shortcuts = new Map<string, RequestHandler>();
  routes.forEach((route, i) => {
    if (SYNTAX.test(route.path)) return;
    const shadowed = routes.slice(0, i).some((earlier) => earlier.method === route.method && couldMatch(earlier.path, route.path));
    const key = keyOf(route.method.toUpperCase(), route.path);
    if (!shadowed && key && !shortcuts.has(key)) shortcuts.set(key, inSequence(...(mount?.before ?? []), route.guard, route.handler));
  });
  return (req, res, next) => {
    // Express answers HEAD with a GET route when none is declared for HEAD; none is here.
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const path = mount ? pathUnder(mount.path, req.path) : req.path;
    const key = path === null ? null : keyOf(method, path);
    const run = key === null ? undefined : shortcuts.get(key);
    if (!run) return next();
    req.params = {};
    run(req, res, next);
  };
}

/** The rest of `path` below the mount point `mount`, matched as Express matches it (any case), or null outside it. */
function pathUnder(mount: string, path: string): string | null {
  if (path.length <= mount.length || path[mount.length] !== '/') return null;
  return path.slice(0, mount.length).toLowerCase() === mount.toLowerCase() ? path.slice(mount.length) : null;
}
