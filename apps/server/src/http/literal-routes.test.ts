import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response, type Router } from 'express';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MountedRoute, couldMatch, literalRoutes } from './literal-routes.js';

type Method = 'get' | 'post' | 'put' | 'delete';

/** Routes in the order they are mounted; some literal ones come after a route that takes their path. */
const ROUTES: ReadonlyArray<readonly [Method, string]> = [
  ['post', '/v1/things'],
  ['get', '/v1/things/:id'],
  ['get', '/v1/things/special'],
  ['get', '/v1/things'],
  ['get', '/v1/items/*rest'],
  ['get', '/v1/items/a/b'],
  ['get', '/v1/opt{/:x}'],
  ['get', '/v1/opt'],
  ['delete', '/v1/things/special'],
  ['put', '/v1/file.:ext'],
  ['put', '/v1/file.txt'],
  ['get', '/v1/fails'],
  ['get', '/v1/throws'],
  ['get', '/v1/guarded'],
];

function mountedRoutes(): MountedRoute[] {
  return ROUTES.map(([method, path], index) => {
    const guard: RequestHandler = (req, _res, next) => {
      if (req.get('x-deny') !== undefined) throw Object.assign(new Error('denied'), { status: 403 });
      next();
    };
    const handler = async (req: Request, res: Response) => {
      if (path === '/v1/fails') throw Object.assign(new Error('failed later'), { status: 503 });
      if (path === '/v1/throws') throw Object.assign(new Error('failed at once'), { status: 500 });
      res.set('x-route', String(index)).json({ route: index, params: req.params });
    };
    const pass: RequestHandler = (_req, _res, next) => next();
    return { method, path, guard: path === '/v1/guarded' || path === '/v1/things' ? guard : pass, handler };
  });
}

const onError: ErrorRequestHandler = (error: Error & { status?: number }, _req, res, _next) => {
  res.status(error.status ?? 500).json({ error: error.message });
};

/** What the API router runs before its routes: it marks the answer, and refuses when asked to. */
const before: RequestHandler = (req, res, next) => {
  if (req.get('x-refuse-before') !== undefined) throw Object.assign(new Error('refused before the route'), { status: 401 });
  res.set('x-before', 'ran');
  next();
};

/**
 * The same routes on Express alone, behind the shortcut in their router (`router`), or with the
 * shortcut outside it, in front of the router as the app mounts the API (`outside`).
 */
function appWith(shortcut: 'none' | 'router' | 'outside') {
  const router: Router = express.Router();
  const routes = mountedRoutes();
  router.use(before);
  if (shortcut === 'router') router.use(literalRoutes(routes));
  for (const route of routes) router[route.method as Method](route.path, route.guard, route.handler);
  router.use((_req, res) => {
    res.status(404).json({ error: 'none' });
  });
  const app = express();
  if (shortcut === 'outside') app.use(literalRoutes(routes, { path: '/__api__', before: [before] }));
  app.use('/__api__', router);
  app.use(onError);
  return app;
}

async function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('couldMatch', () => {
  it.each([
    ['/v1/things/:id', '/v1/things/special', true],
    ['/v1/things/:id', '/v1/things', false],
    ['/v1/items/*rest', '/v1/items/a/b', true],
    ['/v1/opt{/:x}', '/v1/opt', true],
    ['/v1/file.:ext', '/v1/file.txt', true],
    ['/V1/Things', '/v1/things', true],
    ['/v1/things', '/v1/things/', true],
    ['/v1/other', '/v1/things', false],
    ['/v1/things/:id/more', '/v1/things/special', false],
  ])('%s could match %s: %s', (pattern, literal, expected) => {
    expect(couldMatch(pattern, literal)).toBe(expected);
  });
});

describe('the literal-route shortcut answers every request as Express alone does', () => {
  let plain: { server: Server; url: string };
  let shortcuts: Array<{ server: Server; url: string }>;

  beforeAll(async () => {
    plain = await listen(appWith('none'));
    shortcuts = [await listen(appWith('router')), await listen(appWith('outside'))];
  });
  afterAll(() => {
    for (const { server } of [plain, ...shortcuts]) server.close();
  });

  const answer = async (base: string, method: string, path: string, headers: Record<string, string>, mount: string) => {
    const response = await fetch(`${base}${mount}${path}`, { method, headers });
    return { status: response.status, route: response.headers.get('x-route'), before: response.headers.get('x-before'), body: await response.text() };
  };

  /** Answered alike by Express alone and by both shortcuts; `mount` is how the request spells the API's path. */
  const same = async (method: string, path: string, headers: Record<string, string> = {}, mount = '/__api__') => {
    const expected = await answer(plain.url, method, path, headers, mount);
    for (const shortcut of shortcuts) {
      expect({ method, mount, path, ...(await answer(shortcut.url, method, path, headers, mount)) }).toEqual({ method, mount, path, ...expected });
    }
    return expected;
  };

  it('runs the route Express would run, including routes a parameter or wildcard route shadows', async () => {
    expect((await same('GET', '/v1/things/special')).route).toBe('1');
    expect((await same('GET', '/v1/items/a/b')).route).toBe('4');
    expect((await same('GET', '/v1/opt')).route).toBe('6');
    expect((await same('PUT', '/v1/file.txt')).route).toBe('9');
    expect((await same('DELETE', '/v1/things/special')).route).toBe('8');
    expect((await same('GET', '/v1/things')).route).toBe('3');
    expect((await same('POST', '/v1/things')).route).toBe('0');
  });

  it('matches as Express does: any case, one trailing slash, HEAD as GET, and nothing else', async () => {
    expect((await same('GET', '/V1/THINGS/')).route).toBe('3');
    expect((await same('HEAD', '/v1/things')).status).toBe(200);
    expect((await same('GET', '/v1/things//')).status).toBe(404);
    expect((await same('GET', '/v1/%74hings')).status).toBe(404);
    expect((await same('PATCH', '/v1/things')).status).toBe(404);
    await same('OPTIONS', '/v1/things');
    await same('GET', '/v1/things?x=1');
    expect((await same('GET', '/v1/things', {}, '/__API__')).route).toBe('3');
    expect((await same('GET', 'x/v1/things')).status).toBe(404);
    expect((await same('GET', '', {}, '/__api__')).status).toBe(404);
  });

  it('runs what the router runs before its routes, and stops where it refuses', async () => {
    expect(await same('GET', '/v1/things')).toMatchObject({ status: 200, before: 'ran' });
    expect(await same('GET', '/v1/things', { 'x-refuse-before': '1' })).toMatchObject({ status: 401, before: null });
  });

  it("passes a guard's refusal, a throw and a rejection to the error middleware", async () => {
    expect(await same('GET', '/v1/things', { 'x-deny': '1' })).toMatchObject({ status: 403 });
    expect(await same('GET', '/v1/guarded', { 'x-deny': '1' })).toMatchObject({ status: 403 });
    expect(await same('GET', '/v1/fails')).toMatchObject({ status: 503 });
    expect(await same('GET', '/v1/throws')).toMatchObject({ status: 500 });
  });

  it('agrees with Express on generated paths: case flips, slashes, escapes and bytes beyond ASCII', async () => {
    const segment = fc.oneof(
      fc.constantFrom('v1', 'things', 'special', 'items', 'a', 'b', 'opt', 'file.txt', 'guarded', ''),
      fc.stringMatching(/^[A-Za-z0-9%._~\u00e9-]{1,6}$/),
    );
    const path = fc
      .tuple(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.boolean(), fc.array(fc.boolean(), { maxLength: 24 }))
      .map(([segments, trailing, flips]) => {
        const text = `/${segments.join('/')}${trailing ? '/' : ''}`;
        return [...text].map((char, i) => (flips[i] ? char.toUpperCase() : char)).join('');
      });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE'), path, async (method, generated) => {
        await same(method, encodeURI(generated).replace(/%25/g, '%'));
      }),
      { numRuns: 150, seed: 20261130 },
    );
  });
});
