import { ErrorCode, UserSchema } from '@envdesk/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test/test-database.js';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';

describeEachDialect('legacy GET /__api__/me (connectapi) on %s', (dialect) => {
  let server: TestServer;
  let publisher: TestUser;
  let viewer: TestUser;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    publisher = await server.addUser('publisher');
    viewer = await server.addUser('viewer');
  });
  afterAll(() => server.close());

  it.each(['administrator', 'publisher', 'viewer'] as const)('answers a %s their own record: the v1 user plus its numeric id', async (role) => {
    const user = { administrator: server.admin, publisher, viewer }[role];
    const me = await server.request('GET', '/__api__/me', { as: user });
    expect(me.status).toBe(200);
    const v1 = await server.request('GET', '/__api__/v1/user', { as: user });
    expect(me.body).toEqual({ ...v1.body, id: expect.any(Number) });
    // What connectapi's callers read: guid, username and user_role.
    expect(UserSchema.parse(me.body)).toMatchObject({ guid: user.guid, username: user.username, user_role: role });
    const record = await server.store.users.findByGuid(user.guid);
    expect(me.body.id).toBe(record!.id);
  });

  it('answers a browser session too', async () => {
    const login = await server.request('POST', '/__api__/v1/auth/login', { as: null, body: { username: viewer.username, password: viewer.password } });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const me = await server.request('GET', '/__api__/me', { as: null, headers: { cookie } });
    expect(me.status).toBe(200);
    expect(me.body.guid).toBe(viewer.guid);
  });

  it('refuses a caller who is not signed in with 401, and a bad or hostile key the same way', async () => {
    const anonymous = await server.request('GET', '/__api__/me', { as: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe(ErrorCode.AuthRequired);
    for (const key of ['not-a-real-key', `${publisher.key}x`, "'OR'1'='1'--", 'k'.repeat(10_000)]) {
      const response = await server.request('GET', '/__api__/me', { key });
      expect(response.status).toBe(401);
      expect(response.body.code).toBe(ErrorCode.InvalidLogin);
      expect(response.text).not.toContain(publisher.guid);
    }
  });
});
