import { ErrorCode, type UserRole } from '@envdesk/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBuilders } from '../test/builders.js';
import { openEventStream } from '../test/event-stream.js';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';
import type { UserRecord } from '../users/users-store.js';

type Expectation = 'public' | readonly UserRole[];
const everyone: readonly UserRole[] = ['administrator', 'publisher', 'viewer'];
const staff: readonly UserRole[] = ['administrator', 'publisher'];
const admins: readonly UserRole[] = ['administrator'];

/**
 * Who may call each API route. Written out by hand on purpose: a route added to the server
 * without a line here fails the first test, so no route ships without a decided rule.
 */
const expected: Record<string, Expectation> = {
  'GET /server_settings': 'public',
  'GET /v1/auth/session': 'public',
  'POST /v1/auth/login': 'public',
  'POST /v1/auth/logout': 'public',
  'GET /v1/auth/csrf': everyone,
  'GET /me': everyone,
  'GET /users/current': everyone,
  'GET /applications': everyone,
  'GET /applications/:id': everyone,
  'GET /v1/user': everyone,
  'GET /v1/user/keys': everyone,
  'POST /v1/user/keys': everyone,
  'DELETE /v1/user/keys/:id': everyone,
  'GET /v1/users': staff,
  'POST /v1/users': admins,
  'GET /v1/users/:guid': staff,
  'PUT /v1/users/:guid': admins,
  'POST /v1/users/:guid/lock': admins,
  'GET /v1/groups': staff,
  'POST /v1/groups': admins,
  'GET /v1/groups/:guid': staff,
  'DELETE /v1/groups/:guid': admins,
  'GET /v1/groups/:guid/members': staff,
  'POST /v1/groups/:guid/members': admins,
  'DELETE /v1/groups/:guid/members/:user': admins,
  'GET /v1/audit_logs': admins,
  'GET /v1/audit/actions': admins,
  'GET /v1/search/auditlogs': admins,
  'GET /v1/server_settings/python': staff,
  'GET /v1/server_settings/r': staff,
  'GET /v1/server_settings/quarto': staff,
  'GET /v1/server_settings/tensorflow': staff,
  'GET /v1/server_settings/nodejs': staff,
  'GET /v1/environments/sync': admins,
  'GET /v1/events': staff,
  'GET /v1/environments': staff,
  'POST /v1/environments': admins,
  'GET /v1/environments/:guid': staff,
  'GET /v1/environments/summary': admins,
  'GET /v1/environments/deleted': admins,
  'POST /v1/environments/deleted/:guid/restore': admins,
  'GET /v1/environments/:guid/history': admins,
  'POST /v1/environments/:guid/history/:id/restore': admins,
  'PUT /v1/environments/:guid': admins,
  'DELETE /v1/environments/:guid': admins,
  'GET /v1/environments/:guid/content': staff,
  'GET /v1/environments/:guid/permissions': admins,
  'POST /v1/environments/:guid/permissions': admins,
  'GET /v1/environments/:guid/permissions/:permission': admins,
  'DELETE /v1/environments/:guid/permissions/:permission': admins,
  'GET /v1/content': everyone,
  'POST /v1/content': staff,
  'GET /v1/content/:guid': everyone,
  'PATCH /v1/content/:guid': staff,
  'DELETE /v1/content/:guid': staff,
  'GET /v1/content/:guid/environment': staff,
  'PATCH /v1/content/:guid/environment': staff,
  'PUT /v1/content/:guid/environment': staff,
  'GET /v1/content/:guid/permissions': everyone,
  'POST /v1/content/:guid/permissions': staff,
  'GET /v1/content/:guid/permissions/:permission': everyone,
  'PUT /v1/content/:guid/permissions/:permission': staff,
  'DELETE /v1/content/:guid/permissions/:permission': staff,
  'POST /v1/content/:guid/bundles': staff,
  'GET /v1/content/:guid/bundles': staff,
  'GET /v1/content/:guid/bundles/:id': staff,
  'GET /v1/content/:guid/bundles/:id/download': staff,
  'DELETE /v1/content/:guid/bundles/:id': staff,
  'POST /v1/content/:guid/deploy': staff,
  'GET /v1/content/:guid/deployments': staff,
  'GET /v1/content/:guid/lockfile': staff,
  'GET /v1/tasks/:id': everyone,
  'GET /v1/tags': everyone,
  'POST /v1/tags': admins,
  'GET /v1/tags/:id': everyone,
  'PATCH /v1/tags/:id': admins,
  'DELETE /v1/tags/:id': admins,
  'GET /v1/tags/:id/content': everyone,
  'GET /v1/content/:guid/tags': everyone,
  'POST /v1/content/:guid/tags': staff,
  'DELETE /v1/content/:guid/tags/:id': staff,
  'GET /v1/vanities': admins,
  'GET /v1/content/:guid/vanity': everyone,
  'PUT /v1/content/:guid/vanity': staff,
  'DELETE /v1/content/:guid/vanity': staff,
  'GET /v1/content/:guid/repository': everyone,
  'PUT /v1/content/:guid/repository': staff,
  'PATCH /v1/content/:guid/repository': staff,
  'DELETE /v1/content/:guid/repository': staff,
  'GET /v1/search/content': everyone,
  'POST /v1/environments/select': staff,
  'POST /v1/environments/inspect': admins,
  'POST /v1/environments/export': admins,
  'POST /v1/environments/import/plan': admins,
  'POST /v1/environments/import': admins,
  'GET /v1/system/caches/runtime': admins,
  'DELETE /v1/system/caches/runtime': admins,
  'GET /v1/content/:guid/jobs': staff,
  'GET /v1/content/:guid/jobs/:key': staff,
  'GET /v1/content/:guid/packages': staff,
  'GET /v1/packages': staff,
  'POST /v1/content/:guid/render': staff,
  'GET /applications/:guid/variants': everyone,
  'POST /variants/:id/render': staff,
};

/** Routes whose answer, when allowed, is a stream that never ends: judged from its status and headers, then closed. */
const streams = new Set(['GET /v1/events']);

/** Routes whose answer, when allowed, is a file to save rather than JSON. */
const downloads: Record<string, RegExp> = { 'POST /v1/environments/export': /^application\/yaml/ };

type Caller = 'anonymous' | 'invalid key' | 'locked user' | UserRole;
const callers: Caller[] = ['anonymous', 'invalid key', 'locked user', 'viewer', 'publisher', 'administrator'];

describe('every API route × every kind of caller', () => {
  let server: TestServer;
  let users: Record<UserRole | 'locked user', TestUser>;
  let publisherRecord: UserRecord;
  let build: ReturnType<typeof databaseBuilders>;

  beforeAll(async () => {
    server = await startTestServer();
    users = {
      administrator: server.admin,
      publisher: await server.addUser('publisher'),
      viewer: await server.addUser('viewer'),
      'locked user': await server.addUser('administrator', { locked: true }),
    };
    build = databaseBuilders(server.store);
    publisherRecord = (await server.store.users.findByGuid(users.publisher.guid))!;
  });
  afterAll(() => server.close());

  it('has a decided rule for every registered route, and no rule for a route that is gone', () => {
    const registered = server.app.routes.map((route) => `${route.method.toUpperCase()} ${route.path}`);
    expect([...registered].sort()).toEqual(Object.keys(expected).sort());
  });

  /**
   * Fresh records for each request, so one caller's DELETE cannot change what the next one sees;
   * written straight into the database, since what is under test is the request, not the setup.
   */
  async function pathFor(path: string): Promise<string> {
    const environment = await build.anEnvironment();
    const member = await build.aUser({ role: 'publisher' });
    const group = await build.aGroup({ name: `g-${member.user.username}`, members: [member] });
    const permission = await build.anEnvironmentPermission({ environment, group });
    const content = await build.aContent({ owner: publisherRecord });
    const guid = path.startsWith('/v1/users')
      ? member.user.guid
      : path.startsWith('/v1/groups')
        ? group.group.guid
        : path.startsWith('/v1/content') || path.startsWith('/applications')
          ? content.guid
          : environment.guid;
    return path
      .replace(':guid', guid)
      .replace(':permission', permission.guid)
      .replace(':user', member.user.guid)
      .replace(':id', '999999');
  }

  /** A stream's status and headers; its body only when it is a refusal (JSON that ends). */
  async function streamHead(path: string, key: string | undefined) {
    const stream = await openEventStream(`${server.url}/__api__${path}`, key ? { authorization: `Key ${key}` } : {});
    if (stream.status === 200) {
      stream.close();
      return { status: stream.status, headers: stream.headers, body: undefined };
    }
    return { status: stream.status, headers: stream.headers, body: JSON.parse(await stream.text()) };
  }

  const cases = Object.entries(expected).flatMap(([key, rule]) => callers.map((caller) => [key, caller, rule] as const));

  it.each(cases)('%s as %s', async (key, caller, rule) => {
    const [method, template] = key.split(' ') as [string, string];
    const path = await pathFor(template);
    const auth =
      caller === 'anonymous'
        ? { as: null }
        : caller === 'invalid key'
          ? { key: 'not-a-real-key' }
          : { as: users[caller] };
    const response = streams.has(key)
      ? await streamHead(path, 'as' in auth ? auth.as?.key : auth.key)
      : await server.request(method, `/__api__${path}`, { ...auth, body: method === 'GET' || method === 'DELETE' ? undefined : {} });

    expect(response.status).toBeLessThan(500);
    const success = streams.has(key) ? /^text\/event-stream/ : (downloads[key] ?? /application\/json/);
    expect(response.headers.get('content-type') ?? 'application/json').toMatch(response.status === 200 ? success : /application\/json/);
    if (rule === 'public') {
      expect([401, 403]).not.toContain(response.status);
    } else if (caller === 'anonymous') {
      expect(response.status).toBe(401);
      expect(response.body.code).toBe(ErrorCode.AuthRequired);
    } else if (caller === 'invalid key' || caller === 'locked user') {
      expect(response.status).toBe(401);
      expect(response.body.code).toBe(ErrorCode.InvalidLogin);
    } else if (rule.includes(caller)) {
      expect([401, 403]).not.toContain(response.status);
    } else {
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ code: ErrorCode.PermissionDenied, error: expect.any(String), payload: null });
    }
  });

  it('answers the liveness ping to anyone', async () => {
    const response = await fetch(`${server.url}/__ping__`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
  });

  it('answers the readiness probe to anyone, saying the database answers', async () => {
    const response = await fetch(`${server.url}/__ready__`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', database: 'sqlite' });
  });
});
