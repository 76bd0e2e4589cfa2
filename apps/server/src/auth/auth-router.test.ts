import { CreatedApiKeySchema, ErrorCode, UserSchema } from '@envdesk/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';

describe('sign-in, sessions, CSRF and API keys', () => {
  let server: TestServer;
  let publisher: TestUser;

  beforeAll(async () => {
    // This suite fails on purpose often; sign-in-throttle.test.ts is where the throttle is tested.
    server = await startTestServer({ signInLimits: { windowMs: 60_000, maxFailuresPerUser: 1000, maxFailuresPerAddress: 1000 } });
    publisher = await server.addUser('publisher');
  });
  afterAll(() => server.close());

  async function signIn(user: TestUser) {
    const response = await server.request('POST', '/__api__/v1/auth/login', { as: null, body: { username: user.username, password: user.password } });
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie') ?? '';
    const session = cookie.split(';')[0]!;
    const csrf = (await server.request('GET', '/__api__/v1/auth/csrf', { as: null, headers: { cookie: session } })).body.token as string;
    return { cookie, session, csrf };
  }

  it('signs in with a password: an HttpOnly, SameSite=Lax session cookie, and the user', async () => {
    const response = await server.request('POST', '/__api__/v1/auth/login', {
      as: null,
      body: { username: publisher.username.toUpperCase(), password: publisher.password },
    });
    expect(response.status).toBe(200);
    expect(UserSchema.parse(response.body).guid).toBe(publisher.guid);
    expect(response.headers.get('set-cookie')).toMatch(/envdesk_session=[^;]+;.*HttpOnly.*SameSite=Lax/i);
  });

  it.each([
    ['a wrong password', { password: 'wrong-password' }],
    ['an unknown user', { username: 'nobody-here' }],
  ])('refuses %s with 401, code 30, and the same message', async (_label, change) => {
    const response = await server.request('POST', '/__api__/v1/auth/login', {
      as: null,
      body: { username: publisher.username, password: publisher.password, ...change },
    });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ code: ErrorCode.InvalidLogin, error: 'The username or password is not correct.', payload: null });
  });

  it('says who is signed in without a 401: nobody, the session\'s user, and nobody again for a session that ended', async () => {
    const nobody = await server.request('GET', '/__api__/v1/auth/session', { as: null });
    expect(nobody.status).toBe(200);
    expect(nobody.body).toEqual({ user: null });

    const { session, csrf } = await signIn(publisher);
    const signedIn = await server.request('GET', '/__api__/v1/auth/session', { as: null, headers: { cookie: session } });
    expect(UserSchema.parse(signedIn.body.user).guid).toBe(publisher.guid);

    await server.request('POST', '/__api__/v1/auth/logout', { as: null, headers: { cookie: session, 'x-csrf-token': csrf }, body: {} });
    const ended = await server.request('GET', '/__api__/v1/auth/session', { as: null, headers: { cookie: session } });
    expect(ended.status).toBe(200);
    expect(ended.body).toEqual({ user: null });
  });

  it('names the missing field of a login body', async () => {
    const response = await server.request('POST', '/__api__/v1/auth/login', { as: null, body: { username: 'x' } });
    expect(response.status).toBe(400);
    expect(response.body.payload.field).toBe('password');
  });

  it('refuses an overlong username with 400 before recording an attempt', async () => {
    const before = await server.database.connection.db.selectFrom('sign_in_failures').select('id').execute();
    const response = await server.request('POST', '/__api__/v1/auth/login', { as: null, body: { username: 'u'.repeat(100_000), password: 'x' } });
    expect(response.status).toBe(400);
    expect(response.body.payload.field).toBe('username');
    expect(await server.database.connection.db.selectFrom('sign_in_failures').select('id').execute()).toEqual(before);
  });

  it('refuses a locked account with the right password in the same words as a wrong one, and on its keys', async () => {
    const locked = await server.addUser('publisher', { locked: true });
    const login = await server.request('POST', '/__api__/v1/auth/login', { as: null, body: { username: locked.username, password: locked.password } });
    expect(login.status).toBe(401);
    // "locked" would tell whoever guessed the password that the guess was right.
    expect(login.body).toEqual({ code: ErrorCode.InvalidLogin, error: 'The username or password is not correct.', payload: null });
    expect((await server.request('GET', '/__api__/v1/user', { as: locked })).status).toBe(401);
  });

  it('takes as long for an unknown username as for a wrong password (no enumeration by timing)', async () => {
    // Interleaved, so load on the machine slows both kinds alike; medians, so one stall does not count.
    // Without the dummy hash an unknown user answers ~100 times faster; a factor of 3 leaves room for noise.
    const timed = async (username: string) => {
      const started = performance.now();
      const response = await server.request('POST', '/__api__/v1/auth/login', { as: null, body: { username, password: 'wrong-password' } });
      expect(response.status).toBe(401);
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 10; i++) {
      known.push(await timed(publisher.username));
      unknown.push(await timed(`nobody-${i}`));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const ratio = median(known) / median(unknown);
    expect(ratio, `known ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms`).toBeLessThan(3);
    expect(ratio).toBeGreaterThan(1 / 3);
  });

  it('needs the CSRF token on cookie-authenticated writes, and not with a Key header', async () => {
    const { session, csrf } = await signIn(server.admin);
    const body = { name: `team-${Date.now()}` };
    const without = await server.request('POST', '/__api__/v1/groups', { as: null, headers: { cookie: session }, body });
    expect(without.status).toBe(403);
    expect(without.body.payload).toEqual({ field: 'X-CSRF-Token' });
    const wrong = await server.request('POST', '/__api__/v1/groups', { as: null, headers: { cookie: session, 'x-csrf-token': 'nope' }, body });
    expect(wrong.status).toBe(403);
    const withToken = await server.request('POST', '/__api__/v1/groups', { as: null, headers: { cookie: session, 'x-csrf-token': csrf }, body });
    expect(withToken.status).toBe(200);
    // rsconnect-python replays cookies on writes: the key decides, and no token is needed.
    const keyAndCookie = await server.request('POST', '/__api__/v1/groups', { headers: { cookie: session }, body: { name: `${body.name}-2` } });
    expect(keyAndCookie.status).toBe(200);
    // Reads need no token.
    expect((await server.request('GET', '/__api__/v1/user', { as: null, headers: { cookie: session } })).body.username).toBe('admin');
  });

  it('signs out with the CSRF token: the session stops working and the cookie is cleared', async () => {
    const { session, csrf } = await signIn(publisher);
    // Without the token another site could end the session (and then sign the visitor in as someone else).
    const forged = await server.request('POST', '/__api__/v1/auth/logout', { as: null, headers: { cookie: session }, body: {} });
    expect(forged.status).toBe(403);
    expect(forged.body.payload).toEqual({ field: 'X-CSRF-Token' });
    expect((await server.request('GET', '/__api__/v1/user', { as: null, headers: { cookie: session } })).status).toBe(200);

    const out = await server.request('POST', '/__api__/v1/auth/logout', { as: null, headers: { cookie: session, 'x-csrf-token': csrf }, body: {} });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/envdesk_session=;/);
    const after = await server.request('GET', '/__api__/v1/user', { as: null, headers: { cookie: session } });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe(ErrorCode.InvalidLogin);
  });

  it('signs out without a live session: nothing to end, the cookie is cleared', async () => {
    const out = await server.request('POST', '/__api__/v1/auth/logout', { as: null, headers: { cookie: 'envdesk_session=ended-long-ago' }, body: {} });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/envdesk_session=;/);
  });

  describe('sign-in and sign-out take only JSON from envdesk\'s own pages', () => {
    const login = (headers: Record<string, string>, rawBody = JSON.stringify({ username: publisher.username, password: publisher.password })) =>
      server.request('POST', '/__api__/v1/auth/login', { as: null, headers, rawBody });

    it.each([
      ['text/plain (a cross-site form or no-cors fetch)', 'text/plain', undefined],
      ['text/plain that is not JSON', 'text/plain', 'username=a&password=b'],
      ['a form post', 'application/x-www-form-urlencoded', 'username=a&password=b'],
      ['multipart', 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="username"\r\n\r\na\r\n--x--\r\n'],
    ])('refuses %s with 415', async (_label, type, body) => {
      const response = await login({ 'content-type': type }, body);
      expect(response.status).toBe(415);
      expect(response.body).toMatchObject({ code: ErrorCode.CannotParseRequestBody, payload: null });
      expect(response.headers.get('set-cookie')).toBeNull();
    });

    it('refuses a body without a Content-Type with 415', async () => {
      expect((await login({})).status).toBe(415);
    });

    it.each([
      ['another Origin', { origin: 'https://evil.example' }],
      ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
      ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site', origin: 'http://wiki.127.0.0.1.nip.io' }],
      ['Origin: null', { origin: 'null' }],
    ])('refuses %s with 403 and sets no cookie', async (_label, headers) => {
      const response = await login({ 'content-type': 'application/json', ...headers });
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ code: ErrorCode.PermissionDenied, payload: { field: 'Origin' } });
      expect(response.headers.get('set-cookie')).toBeNull();
    });

    it.each([
      ['its own Origin', () => ({ origin: server.url })],
      ['Sec-Fetch-Site: same-origin', () => ({ origin: server.url, 'sec-fetch-site': 'same-origin' })],
      ['the public host named by a trusted proxy', () => ({ origin: 'https://envdesk.example.com', 'x-forwarded-host': 'envdesk.example.com' })],
      ['a script (no Origin), with a charset', () => ({})],
    ])('accepts %s', async (_label, headers) => {
      const response = await login({ 'content-type': 'application/json; charset=utf-8', ...headers() });
      expect(response.status).toBe(200);
    });

    it('refuses a sign-out from another site or not as JSON, and the session goes on', async () => {
      const { session, csrf } = await signIn(publisher);
      const headers = { cookie: session, 'x-csrf-token': csrf };
      const crossSite = await server.request('POST', '/__api__/v1/auth/logout', { as: null, headers: { ...headers, origin: 'https://evil.example' }, body: {} });
      expect(crossSite.status).toBe(403);
      const notJson = await server.request('POST', '/__api__/v1/auth/logout', { as: null, headers: { ...headers, 'content-type': 'text/plain' }, rawBody: '{}' });
      expect(notJson.status).toBe(415);
      expect((await server.request('GET', '/__api__/v1/user', { as: null, headers: { cookie: session } })).status).toBe(200);
    });
  });

  it('accepts the key in X-RSC-Authorization too', async () => {
    const response = await server.request('GET', '/__api__/v1/user', { as: null, headers: { 'x-rsc-authorization': `Key ${publisher.key}` } });
    expect(response.body.guid).toBe(publisher.guid);
  });

  it('shows a new API key once, lists it without its secret, and revokes it', async () => {
    const created = await server.request('POST', '/__api__/v1/user/keys', { as: publisher, body: { name: 'laptop' } });
    expect(created.status).toBe(200);
    const key = CreatedApiKeySchema.parse(created.body);
    expect((await server.request('GET', '/__api__/v1/user', { key: key.key })).body.guid).toBe(publisher.guid);

    const listed = await server.request('GET', '/__api__/v1/user/keys', { as: publisher });
    expect(listed.body.find((item: { id: string }) => item.id === key.id)).toEqual({
      id: key.id,
      name: 'laptop',
      created_time: key.created_time,
      last_used_time: expect.any(String),
    });
    expect(listed.text).not.toContain(key.key);

    expect((await server.request('DELETE', `/__api__/v1/user/keys/${key.id}`, { as: server.admin })).status).toBe(404);
    expect((await server.request('DELETE', `/__api__/v1/user/keys/${key.id}`, { as: publisher })).status).toBe(204);
    const revoked = await server.request('GET', '/__api__/v1/user', { key: key.key });
    expect(revoked.status).toBe(401);
  });

  it('stores keys and passwords only as hashes', async () => {
    const rows = await server.database.connection.db.selectFrom('api_keys').select('key_hash').execute();
    expect(rows.map((row) => row.key_hash)).not.toContain(publisher.key);
    const user = await server.database.connection.db.selectFrom('users').select('password_hash').where('guid', '=', publisher.guid).executeTakeFirstOrThrow();
    expect(user.password_hash).toMatch(/^scrypt\$/);
    expect(user.password_hash).not.toContain(publisher.password);
  });
});
