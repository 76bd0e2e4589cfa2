import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test/test-database.js';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';

describeEachDialect('content search API on %s', (dialect) => {
  let server: TestServer;
  let owner: TestUser;
  let otherPublisher: TestUser;
  let viewer: TestUser;
  const guids: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    owner = await server.addUser('publisher');
    otherPublisher = await server.addUser('publisher');
    viewer = await server.addUser('viewer');
    // All open to every signed-in user but the last, which its owner shares with no one.
    for (const [as, name, title, access_type] of [
      [owner, 'sea-bream-report', 'Sea bream report', 'logged_in'],
      [owner, 'sea-bream-dashboard', 'Sea Bream dashboard', 'logged_in'],
      [otherPublisher, 'blobfish', 'Blobfish sightings', 'logged_in'],
      [otherPublisher, 'bream-prices', 'Prices', 'logged_in'],
      [otherPublisher, 'bream-secret', 'Secret bream', 'acl'],
    ] as const) {
      const response = await server.request('POST', '/__api__/v1/content', { as, body: { name, title, access_type } });
      expect(response.status).toBe(200);
      guids[name] = response.body.guid;
    }
  });
  afterAll(() => server.close());

  const search = (query: string, as: TestUser = viewer) => server.request('GET', `/__api__/v1/search/content?${query}`, { as });
  const namesOf = (body: { results: { name: string }[] }) => body.results.map((item) => item.name);

  it("answers connectapi's search_content: {total, current_page, results} of the content the caller sees matching every word", async () => {
    const response = await search(`q=${encodeURIComponent('sea bream')}&page_number=1&page_size=500&include=owner%2Cvanity_url`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ total: 2, current_page: 1 });
    expect(namesOf(response.body)).toEqual(['sea-bream-report', 'sea-bream-dashboard']);
    expect(response.body.results[0]).toMatchObject({ guid: guids['sea-bream-report'], owner: { guid: owner.guid } });
    expect(response.body.results[0]).not.toHaveProperty('vanity_url');
    expect(namesOf((await search('q=BREAM')).body)).toEqual(['sea-bream-report', 'sea-bream-dashboard', 'bream-prices']);
    // Content not shared with the caller is left out, as from the content list.
    expect(namesOf((await search('q=BREAM', owner)).body)).not.toContain('bream-secret');
    expect(namesOf((await search('q=BREAM', otherPublisher)).body)).toContain('bream-secret');
    expect(namesOf((await search('q=BREAM', server.admin)).body)).toContain('bream-secret');
    expect(namesOf((await search(`q=${encodeURIComponent('"bream report"')}`)).body)).toEqual(['sea-bream-report']);
    expect((await search('q=nothing-matches')).body).toEqual({ total: 0, current_page: 1, results: [] });
  });

  it('filters by owner: owner:@me is the caller, owner:<username> anyone', async () => {
    expect(namesOf((await search('q=owner:@me', owner)).body)).toEqual(['sea-bream-report', 'sea-bream-dashboard']);
    expect(namesOf((await search(`q=${encodeURIComponent(`owner:${otherPublisher.username} bream`)}`)).body)).toEqual(['bream-prices']);
    expect((await search('q=owner:@me', viewer)).body.total).toBe(0);
  });

  it('pages: total counts every match the caller sees, results hold the asked page', async () => {
    const first = await search('q=bream&page_size=2&page_number=1');
    expect(first.body).toMatchObject({ total: 3, current_page: 1 });
    expect(first.body.results).toHaveLength(2);
    const second = await search('q=bream&page_size=2&page_number=2');
    expect(second.body).toMatchObject({ total: 3, current_page: 2 });
    expect(namesOf(second.body)).toEqual(['bream-prices']);
    expect((await search('q=bream&page_size=2&page_number=9')).body.results).toEqual([]);
  });

  it.each([
    ['page_size=0', 'page_size'],
    ['page_size=501', 'page_size'],
    ['page_size=abc', 'page_size'],
    ['page_number=0', 'page_number'],
    ['page_number=1.5', 'page_number'],
    [`q=${encodeURIComponent('a\u0000')}`, 'q'],
    [`q=${'a'.repeat(2000)}`, 'q'],
  ])('refuses %s (400 naming the field)', async (query, field) => {
    const response = await search(query);
    expect(response.status).toBe(400);
    expect(response.body.payload.field).toBe(field);
  });

  it('shows each caller what their content list shows, and no one signed out', async () => {
    const all = Object.keys(guids).length;
    for (const caller of [server.admin, owner, otherPublisher, viewer]) {
      const listed = (await server.request('GET', '/__api__/v1/content', { as: caller })).body as { guid: string }[];
      const found = (await search('page_size=500', caller)).body as { total: number; results: { guid: string }[] };
      expect(found.results.map((item) => item.guid)).toEqual(listed.map((item) => item.guid));
      expect(found.total).toBe(listed.length);
      expect(found.total).toBeLessThanOrEqual(all);
    }
    expect((await server.request('GET', '/__api__/v1/search/content', { as: null })).status).toBe(401);
  });
});
