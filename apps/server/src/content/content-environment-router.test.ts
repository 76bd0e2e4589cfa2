import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, MAX_ENVIRONMENT_VARIABLE_VALUE_LENGTH } from '@envdesk/domain';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemClock } from '../clock.js';
import { memoryLogger } from '../test/memory-logger.js';
import { describeEachDialect } from '../test/test-database.js';
import { type TestResponse, type TestServer, type TestUser, startTestServer } from '../test/test-server.js';
import { createContentEnvironmentService } from './content-environment-service.js';
import { createVariableCipher } from './variable-cipher.js';

describeEachDialect('content environment variables API on %s', (dialect) => {
  let server: TestServer;
  let owner: TestUser;
  let otherPublisher: TestUser;
  let viewer: TestUser;
  const log = memoryLogger('trace');
  /** Every answer a test got, so the last test can check that no value was ever in one. */
  const answers: TestResponse[] = [];
  /** Every value a test set. */
  const values: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({ dialect, logger: log.logger });
    owner = await server.addUser('publisher');
    otherPublisher = await server.addUser('publisher');
    viewer = await server.addUser('viewer');
  });
  afterAll(() => server.close());

  const call = async (method: string, guid: string, as: TestUser | null, body?: unknown) => {
    const response = await server.request(method, `/__api__/v1/content/${guid}/environment`, { as, body });
    answers.push(response);
    return response;
  };
  /** A value nobody could mistake for anything else, remembered for the checks that it never leaks. */
  const secret = (label: string) => {
    const value = `${label}-${randomBytes(12).toString('hex')}`;
    values.push(value);
    return value;
  };
  const newContent = async (as: TestUser = owner) => {
    const response = await server.request('POST', '/__api__/v1/content', { as, body: {} });
    expect(response.status).toBe(200);
    return response.body.guid as string;
  };
  const recordOf = async (guid: string) => (await server.store.content.findByGuid(guid))!;
  const valuesOf = async (guid: string) => Object.fromEntries(await server.app.services.contentEnvironment.valuesFor(await recordOf(guid)));

  it("answers posit-sdk's calls as it reads them: create, find, update, delete, clear, and restart's temporary variable", async () => {
    const guid = await newContent();
    expect((await call('GET', guid, owner)).body).toEqual([]);
    // EnvVars.create / update / __setitem__: PATCH [{name, value}]; find: GET, a list of names.
    const created = await call('PATCH', guid, owner, [{ name: 'KEY', value: secret('value') }]);
    expect(created.status).toBe(200);
    expect(created.body).toEqual(['KEY']);
    expect((await call('GET', guid, owner)).body).toEqual(['KEY']);
    // restart(): a variable named after the time, set then deleted.
    const restartName = `_CONNECT_RESTART_TMP_${Math.floor(Date.now() / 1000)}`;
    expect((await call('PATCH', guid, owner, [{ name: restartName, value: '1764451200' }])).body).toEqual(['KEY', restartName]);
    expect((await call('PATCH', guid, owner, [{ name: restartName, value: null }])).body).toEqual(['KEY']);
    // delete / __delitem__: a null value.
    expect((await call('PATCH', guid, owner, [{ name: 'KEY', value: null }])).body).toEqual([]);
    // clear(): PUT [].
    await call('PATCH', guid, owner, [{ name: 'KEY', value: secret('value') }]);
    const cleared = await call('PUT', guid, owner, []);
    expect(cleared.status).toBe(200);
    expect(cleared.body).toEqual([]);
    expect((await call('GET', guid, owner)).body).toEqual([]);
  });

  it('PATCH sets and removes the named variables and leaves the others; PUT makes the set exactly what it is given', async () => {
    const guid = await newContent();
    const [a, b, c] = [secret('a'), secret('b'), secret('c')];
    expect((await call('PATCH', guid, owner, [{ name: 'B_VAR', value: b }, { name: 'A_VAR', value: a }])).body).toEqual(['A_VAR', 'B_VAR']);
    const patched = await call('PATCH', guid, owner, [{ name: 'C_VAR', value: c }, { name: 'B_VAR', value: null }, { name: 'NEVER_SET', value: null }]);
    expect(patched.body).toEqual(['A_VAR', 'C_VAR']);
    expect(await valuesOf(guid)).toEqual({ A_VAR: a, C_VAR: c });

    const replacement = secret('replaced');
    // In PUT as in PATCH, a null value means "not set".
    const put = await call('PUT', guid, owner, [{ name: 'A_VAR', value: replacement }, { name: 'D_VAR', value: '' }, { name: 'E_VAR', value: null }]);
    expect(put.status).toBe(200);
    expect(put.body).toEqual(['A_VAR', 'D_VAR']);
    expect(await valuesOf(guid)).toEqual({ A_VAR: replacement, D_VAR: '' });
  });

  it('keeps values of any text, line breaks and all, up to the size cap', async () => {
    const guid = await newContent();
    const pem = `-----BEGIN CERTIFICATE-----\n${secret('cert')}\n-----END CERTIFICATE-----\n`;
    const largest = 'é'.repeat(MAX_ENVIRONMENT_VARIABLE_VALUE_LENGTH);
    expect((await call('PATCH', guid, owner, [{ name: 'PEM', value: pem }, { name: 'LARGEST', value: largest }, { name: 'EMOJI', value: '🔑 ✓' }])).status).toBe(200);
    expect(await valuesOf(guid)).toEqual({ PEM: pem, LARGEST: largest, EMOJI: '🔑 ✓' });
  });

  it('lets the owner and administrators read and write; another publisher and a viewer get 403, an anonymous caller 401', async () => {
    const guid = await newContent();
    // Open to every signed-in user: seeing content is not managing it.
    await server.request('PATCH', `/__api__/v1/content/${guid}`, { as: owner, body: { access_type: 'logged_in' } });
    await call('PATCH', guid, owner, [{ name: 'OWNED', value: secret('owned') }]);
    const adminWrite = await call('PATCH', guid, server.admin, [{ name: 'BY_ADMIN', value: secret('admin') }]);
    expect(adminWrite.status).toBe(200);
    expect((await call('GET', guid, server.admin)).body).toEqual(['BY_ADMIN', 'OWNED']);

    for (const caller of [otherPublisher, viewer]) {
      for (const [method, body] of [['GET'], ['PATCH', [{ name: 'OWNED', value: null }]], ['PUT', []]] as const) {
        const response = await call(method, guid, caller, body);
        expect(response.status).toBe(403);
        expect(response.body).toMatchObject({ code: ErrorCode.PermissionDenied, error: expect.any(String), payload: null });
      }
    }
    for (const method of ['GET', 'PATCH', 'PUT']) {
      const response = await call(method, guid, null, method === 'GET' ? undefined : []);
      expect(response.status).toBe(401);
      expect(response.body.code).toBe(ErrorCode.AuthRequired);
    }
    expect((await call('GET', guid, owner)).body).toEqual(['BY_ADMIN', 'OWNED']);
  });

  it("answers 404 in Connect's shape for content that does not exist", async () => {
    const missing = '0b6f3a4e-7d1c-4c1f-9d4c-4f2b0f0d9e11';
    for (const [method, body] of [['GET'], ['PATCH', []], ['PUT', []]] as const) {
      const response = await call(method, missing, owner, body);
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: ErrorCode.ObjectDoesNotExist, payload: null });
    }
  });

  it.each([
    ['a body that is not a list', { KEY: 'value' }, null],
    ['no body', undefined, null],
    ['an entry that is not an object', ['KEY=value'], '[0]'],
    ['an empty name', [{ name: '', value: 'x' }], '[0].name'],
    ['a name with "="', [{ name: 'A=B', value: 'x' }], '[0].name'],
    ['a name with a space', [{ name: 'A B', value: 'x' }], '[0].name'],
    ['a name starting with a digit', [{ name: '1A', value: 'x' }], '[0].name'],
    ['a name with NUL', [{ name: 'A\u0000', value: 'x' }], '[0].name'],
    ['a name of 256 characters', [{ name: 'N'.repeat(256), value: 'x' }], '[0].name'],
    ['a name that is not text', [{ name: 42, value: 'x' }], '[0].name'],
    ['a value that is not text', [{ name: 'OK', value: 'x' }, { name: 'NUMBER', value: 5 }], '[1].value'],
    ['a missing value', [{ name: 'OK' }], '[0].value'],
    ['a value with NUL', [{ name: 'OK', value: 'a\u0000b' }], '[0].value'],
    ['a value over the size cap', [{ name: 'HUGE', value: 'x'.repeat(MAX_ENVIRONMENT_VARIABLE_VALUE_LENGTH + 1) }], '[0].value'],
    ['a name given twice', [{ name: 'A', value: '1' }, { name: 'B', value: '2' }, { name: 'A', value: null }], '[2].name'],
    ['over 1,000 variables', Array.from({ length: 1_001 }, (_, i) => ({ name: `V${i}`, value: 'x' })), null],
  ])('refuses %s with 400 naming the field, and changes nothing', async (_label, body, field) => {
    const guid = await newContent();
    const kept = secret('kept');
    await call('PATCH', guid, owner, [{ name: 'KEPT', value: kept }]);
    for (const method of ['PATCH', 'PUT']) {
      const response = await call(method, guid, owner, body);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: ErrorCode.BadRequest, error: expect.stringMatching(/^Invalid /), payload: { field } });
    }
    expect(await valuesOf(guid)).toEqual({ KEPT: kept });
  });

  it('refuses JSON that does not parse with 400 and changes nothing', async () => {
    const guid = await newContent();
    const response = await server.request('PATCH', `/__api__/v1/content/${guid}/environment`, {
      as: owner,
      rawBody: '[{"name": "A", "value": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe(ErrorCode.InvalidJson);
    expect((await call('GET', guid, owner)).body).toEqual([]);
  });

  it('stores values sealed: the column holds no plain text, each value has its own IV, and a sealed value moved to another row does not open', async () => {
    const guid = await newContent();
    const value = secret('stored');
    await call('PATCH', guid, owner, [{ name: 'ONE', value }, { name: 'TWO', value }]);
    const record = await recordOf(guid);
    const rows = await server.database.connection.db
      .selectFrom('content_environment_variables')
      .selectAll()
      .where('content_id', '=', record.id)
      .orderBy('name')
      .execute();
    expect(rows.map((row) => row.name)).toEqual(['ONE', 'TWO']);
    for (const row of rows) {
      expect(row.sealed_value).not.toContain(value);
      expect(Buffer.from(row.sealed_value, 'base64').toString('latin1')).not.toContain(value);
    }
    // The same value twice is two different ciphertexts: a fresh IV each time.
    expect(rows[0]!.sealed_value).not.toBe(rows[1]!.sealed_value);

    // Copied onto another content item, or under another name, the ciphertext no longer authenticates.
    const other = await recordOf(await newContent());
    await server.database.connection.db
      .insertInto('content_environment_variables')
      .values({ ...rows[0]!, content_id: other.id })
      .execute();
    await expect(server.app.services.contentEnvironment.valuesFor(other)).rejects.toThrow(
      `The stored environment variable ONE of content ${other.guid} does not authenticate`,
    );
    await server.database.connection.db.updateTable('content_environment_variables').set({ sealed_value: rows[0]!.sealed_value }).where('content_id', '=', record.id).where('name', '=', 'TWO').execute();
    await expect(server.app.services.contentEnvironment.valuesFor(record)).rejects.toThrow(`environment variable TWO of content ${guid} does not authenticate`);
  });

  it('says a value was sealed with another key, rather than answering garbage, when the server key changed', async () => {
    const guid = await newContent();
    await call('PATCH', guid, owner, [{ name: 'TOKEN', value: secret('token') }]);
    // What a restart with a different ENVDESK_SECRET_KEY would do with the same database.
    const otherKey = createContentEnvironmentService({
      store: server.store,
      clock: systemClock,
      content: server.app.services.content,
      cipher: createVariableCipher(randomBytes(32)),
    });
    await expect(otherKey.valuesFor(await recordOf(guid))).rejects.toThrow(
      new RegExp(`^The environment variable TOKEN of content ${guid} was encrypted with key [0-9a-f]{16}, but this server's key is [0-9a-f]{16}: set ENVDESK_SECRET_KEY`),
    );
  });

  it('leaves the previous set whole when a write fails halfway through a PATCH or a PUT', async () => {
    const guid = await newContent();
    const [a, b] = [secret('before-a'), secret('before-b')];
    await call('PATCH', guid, owner, [{ name: 'A', value: a }, { name: 'B', value: b }]);
    // The database refuses one name, after the request's removals have been written.
    const db = server.database.connection.db;
    if (dialect === 'sqlite') {
      await sql`create trigger refuse_variable before insert on content_environment_variables when new.name = 'REFUSED'
                begin select raise(abort, 'refused by the test'); end`.execute(db);
    } else {
      await sql`create function refuse_variable() returns trigger language plpgsql as $$
                begin if new.name = 'REFUSED' then raise exception 'refused by the test'; end if; return new; end $$`.execute(db);
      await sql`create trigger refuse_variable before insert on content_environment_variables for each row execute function refuse_variable()`.execute(db);
    }
    try {
      const patch = await call('PATCH', guid, owner, [{ name: 'B', value: null }, { name: 'A', value: secret('after') }, { name: 'REFUSED', value: secret('refused') }]);
      expect(patch.status).toBe(500);
      expect(patch.body.code).toBe(ErrorCode.InternalFailure);
      const put = await call('PUT', guid, owner, [{ name: 'REFUSED', value: secret('refused') }]);
      expect(put.status).toBe(500);
      expect(await valuesOf(guid)).toEqual({ A: a, B: b });
    } finally {
      await sql`drop trigger refuse_variable ${sql.raw(dialect === 'postgres' ? 'on content_environment_variables' : '')}`.execute(db);
    }
  });

  it('removes the variables with their content', async () => {
    const guid = await newContent();
    await call('PATCH', guid, owner, [{ name: 'GONE', value: secret('gone') }]);
    const { id } = await recordOf(guid);
    expect((await server.request('DELETE', `/__api__/v1/content/${guid}`, { as: owner })).status).toBe(204);
    const left = await server.database.connection.db.selectFrom('content_environment_variables').select('name').where('content_id', '=', id).execute();
    expect(left).toEqual([]);
  });

  it('never puts a value in an answer, a log line or the database file', async () => {
    expect(values.length).toBeGreaterThan(10);
    const logText = JSON.stringify(log.lines);
    expect(log.lines.some((line) => line.path && String(line.path).endsWith('/environment'))).toBe(true);
    for (const value of values) {
      expect(answers.find((answer) => answer.text.includes(value))).toBeUndefined();
      expect(logText).not.toContain(value);
    }
    if (dialect === 'sqlite') {
      const dataDir = server.database.options.dataDir;
      const files = readdirSync(dataDir).filter((name) => name.startsWith('envdesk.db'));
      expect(files).toContain('envdesk.db');
      const bytes = Buffer.concat(files.map((name) => readFileSync(path.join(dataDir, name))));
      for (const value of values) expect(bytes.includes(Buffer.from(value))).toBe(false);
    }
  });
});
