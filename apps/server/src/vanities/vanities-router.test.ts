import { ErrorCode } from '@envdesk/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test/test-database.js';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';

describeEachDialect('vanity URLs API on %s', (dialect) => {
  let server: TestServer;
  let owner: TestUser;
  let otherPublisher: TestUser;
  let viewer: TestUser;
  let counter = 0;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    owner = await server.addUser('publisher');
    otherPublisher = await server.addUser('publisher');
    viewer = await server.addUser('viewer');
  });
  afterAll(() => server.close());

  const unique = (label: string) => `${label}-${++counter}`;
  const newContent = async (as: TestUser = owner) => {
    const response = await server.request('POST', '/__api__/v1/content', { as, body: {} });
    expect(response.status).toBe(200);
    return response.body.guid as string;
  };
  /** Let every signed-in user see the content (Connect's `logged_in`), as its owner may. */
  const openToAll = async (guid: string, as: TestUser = owner) => {
    const response = await server.request('PATCH', `/__api__/v1/content/${guid}`, { as, body: { access_type: 'logged_in' } });
    expect(response.status).toBe(200);
  };
  const setVanity = (guid: string, as: TestUser, body: unknown) => server.request('PUT', `/__api__/v1/content/${guid}/vanity`, { as, body });
  const vanityOf = (guid: string, as: TestUser = owner) => server.request('GET', `/__api__/v1/content/${guid}/vanity`, { as });

  it("sets, reads, lists and removes a vanity URL in Connect's shape, with the path normalised", async () => {
    const guid = await newContent();
    await openToAll(guid);
    expect((await vanityOf(guid)).status).toBe(404);
    const name = unique('example');
    const set = await setVanity(guid, owner, { path: name });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ content_guid: guid, path: `/${name}/`, created_time: expect.any(String) });
    expect((await vanityOf(guid, viewer)).body).toEqual(set.body);
    const listed = await server.request('GET', '/__api__/v1/vanities', { as: server.admin });
    expect(listed.body).toContainEqual(set.body);

    const removed = await server.request('DELETE', `/__api__/v1/content/${guid}/vanity`, { as: owner });
    expect(removed.status).toBe(204);
    const gone = await vanityOf(guid);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ code: ErrorCode.ObjectDoesNotExist });
  });

  // X stands for a name unique to the case.
  it.each([
    ['X/dash', '/X/dash/'],
    ['/X/dash', '/X/dash/'],
    ['//X//dash//', '/X/dash/'],
    ['  X/Sales_Q1-2025  ', '/X/Sales_Q1-2025/'],
  ])('normalises %j to %j', async (input, expected) => {
    const name = unique('n');
    const response = await setVanity(await newContent(), owner, { path: input.replace('X', name) });
    expect(response.status).toBe(200);
    expect(response.body.path).toBe(expected.replace('X', name));
  });

  it('a second PUT replaces the content\'s vanity URL', async () => {
    const guid = await newContent();
    await setVanity(guid, owner, { path: unique('first') });
    const second = unique('second');
    expect((await setVanity(guid, owner, { path: second })).body.path).toBe(`/${second}/`);
    expect((await vanityOf(guid)).body.path).toBe(`/${second}/`);
  });

  it.each([
    ['the root', '/'],
    ['an empty path', ''],
    ['a reserved prefix (the API)', '/__api__/x'],
    ['a reserved prefix (the dashboard)', 'connect/mine'],
    ['a reserved prefix, in capitals', '/Content/report'],
    ['a dot', '/a.b/'],
    ['a space', '/a b/'],
    ['a query string', '/a?b=1'],
    ['a control character', '/a\u0000b/'],
    ['non-ASCII letters', '/café/'],
    ['a path of 5000 characters', `/${'a'.repeat(5000)}/`],
    ['a path that is not text', 42],
    ['no path', undefined],
  ])('refuses %s (400 naming path)', async (_label, path) => {
    const guid = await newContent();
    const response = await setVanity(guid, owner, path === undefined ? {} : { path });
    expect(response.status).toBe(400);
    expect(response.body.payload.field).toBe('path');
    expect((await vanityOf(guid)).status).toBe(404);
  });

  it('refuses a force that is not true or false', async () => {
    const response = await setVanity(await newContent(), owner, { path: unique('f'), force: 'yes' });
    expect(response.status).toBe(400);
    expect(response.body.payload.field).toBe('force');
  });

  it('answers 409 for a path other content uses, or one above or under it; force moves an equal path', async () => {
    const [first, second] = [await newContent(), await newContent()];
    const base = unique('shared');
    await setVanity(first, owner, { path: `${base}/report` });

    for (const path of [`${base}/report`, `${base.toUpperCase()}/REPORT`, base, `${base}/report/detail`]) {
      const response = await setVanity(second, owner, { path });
      expect(response.status, path).toBe(409);
      expect(response.body).toMatchObject({ code: ErrorCode.DuplicateName, payload: { field: 'path' } });
    }
    // Forcing an overlapping path does not take another's.
    expect((await setVanity(second, owner, { path: base, force: true })).status).toBe(409);
    // A sibling is fine.
    expect((await setVanity(second, owner, { path: `${base}-other` })).status).toBe(200);

    const forced = await setVanity(second, owner, { path: `${base}/report`, force: true });
    expect(forced.status).toBe(200);
    expect(forced.body).toMatchObject({ content_guid: second, path: `/${base}/report/` });
    expect((await vanityOf(first)).status).toBe(404);
  });

  it("refuses to force away a vanity URL of content the caller may not change; an administrator may", async () => {
    const theirs = await newContent(otherPublisher);
    const mine = await newContent();
    const path = unique('taken');
    await setVanity(theirs, otherPublisher, { path });
    // Refused alike whether or not the caller may see the content that has the path.
    const refused = await setVanity(mine, owner, { path, force: true });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: ErrorCode.PermissionDenied, payload: { field: 'path' } });
    await openToAll(theirs, otherPublisher);
    expect((await setVanity(mine, owner, { path, force: true })).status).toBe(403);
    expect((await vanityOf(theirs, otherPublisher)).body.path).toBe(`/${path}/`);
    expect((await vanityOf(mine)).status).toBe(404);
    expect((await setVanity(mine, server.admin, { path, force: true })).status).toBe(200);
    expect((await vanityOf(theirs, otherPublisher)).status).toBe(404);
  });

  it('lets the owner and administrators set and remove; another publisher and a viewer get 403 but may read it', async () => {
    const guid = await newContent();
    expect((await setVanity(guid, server.admin, { path: unique('admin') })).status).toBe(200);
    // Not shared with them: neither the content nor its vanity URL exists for them.
    for (const caller of [otherPublisher, viewer]) {
      const hidden = await vanityOf(guid, caller);
      expect(hidden.status).toBe(404);
      expect(hidden.body).toMatchObject({ code: ErrorCode.ObjectDoesNotExist });
    }
    expect((await setVanity(guid, otherPublisher, { path: unique('nope') })).status).toBe(404);
    expect((await server.request('DELETE', `/__api__/v1/content/${guid}/vanity`, { as: otherPublisher })).status).toBe(404);

    await openToAll(guid);
    for (const caller of [otherPublisher, viewer]) {
      expect((await setVanity(guid, caller, { path: unique('nope') })).status).toBe(403);
      expect((await server.request('DELETE', `/__api__/v1/content/${guid}/vanity`, { as: caller })).status).toBe(403);
      expect((await vanityOf(guid, caller)).status).toBe(200);
    }
    for (const caller of [owner, otherPublisher, viewer]) {
      const list = await server.request('GET', '/__api__/v1/vanities', { as: caller });
      expect(list.status).toBe(403);
      expect(list.body).toMatchObject({ code: ErrorCode.PermissionDenied });
    }
    expect((await vanityOf('0b6f3a4e-7d1c-4c1f-9d4c-4f2b0f0d9e11')).status).toBe(404);
  });

  it('shows the vanity URL on content with ?include=vanity_url', async () => {
    const [withVanity, without] = [await newContent(), await newContent()];
    const path = unique('shown');
    await setVanity(withVanity, owner, { path });
    await openToAll(withVanity);
    expect((await server.request('GET', `/__api__/v1/content/${withVanity}?include=vanity_url`, { as: viewer })).body.vanity_url).toBe(`/${path}/`);
    const list = await server.request('GET', '/__api__/v1/content?include=owner,vanity_url', { as: owner });
    const byGuid = new Map((list.body as { guid: string }[]).map((item) => [item.guid, item]));
    expect(byGuid.get(withVanity)).toHaveProperty('vanity_url', `/${path}/`);
    // Content without one has no `vanity_url` field, as in Connect (posit-sdk checks this).
    expect(byGuid.get(without)).not.toHaveProperty('vanity_url');
  });
});
