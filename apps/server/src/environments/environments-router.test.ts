import { EditConflictPayloadSchema, EnvironmentPermissionSchema, EnvironmentSchema, ErrorCode, environmentEtag } from '@envdesk/domain';
import { aCreateEnvironmentInput } from '@envdesk/domain/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newGuid, rfc3339 } from '../clock.js';
import { openDatabase } from '../db/database.js';
import { createStore } from '../db/store.js';
import { describeEachDialect } from '../test/test-database.js';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';
import { fieldsForCreate } from './environments-service.js';

describeEachDialect('environments API on %s', (dialect) => {
  let server: TestServer;
  let publisher: TestUser;
  let viewer: TestUser;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    publisher = await server.addUser('publisher');
    viewer = await server.addUser('viewer');
  });
  afterAll(() => server.close());

  const create = async (overrides: Parameters<typeof aCreateEnvironmentInput>[0] = {}) => {
    const response = await server.request('POST', '/__api__/v1/environments', { body: aCreateEnvironmentInput(overrides) });
    expect(response.status).toBe(200);
    return EnvironmentSchema.parse(response.body);
  };
  const listAs = async (user: TestUser) => {
    const response = await server.request('GET', '/__api__/v1/environments', { as: user });
    expect(response.status).toBe(200);
    return (response.body as unknown[]).map((item) => EnvironmentSchema.parse(item));
  };

  it('creates with 200 and answers GET with exactly what POST answered', async () => {
    const created = await create({ title: 'Round trip', supervisor: '/usr/local/bin/supervisor.sh' });
    expect(created).toMatchObject({ id: expect.stringMatching(/^\d+$/), cluster_name: 'Kubernetes', environment_type: 'Kubernetes', managed_by: null });
    expect(created.tensorflow).toEqual({ installations: [] });
    const fetched = await server.request('GET', `/__api__/v1/environments/${created.guid}`);
    expect(fetched.headers.get('content-type')).toMatch(/^application\/json/);
    expect(fetched.body).toEqual(created);
  });

  it('accepts the cookbook curl: --data sends a form content type and "key" in lower case', async () => {
    const response = await server.request('POST', '/__api__/v1/environments', {
      rawBody: JSON.stringify({
        title: 'Custom image classifier',
        cluster_name: 'Kubernetes',
        name: 'registry.example.com/image-classifier:jammy',
        matching: 'exact',
        python: { installations: [{ version: '3.9.14', path: '/opt/python/3.9.14/bin/python' }] },
      }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `key ${server.admin.key}` },
      as: null,
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ matching: 'exact', description: null, quarto: { installations: [] } });
  });

  it('fills Connect defaults for a minimal body', async () => {
    const response = await server.request('POST', '/__api__/v1/environments', { body: { name: 'ghcr.io/org/minimal:1' } });
    expect(response.body).toMatchObject({ title: null, matching: 'any', supervisor: null, volume_mounts: [], python: { installations: [] } });
  });

  it('rejects a bad body naming the field, and creates nothing', async () => {
    const before = (await listAs(server.admin)).length;
    const response = await server.request('POST', '/__api__/v1/environments', {
      body: aCreateEnvironmentInput({ python: { installations: [{ version: '3.11', path: 'relative/python' }] } }),
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: ErrorCode.InvalidInstallationPath, payload: { field: 'python.installations[0].path' } });
    expect(response.body.error).toContain('python.installations[0].path');
    expect((await listAs(server.admin)).length).toBe(before);
  });

  it.each([
    ['not JSON', '{"name": ', ErrorCode.InvalidJson],
    ['a JSON string', '"ghcr.io/x"', ErrorCode.InvalidJson],
    ['an array', '[]', ErrorCode.BadRequest],
  ])('answers %s with a 400 in Connect shape, never a 500', async (_label, rawBody, code) => {
    const response = await server.request('POST', '/__api__/v1/environments', { rawBody, headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code, error: expect.any(String) });
    expect(response.body).toHaveProperty('payload');
  });

  it('PUT replaces fields present, keeps fields absent, and clears fields sent as null', async () => {
    const created = await create({ title: 'Before', description: 'keep me', supervisor: '/bin/sup' });
    const response = await server.request('PUT', `/__api__/v1/environments/${created.guid}`, {
      body: { title: 'After', supervisor: null, r: { installations: [{ version: '4.5.0', path: '/opt/R/4.5.0/bin/R' }] } },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ title: 'After', description: 'keep me', supervisor: null, python: created.python });
    expect(response.body.r.installations).toEqual([{ version: '4.5.0', path: '/opt/R/4.5.0/bin/R' }]);
  });

  it('PUT accepts the unchanged name (clients send the whole record) but refuses a new image', async () => {
    const created = await create();
    const same = await server.request('PUT', `/__api__/v1/environments/${created.guid}`, { body: { ...created, title: 'Renamed' } });
    expect(same.status).toBe(200);
    expect(same.body.title).toBe('Renamed');
    const changed = await server.request('PUT', `/__api__/v1/environments/${created.guid}`, { body: { name: 'ghcr.io/org/other:1' } });
    expect(changed.status).toBe(400);
    expect(changed.body).toMatchObject({ code: ErrorCode.InvalidEnvironmentName, payload: { field: 'name' } });
  });

  it('a rejected PUT changes nothing, even its valid fields', async () => {
    const created = await create({ title: 'Stable' });
    const response = await server.request('PUT', `/__api__/v1/environments/${created.guid}`, { body: { title: 'Changed', matching: 'sometimes' } });
    expect(response.body.code).toBe(ErrorCode.UnknownEnvironmentMatchingType);
    expect((await server.request('GET', `/__api__/v1/environments/${created.guid}`)).body).toEqual(created);
  });

  it('DELETE answers 204, then the environment is gone (404, code 4)', async () => {
    const created = await create();
    const removed = await server.request('DELETE', `/__api__/v1/environments/${created.guid}`);
    expect(removed.status).toBe(204);
    expect(removed.text).toBe('');
    const fetched = await server.request('GET', `/__api__/v1/environments/${created.guid}`);
    expect(fetched.status).toBe(404);
    expect(fetched.body).toEqual({ code: ErrorCode.ObjectDoesNotExist, error: 'Environment does not exist.', payload: null });
  });

  it('refuses PUT and DELETE of a file-managed environment with 409 / 265, but accepts permission changes', async () => {
    const managed = await server.store.environments.insert(
      newGuid(),
      fieldsForCreate({ name: 'ghcr.io/org/managed:1', title: 'From the file' }, 'config-file'),
      rfc3339(new Date()),
    );
    for (const [method, body] of [['PUT', { title: 'x' }], ['DELETE', undefined]] as const) {
      const response = await server.request(method, `/__api__/v1/environments/${managed.guid}`, { body });
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ code: ErrorCode.EnvironmentIsConfigManaged, error: expect.stringContaining('config-file') });
    }
    const granted = await server.request('POST', `/__api__/v1/environments/${managed.guid}/permissions`, { body: { user_guid: publisher.guid } });
    expect(granted.status).toBe(200);
  });

  it('shows publishers only the environments permitted to them, and viewers none', async () => {
    const open = await create({ title: 'Open to all' });
    const restricted = await create({ title: 'Restricted' });
    const other = await server.addUser('publisher');
    await server.request('POST', `/__api__/v1/environments/${restricted.guid}/permissions`, { body: { user_guid: other.guid } });

    const seenByPublisher = (await listAs(publisher)).map((environment) => environment.guid);
    expect(seenByPublisher).toContain(open.guid);
    expect(seenByPublisher).not.toContain(restricted.guid);
    expect((await listAs(other)).map((environment) => environment.guid)).toContain(restricted.guid);
    expect((await server.request('GET', `/__api__/v1/environments/${restricted.guid}`, { as: publisher })).status).toBe(404);
    expect((await server.request('GET', `/__api__/v1/environments/${restricted.guid}`, { as: other })).status).toBe(200);

    const denied = await server.request('GET', '/__api__/v1/environments', { as: viewer });
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ code: ErrorCode.PermissionDenied });
  });

  it('answers a list request whose If-None-Match still holds with an empty 304, per caller and until anything changes', async () => {
    const list = (user: TestUser, etag?: string) => server.request('GET', '/__api__/v1/environments', { as: user, headers: etag ? { 'if-none-match': etag } : {} });
    const first = await list(server.admin);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"/);
    expect(first.headers.get('cache-control')).toContain('no-cache');
    const unchanged = await list(server.admin, etag);
    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe('');
    expect(unchanged.headers.get('etag')).toBe(etag);
    // The strong form and a list of tags match too (clients and proxies send either).
    expect((await list(server.admin, `"x", ${etag.slice(2)}`)).status).toBe(304);

    // Another caller sees another list: the administrator's tag is no good for a publisher.
    const asPublisher = await list(publisher, etag);
    expect(asPublisher.status).toBe(200);
    const publisherEtag = asPublisher.headers.get('etag')!;
    expect(publisherEtag).not.toBe(etag);
    expect((await list(publisher, publisherEtag)).status).toBe(304);

    const created = await create({ title: 'Changes the list' });
    const changed = await list(server.admin, etag);
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect((changed.body as Array<{ guid: string }>).map((environment) => environment.guid)).toContain(created.guid);
    expect((await list(publisher, publisherEtag)).status).toBe(200);
    expect((await list(viewer, etag)).status).toBe(403);
  });

  it('a held list goes stale the moment another process changes an environment, whether asked with a key or a session', async () => {
    const signedIn = await server.request('POST', '/__api__/v1/auth/login', { as: null, body: { username: server.admin.username, password: server.admin.password } });
    const session = { as: null, headers: { cookie: signedIn.headers.get('set-cookie')!.split(';')[0]! } };
    const etag = (await server.request('GET', '/__api__/v1/environments')).headers.get('etag')!;
    const conditional = (options: { as?: null; headers?: Record<string, string> } = {}) =>
      server.request('GET', '/__api__/v1/environments', { ...options, headers: { ...options.headers, 'if-none-match': etag } });
    expect((await conditional()).status).toBe(304);
    expect((await conditional(session)).status).toBe(304);

    // Another replica, or `envdesk environments apply`: its own connection to the same database.
    const other = await openDatabase(server.database.options);
    const guid = newGuid();
    try {
      await createStore(other).environments.insert(guid, fieldsForCreate({ name: 'ghcr.io/org/elsewhere:1', title: 'Made elsewhere' }), rfc3339(new Date()));
    } finally {
      await other.close();
    }
    for (const answer of [await conditional(), await conditional(session)]) {
      expect(answer.status).toBe(200);
      expect(answer.headers.get('etag')).not.toBe(etag);
      expect((answer.body as Array<{ guid: string }>).map((environment) => environment.guid)).toContain(guid);
    }
  });

  it('grants through a group reach its members, and the list follows permission changes', async () => {
    const environment = await create({ title: 'Group only' });
    const group = (await server.request('POST', '/__api__/v1/groups', { body: { name: `analysts-${dialect}` } })).body;
    await server.request('POST', `/__api__/v1/groups/${group.guid}/members`, { body: { user_guid: publisher.guid } });
    const grant = await server.request('POST', `/__api__/v1/environments/${environment.guid}/permissions`, { body: { group_guid: group.guid } });
    expect(EnvironmentPermissionSchema.parse(grant.body)).toMatchObject({ group_guid: group.guid, user_guid: null, environment_guid: environment.guid });
    expect((await listAs(publisher)).map((e) => e.guid)).toContain(environment.guid);
    const member = (await server.request('GET', '/__api__/v1/environments', { as: publisher })).headers.get('etag')!;

    await server.request('DELETE', `/__api__/v1/groups/${group.guid}/members/${publisher.guid}`);
    expect((await listAs(publisher)).map((e) => e.guid)).not.toContain(environment.guid);
    // Leaving a group changes no environment, yet the list they see: their old copy is not current.
    expect((await server.request('GET', '/__api__/v1/environments', { as: publisher, headers: { 'if-none-match': member } })).status).toBe(200);
  });

  it('manages permissions: exactly one principal, no duplicates, known principals only', async () => {
    const environment = await create();
    const path = `/__api__/v1/environments/${environment.guid}/permissions`;
    const both = await server.request('POST', path, { body: { user_guid: publisher.guid, group_guid: publisher.guid } });
    expect(both.body).toMatchObject({ code: ErrorCode.InvalidEnvironmentPermission, payload: { field: 'user_guid' } });
    const unknown = await server.request('POST', path, { body: { user_guid: newGuid() } });
    expect(unknown.body).toMatchObject({ code: ErrorCode.InvalidEnvironmentPermission });

    const first = await server.request('POST', path, { body: { user_guid: publisher.guid } });
    expect(first.status).toBe(200);
    const again = await server.request('POST', path, { body: { user_guid: publisher.guid } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe(ErrorCode.DuplicateEnvironmentPermission);

    expect((await server.request('GET', path)).body).toEqual([first.body]);
    expect((await server.request('GET', `${path}/${first.body.guid}`)).body).toEqual(first.body);
    expect((await server.request('DELETE', `${path}/${first.body.guid}`)).status).toBe(204);
    expect((await server.request('GET', `${path}/${first.body.guid}`)).status).toBe(404);
  });

  it('lists the content that chose or runs on an environment, before it is deleted', async () => {
    const environment = await create({ title: 'In use' });
    const chosen = (await server.request('POST', '/__api__/v1/content', { as: publisher, body: { name: `uses-it-${dialect}`, default_environment_guid: environment.guid } })).body;
    await server.request('POST', '/__api__/v1/content', { as: publisher, body: { name: `unrelated-${dialect}` } });
    const using = await server.request('GET', `/__api__/v1/environments/${environment.guid}/content`);
    expect(using.body).toEqual([
      { guid: chosen.guid, name: `uses-it-${dialect}`, title: null, owner_guid: publisher.guid, owner_username: publisher.username, chosen: true, running: false },
    ]);
    expect((await server.request('GET', `/__api__/v1/environments/${environment.guid}/content`, { as: viewer })).status).toBe(403);
  });

  it("shows a publisher only their own content using an environment they may see, and nobody else's", async () => {
    const environment = await create({ title: 'Shared' });
    const other = await server.addUser('publisher');
    const mine = (await server.request('POST', '/__api__/v1/content', { as: publisher, body: { name: `mine-${dialect}`, default_environment_guid: environment.guid } })).body;
    const theirs = (await server.request('POST', '/__api__/v1/content', { as: other, body: { name: `theirs-${dialect}`, default_environment_guid: environment.guid } })).body;
    const path = `/__api__/v1/environments/${environment.guid}/content`;

    const asPublisher = await server.request('GET', path, { as: publisher });
    expect(asPublisher.status).toBe(200);
    expect(asPublisher.body.map((usage: { guid: string }) => usage.guid)).toEqual([mine.guid]);
    const asAdmin = await server.request('GET', path);
    expect(asAdmin.body.map((usage: { guid: string }) => usage.guid).sort()).toEqual([mine.guid, theirs.guid].sort());

    // Granted to the other publisher only: to this one it does not exist, whatever it holds.
    await server.request('POST', `${path.replace(/\/content$/, '')}/permissions`, { body: { user_guid: other.guid } });
    const hidden = await server.request('GET', path, { as: publisher });
    expect(hidden.status).toBe(404);
    expect((await server.request('GET', path, { as: other })).body.map((usage: { guid: string }) => usage.guid)).toEqual([theirs.guid]);
    expect((await server.request('GET', '/__api__/v1/environments/00000000-0000-4000-8000-000000000000/content', { as: publisher })).status).toBe(404);
  });

  it('answers unknown API paths with Connect JSON, not the web app', async () => {
    const response = await server.request('GET', '/__api__/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: ErrorCode.ObjectDoesNotExist, payload: null });
  });
});

describeEachDialect('environment versions (ETag, If-Match, 412) on %s', (dialect) => {
  let server: TestServer;
  let otherAdmin: TestUser;
  // Pinned when a test needs several writes within one second; the wall clock otherwise.
  let pinnedNow: Date | null = null;

  beforeAll(async () => {
    server = await startTestServer({ dialect, clock: { now: () => pinnedNow ?? new Date() } });
    otherAdmin = await server.addUser('administrator');
  });
  afterAll(() => server.close());

  const path = (guid: string) => `/__api__/v1/environments/${guid}`;
  const create = async (title = 'Versioned') => {
    const response = await server.request('POST', '/__api__/v1/environments', { body: aCreateEnvironmentInput({ title }) });
    expect(response.status).toBe(200);
    return EnvironmentSchema.parse(response.body);
  };
  const etagOf = async (guid: string) => {
    const response = await server.request('GET', path(guid));
    expect(response.status).toBe(200);
    return response.headers.get('etag') ?? '';
  };

  it('GET answers a strong, quoted ETag that the list entry tells apart by its updated_time', async () => {
    const created = await create();
    const etag = await etagOf(created.guid);
    expect(etag).toMatch(/^"[^"]+"$/);
    const listed = (await server.request('GET', '/__api__/v1/environments')).body as Array<{ guid: string; updated_time: string }>;
    const entry = listed.find((item) => item.guid === created.guid);
    expect(entry && environmentEtag(entry)).toBe(etag);
  });

  it('every save gives a new ETag, even several within one second, and PUT answers it', async () => {
    pinnedNow = new Date('2026-05-01T12:00:00.250Z');
    try {
      const created = await create();
      const seen = new Set([await etagOf(created.guid)]);
      for (const title of ['one', 'two', 'three']) {
        const saved = await server.request('PUT', path(created.guid), { body: { title }, headers: { 'if-match': [...seen].at(-1) ?? '' } });
        expect(saved.status).toBe(200);
        const etag = saved.headers.get('etag') ?? '';
        expect(seen.has(etag)).toBe(false);
        expect(await etagOf(created.guid)).toBe(etag);
        seen.add(etag);
      }
      expect(seen.size).toBe(4);
    } finally {
      pinnedNow = null;
    }
  });

  it('PUT with a stale If-Match answers 412 naming who changed what, and changes nothing', async () => {
    const created = await create('Original');
    const opened = await etagOf(created.guid);
    const first = await server.request('PUT', path(created.guid), { as: otherAdmin, body: { title: 'Theirs' }, headers: { 'if-match': opened } });
    expect(first.status).toBe(200);

    const second = await server.request('PUT', path(created.guid), { body: { title: 'Mine', description: 'mine too' }, headers: { 'if-match': opened } });
    expect(second.status).toBe(412);
    expect(second.body).toMatchObject({ code: ErrorCode.BadRequest, error: expect.stringContaining(otherAdmin.username) });
    const payload = EditConflictPayloadSchema.parse(second.body.payload);
    expect(payload.environment).toEqual(first.body);
    expect(payload.etag).toBe(first.headers.get('etag'));
    expect(payload.updated_by).toEqual({ guid: otherAdmin.guid, username: otherAdmin.username });
    expect((await server.request('GET', path(created.guid))).body).toEqual(first.body);

    // Overwriting on purpose: the current ETag from the 412 is accepted.
    const overwrite = await server.request('PUT', path(created.guid), { body: { title: 'Mine' }, headers: { 'if-match': payload.etag } });
    expect(overwrite.status).toBe(200);
    expect(overwrite.body.title).toBe('Mine');
  });

  it('DELETE with a stale If-Match answers 412 and the environment stays; with the current one it goes', async () => {
    const created = await create();
    const opened = await etagOf(created.guid);
    await server.request('PUT', path(created.guid), { body: { title: 'Changed meanwhile' } });
    const stale = await server.request('DELETE', path(created.guid), { headers: { 'if-match': opened } });
    expect(stale.status).toBe(412);
    expect(stale.body.payload.environment.title).toBe('Changed meanwhile');
    expect((await server.request('GET', path(created.guid))).status).toBe(200);
    const current = await server.request('DELETE', path(created.guid), { headers: { 'if-match': await etagOf(created.guid) } });
    expect(current.status).toBe(204);
    expect((await server.request('GET', path(created.guid))).status).toBe(404);
  });

  it('If-Match: * and a list holding the current tag match; a weak tag never does; a malformed header is a 400', async () => {
    const created = await create();
    const etag = await etagOf(created.guid);
    expect((await server.request('PUT', path(created.guid), { body: { title: 'star' }, headers: { 'if-match': '*' } })).status).toBe(200);
    const current = await etagOf(created.guid);
    expect((await server.request('PUT', path(created.guid), { body: { title: 'weak' }, headers: { 'if-match': `W/${current}` } })).status).toBe(412);
    const listed = await server.request('PUT', path(created.guid), { body: { title: 'list' }, headers: { 'if-match': `${etag}, ${current}` } });
    expect(listed.status).toBe(200);
    const malformed = await server.request('PUT', path(created.guid), { body: { title: 'x' }, headers: { 'if-match': 'not-quoted' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ code: ErrorCode.BadRequest, payload: { field: 'If-Match' } });
    expect((await server.request('GET', path(created.guid))).body.title).toBe('list');
  });

  it('a missing environment is a 404 whatever the If-Match, and permission changes ignore If-Match', async () => {
    expect((await server.request('PUT', path(newGuid()), { body: { title: 'x' }, headers: { 'if-match': '*' } })).status).toBe(404);
    const created = await create();
    const opened = await etagOf(created.guid);
    await server.request('PUT', path(created.guid), { body: { title: 'moved on' } });
    const granted = await server.request('POST', `${path(created.guid)}/permissions`, {
      body: { user_guid: otherAdmin.guid },
      headers: { 'if-match': opened },
    });
    expect(granted.status).toBe(200);
    const revoked = await server.request('DELETE', `${path(created.guid)}/permissions/${granted.body.guid}`, { headers: { 'if-match': opened } });
    expect(revoked.status).toBe(204);
  });

  it('of concurrent saves of the same version exactly one wins; the others get 412 and the winner stays', async () => {
    const created = await create();
    const opened = await etagOf(created.guid);
    const titles = ['racer-1', 'racer-2', 'racer-3', 'racer-4', 'racer-5', 'racer-6'];
    const answers = await Promise.all(
      titles.map((title) => server.request('PUT', path(created.guid), { body: { title }, headers: { 'if-match': opened } })),
    );
    const winners = answers.filter((answer) => answer.status === 200);
    expect(winners).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 412)).toHaveLength(titles.length - 1);
    expect((await server.request('GET', path(created.guid))).body.title).toBe(winners[0]?.body.title);
  });
});
