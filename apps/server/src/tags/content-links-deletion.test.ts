import { ErrorCode } from '@envdesk/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test/test-database.js';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';

describeEachDialect('deleting content on %s', (dialect) => {
  let server: TestServer;
  let owner: TestUser;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    owner = await server.addUser('publisher');
  });
  afterAll(() => server.close());

  it('removes its tag links, vanity URL and repository settings, freeing the path and leaving the tags', async () => {
    const guid = (await server.request('POST', '/__api__/v1/content', { as: owner, body: {} })).body.guid as string;
    const { id } = (await server.store.content.findByGuid(guid))!;
    const category = (await server.request('POST', '/__api__/v1/tags', { as: server.admin, body: { name: 'Kept' } })).body;
    const tag = (await server.request('POST', '/__api__/v1/tags', { as: server.admin, body: { name: 'Also kept', parent_id: category.id } })).body;
    expect((await server.request('POST', `/__api__/v1/content/${guid}/tags`, { as: owner, body: { tag_id: tag.id } })).status).toBe(200);
    expect((await server.request('PUT', `/__api__/v1/content/${guid}/vanity`, { as: owner, body: { path: 'reused' } })).status).toBe(200);
    expect((await server.request('PUT', `/__api__/v1/content/${guid}/repository`, { as: owner, body: { repository: 'https://example.org/r.git' } })).status).toBe(200);

    expect((await server.request('DELETE', `/__api__/v1/content/${guid}`, { as: owner })).status).toBe(204);

    const db = server.database.connection.db;
    for (const table of ['content_tags', 'vanities', 'content_repositories'] as const) {
      expect(await db.selectFrom(table).selectAll().where('content_id', '=', id).execute(), table).toEqual([]);
    }
    expect((await server.request('GET', '/__api__/v1/vanities', { as: server.admin })).body).toEqual([]);
    expect((await server.request('GET', `/__api__/v1/tags/${tag.id}/content`, { as: server.admin })).body).toEqual([]);
    expect((await server.request('GET', `/__api__/v1/tags/${tag.id}`, { as: server.admin })).status).toBe(200);

    const next = (await server.request('POST', '/__api__/v1/content', { as: owner, body: {} })).body.guid as string;
    expect((await server.request('PUT', `/__api__/v1/content/${next}/vanity`, { as: owner, body: { path: '/reused/' } })).status).toBe(200);
  });

  it('answers 404, writing nothing, for a tag, vanity URL or repository of content deleted during the request', async () => {
    const guid = (await server.request('POST', '/__api__/v1/content', { as: owner, body: {} })).body.guid as string;
    const { id } = (await server.store.content.findByGuid(guid))!;
    const category = (await server.request('POST', '/__api__/v1/tags', { as: server.admin, body: { name: 'Raced' } })).body;
    const tag = (await server.request('POST', '/__api__/v1/tags', { as: server.admin, body: { name: 'Tag', parent_id: category.id } })).body;
    // What the request's write meets when the content went between its check and its write.
    await server.store.content.remove(guid);
    const now = new Date().toISOString();
    for (const write of [
      () => server.store.tags.link(id, [Number(tag.id)]),
      () => server.store.vanities.put(id, '/raced/', now),
      () => server.store.repositories.put(id, { repository: 'https://example.org/r.git', branch: 'main', directory: '.', polling: false }, now),
    ]) {
      await expect(write()).rejects.toMatchObject({ code: ErrorCode.ObjectDoesNotExist, status: 404 });
    }
    const db = server.database.connection.db;
    for (const table of ['content_tags', 'vanities', 'content_repositories'] as const) {
      expect(await db.selectFrom(table).selectAll().where('content_id', '=', id).execute(), table).toEqual([]);
    }
  });
});
