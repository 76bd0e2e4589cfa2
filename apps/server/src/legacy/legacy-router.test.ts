import { ErrorCode, LegacyApplicationPageSchema, LegacyApplicationSchema, UserSchema } from '@envdesk/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test/test-database.js';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';

describeEachDialect("Connect's unversioned API for older clients on %s", (dialect) => {
  let server: TestServer;
  let publisher: TestUser;
  let other: TestUser;
  let viewer: TestUser;
  const mine: Array<{ guid: string; id: string; name: string }> = [];
  /** Another publisher's content, not shared with anyone (access type `acl`). */
  let unshared: { guid: string; id: string };

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    publisher = await server.addUser('publisher');
    other = await server.addUser('publisher');
    viewer = await server.addUser('viewer');
    for (const name of ['shiny-sales', 'shiny-stock', 'report-q1', 'report-q2', 'api-prices']) {
      mine.push((await server.request('POST', '/__api__/v1/content', { as: publisher, body: { name, title: `Title of ${name}` } })).body);
    }
    unshared = (await server.request('POST', '/__api__/v1/content', { as: other, body: { name: 'shiny-sales', title: 'Same name, other owner' } })).body;
    await server.request('POST', '/__api__/v1/content', { as: other, body: { name: 'open-to-all', title: 'Open to all', access_type: 'logged_in' } });
  });
  afterAll(() => server.close());

  const idOf = async (user: TestUser) => (await server.store.users.findByGuid(user.guid))!.id;

  it.each(['administrator', 'publisher', 'viewer'] as const)('GET /users/current answers a %s with the v1 record and the numeric id rsconnect keeps as its account id', async (role) => {
    const user = { administrator: server.admin, publisher, viewer }[role];
    const current = await server.request('GET', '/__api__/users/current', { as: user });
    expect(current.status).toBe(200);
    const v1 = await server.request('GET', '/__api__/v1/user', { as: user });
    expect(current.body).toEqual({ ...v1.body, id: await idOf(user) });
    expect(UserSchema.parse(current.body)).toMatchObject({ username: user.username, user_role: role });
  });

  it('refuses /users/current and /applications without a valid key with 401', async () => {
    for (const path of ['/__api__/users/current', '/__api__/applications', `/__api__/applications/${mine[0]!.id}`]) {
      expect((await server.request('GET', path, { as: null })).body.code).toBe(ErrorCode.AuthRequired);
      expect((await server.request('GET', path, { key: 'not-a-key' })).status).toBe(401);
    }
  });

  it("finds content by name within the caller's account, as rsconnect's getAppByName asks before a deploy", async () => {
    const accountId = (await server.request('GET', '/__api__/users/current', { as: publisher })).body.id;
    const response = await server.request('GET', `/__api__/applications?filter=account_id:${accountId}&filter=name:shiny-sales&count=100&start=0&cont=`, { as: publisher });
    expect(response.status).toBe(200);
    const page = LegacyApplicationPageSchema.parse(response.body);
    expect(page).toMatchObject({ count: 1, total: 1, continuation: null });
    const [app] = page.applications;
    expect(app).toMatchObject({
      id: Number(mine[0]!.id),
      guid: mine[0]!.guid,
      name: 'shiny-sales',
      title: 'Title of shiny-sales',
      url: `${server.url}/content/${mine[0]!.guid}/`,
      owner_username: publisher.username,
      build_status: 0,
      bundle_id: null,
      app_mode: 0,
    });
    // rsconnect's applications() table needs every row to have a deploy time.
    expect(app!.last_deployed_time).toBe(app!.created_time);

    const none = await server.request('GET', `/__api__/applications?filter=account_id:${accountId}&filter=name:no-such-app&count=100&start=0&cont=`, { as: publisher });
    expect(none.body).toEqual({ applications: [], count: 0, total: 0, continuation: null });
  });

  it("filters by guid, by part of a name (like), and by another account's id, showing only what the caller may see", async () => {
    const byGuid = await server.request('GET', `/__api__/applications?filter=guid:${mine[2]!.guid}`, { as: publisher });
    expect(byGuid.body.applications.map((app: { name: string }) => app.name)).toEqual(['report-q1']);
    const like = await server.request('GET', '/__api__/applications?filter=name:like:REPORT', { as: publisher });
    expect(like.body.applications.map((app: { name: string }) => app.name)).toEqual(['report-q1', 'report-q2']);
    const others = await server.request('GET', `/__api__/applications?filter=account_id:${await idOf(other)}`, { as: publisher });
    // Their content not shared with the caller is left out, as from GET /v1/content.
    expect(others.body.applications.map((app: { title: string }) => app.title)).toEqual(['Open to all']);
    const asAdmin = await server.request('GET', `/__api__/applications?filter=account_id:${await idOf(other)}`);
    expect(asAdmin.body.applications.map((app: { title: string }) => app.title).sort()).toEqual(['Open to all', 'Same name, other owner']);
  });

  it('pages as rsconnect walks them: count per page, start moved on by count, cont passed back, until total', async () => {
    const accountId = await idOf(publisher);
    const seen: string[] = [];
    let start = 0;
    let cont = '';
    for (let round = 0; round < 10; round++) {
      const response = await server.request('GET', `/__api__/applications?filter=account_id:${accountId}&count=2&start=${start}&cont=${cont}`, { as: publisher });
      const page = LegacyApplicationPageSchema.parse(response.body);
      expect(page.total).toBe(5);
      seen.push(...page.applications.map((app) => app.name));
      start += page.count;
      cont = page.continuation ?? '';
      if (seen.length >= page.total) break;
    }
    expect(seen).toEqual(mine.map((item) => item.name));
    expect(cont).toBe('');
  });

  it('lists exactly the content GET /v1/content shows the same caller', async () => {
    for (const user of [server.admin, publisher, other, viewer]) {
      const v1 = (await server.request('GET', '/__api__/v1/content', { as: user })).body as Array<{ guid: string }>;
      const legacy = (await server.request('GET', '/__api__/applications?count=1000', { as: user })).body;
      expect(legacy.applications.map((app: { guid: string }) => app.guid)).toEqual(v1.map((item) => item.guid));
      expect(legacy.total).toBe(v1.length);
    }
  });

  it('GET /applications/{id} finds content by numeric id or by GUID, as rsconnect and rsconnect-python look it up', async () => {
    const byId = await server.request('GET', `/__api__/applications/${mine[4]!.id}`, { as: publisher });
    expect(byId.status).toBe(200);
    expect(LegacyApplicationSchema.parse(byId.body)).toMatchObject({ id: Number(mine[4]!.id), guid: mine[4]!.guid, name: 'api-prices' });
    const byGuid = await server.request('GET', `/__api__/applications/${mine[4]!.guid.toUpperCase()}`, { as: publisher });
    expect(byGuid.body).toEqual(byId.body);
    // rsconnect-python then reads the v1 record by the GUID it got.
    const v1 = await server.request('GET', `/__api__/v1/content/${byId.body.guid}`, { as: publisher });
    expect(v1.body.id).toBe(mine[4]!.id);
  });

  it('answers 404 for an id or GUID that names no content or content not shared with the caller, and once content is deleted', async () => {
    for (const id of ['2147483647', '00000000-0000-4000-8000-000000000000', unshared.id, unshared.guid]) {
      const response = await server.request('GET', `/__api__/applications/${id}`, { as: publisher });
      expect(response.status).toBe(404);
      expect(response.body.code).toBe(ErrorCode.ObjectDoesNotExist);
    }
    const doomed = (await server.request('POST', '/__api__/v1/content', { as: publisher, body: { name: 'doomed' } })).body;
    expect((await server.request('GET', `/__api__/applications/${doomed.id}`, { as: publisher })).status).toBe(200);
    await server.request('DELETE', `/__api__/v1/content/${doomed.guid}`, { as: publisher });
    expect((await server.request('GET', `/__api__/applications/${doomed.id}`, { as: publisher })).status).toBe(404);
  });

  it('refuses a malformed id, filter or page with a 400 naming the field', async () => {
    for (const id of ['abc', '0', '-1', '99999999999', '1.5', "1' OR '1'='1"]) {
      const response = await server.request('GET', `/__api__/applications/${encodeURIComponent(id)}`, { as: publisher });
      expect(response.status).toBe(400);
      expect(response.body.payload.field).toBe('id');
    }
    const cases: Array<[string, string]> = [
      ['filter=owner:me', 'filter'],
      ['filter=name', 'filter'],
      ['filter=name:a&filter=password:x', 'filter'],
      ['filter=name:%00', 'filter'],
      ['count=abc', 'count'],
      ['count=5000', 'count'],
      ['count=-1', 'count'],
      ['start=1.5', 'start'],
      [`cont=${'x'.repeat(100)}`, 'cont'],
    ];
    for (const [query, field] of cases) {
      const response = await server.request('GET', `/__api__/applications?${query}`, { as: publisher });
      expect(response.status, query).toBe(400);
      expect(response.body.code).toBe(ErrorCode.BadRequest);
      expect(response.body.payload.field, query).toMatch(new RegExp(`^${field}`));
    }
  });
});
