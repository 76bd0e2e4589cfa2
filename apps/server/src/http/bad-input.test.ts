import { brotliCompressSync, gzipSync } from 'node:zlib';
import { ErrorCode } from '@envdesk/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test/test-database.js';
import { type TestResponse, type TestServer, startTestServer } from '../test/test-server.js';

/** A Connect error body: what every client parses, never an HTML page or a 500. */
const connectError = (response: TestResponse, status: number, code?: number) => {
  expect(response.status).toBe(status);
  expect(response.body).toMatchObject({ code: code ?? expect.any(Number), error: expect.any(String) });
  expect(Object.keys(response.body).sort()).toEqual(['code', 'error', 'payload']);
};

/** The six causes of the 500s a fuzzer found (issue 9 § 3), each now a 4xx on both databases. */
describeEachDialect('bad input at the HTTP edge on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ dialect });
  });
  afterAll(() => server.close());

  /** Everything a rejected request must leave alone. */
  const dump = async () => {
    const db = server.database.connection.db;
    return JSON.stringify(
      await Promise.all((['content', 'environments', 'users', 'groups'] as const).map((table) => db.selectFrom(table).selectAll().execute())),
    );
  };

  it.each(['/__api__/v1/users/%', '/__api__/v1/environments/%E0%A4%A', '/__api__/v1/content/%zz/bundles', '/__api__/v1/tasks/%ff'])(
    'answers 400 to a malformed percent escape in a path parameter: %s',
    async (path) => {
      const response = await server.request('GET', path);
      connectError(response, 400, ErrorCode.BadRequest);
      expect(response.body.error).toContain('malformed percent escape');
    },
  );

  it('answers 400, and creates nothing, for a body wrong in more ways than can be listed', async () => {
    const before = await dump();
    // 200,000 bad volume mounts fit in the 2 MB body limit; gathering their problems overflowed the stack.
    const body = { name: 'ghcr.io/org/hostile:1', volume_mounts: Array.from({ length: 200_000 }, () => 7) };
    const response = await server.request('POST', '/__api__/v1/environments', { body });
    connectError(response, 400, ErrorCode.BadRequest);
    expect(response.body.error).toBe('Invalid request body: holds too many wrong values to list.');
    expect(await dump()).toBe(before);
  });

  it('treats an unreadable session cookie as no session: sign-in works, other routes ask to sign in', async () => {
    const user = await server.addUser('publisher');
    const cookie = 'envdesk_session=%';
    const signIn = await server.request('POST', '/__api__/v1/auth/login', {
      as: null,
      headers: { cookie, origin: server.url },
      body: { username: user.username, password: user.password },
    });
    expect(signIn.status).toBe(200);
    expect(signIn.headers.get('set-cookie')).toMatch(/^envdesk_session=/);
    connectError(await server.request('GET', '/__api__/v1/user', { as: null, headers: { cookie } }), 401, ErrorCode.AuthRequired);
    // A key still wins over the unreadable cookie.
    expect((await server.request('GET', '/__api__/v1/user', { as: user, headers: { cookie } })).status).toBe(200);
  });

  it.each([
    ['gzip', Buffer.from('{"name":"not-gzip"}')],
    ['gzip', gzipSync('{"name":"cut-short"}').subarray(0, 12)],
    ['deflate', Buffer.from('plain')],
    ['br', Buffer.from('{"name":"not-brotli"}')],
  ])('answers 415 to a body its Content-Encoding (%s) does not decode, creating nothing', async (encoding, body) => {
    const before = await dump();
    const response = await server.request('POST', '/__api__/v1/content', {
      rawBody: body,
      headers: { 'content-type': 'application/json', 'content-encoding': encoding },
    });
    connectError(response, 415, ErrorCode.CannotParseRequestBody);
    expect(response.body.error).toContain(`Content-Encoding (${encoding})`);
    expect(await dump()).toBe(before);
  });

  it('still reads a body its Content-Encoding does decode', async () => {
    const response = await server.request('POST', '/__api__/v1/content', {
      rawBody: brotliCompressSync('{"name":"brotli-body"}'),
      headers: { 'content-type': 'application/json', 'content-encoding': 'br' },
    });
    expect(response.status).toBe(200);
    expect(response.body.name).toBe('brotli-body');
  });

  it('accepts description: null on content as Connect does: no description', async () => {
    const created = await server.request('POST', '/__api__/v1/content', { body: { name: 'null-description', description: null } });
    expect(created.status).toBe(200);
    expect(created.body.description).toBe('');
    await server.request('PATCH', `/__api__/v1/content/${created.body.guid}`, { body: { description: 'Some words' } });
    const cleared = await server.request('PATCH', `/__api__/v1/content/${created.body.guid}`, { body: { description: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.body.description).toBe('');
  });

  it.each([
    ['POST', '/__api__/v1/content', { name: 'nul-title', title: 'a\u0000b' }, 'title'],
    ['POST', '/__api__/v1/content', { name: 'esc-description', description: 'red \u001b[31m text' }, 'description'],
    ['POST', '/__api__/v1/environments', { name: 'ghcr.io/org/nul:1', description: 'one\u0000two' }, 'description'],
    ['POST', '/__api__/v1/environments', { name: 'ghcr.io/org/nul:1', title: 'tab\there' }, 'title'],
    ['POST', '/__api__/v1/users', { username: 'nul-user', first_name: 'An\u0000' }, 'first_name'],
    ['POST', '/__api__/v1/groups', { name: 'group\u007f' }, 'name'],
    ['POST', '/__api__/v1/user/keys', { name: 'key\u0085' }, 'name'],
  ])('refuses control characters in text the same way on both databases: %s %s (%s)', async (method, path, body, field) => {
    const before = await dump();
    const response = await server.request(method, path, { body });
    connectError(response, 400);
    expect(response.body.payload.issues).toContainEqual({ field, message: 'must not contain control characters' });
    expect(await dump()).toBe(before);
  });

  it('keeps line breaks and tabs in multi-line text', async () => {
    const response = await server.request('POST', '/__api__/v1/content', { body: { name: 'multi-line', description: 'first line\r\n\tsecond' } });
    expect(response.status).toBe(200);
    expect(response.body.description).toBe('first line\r\n\tsecond');
  });

  it.each(['/__api__/v1/users/%00', '/__api__/v1/content?name=%00', '/__api__/v1/users?prefix=a%1b', '/__api__/v1/tasks/%00'])(
    'refuses control characters in path parameters and query strings: %s',
    async (path) => {
      connectError(await server.request('GET', path), 400);
    },
  );

  it('finds no record, rather than failing, for ids beyond what the database can hold', async () => {
    connectError(await server.request('DELETE', '/__api__/v1/user/keys/99999999999999999999'), 404, ErrorCode.ObjectDoesNotExist);
    const content = (await server.request('POST', '/__api__/v1/content', { body: { name: 'huge-bundle-id' } })).body;
    for (const bundle_id of ['99999999999999999999', 2 ** 40]) {
      const response = await server.request('POST', `/__api__/v1/content/${content.guid}/deploy`, { body: { bundle_id } });
      connectError(response, 400);
      expect(response.body.payload.field).toBe('bundle_id');
    }
  });

  it.each([
    ['an array', `{"title":${'['.repeat(100_000)}${']'.repeat(100_000)}}`, '/__api__/v1/environments'],
    ['an object', `{"manifest":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_001)}`, '/__api__/v1/environments/select'],
  ])('answers 400 to JSON nested 100,000 deep (%s), not a stack overflow', async (_shape, rawBody, path) => {
    const before = await dump();
    const response = await server.request('POST', path, { rawBody, headers: { 'content-type': 'application/json' } });
    connectError(response, 400);
    expect(await dump()).toBe(before);
  });
});
