import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test/test-database.js';
import { type TestServer, startTestServer } from '../test/test-server.js';

// Searches that ignore case must do so for every letter, not only A–Z: SQLite's own lower() and
// LIKE fold ASCII alone, so "élodie" would not find "Élodie" there while PostgreSQL found her.
describeEachDialect('searches ignore the case of letters beyond ASCII on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ dialect });
    const user = await server.request('POST', '/__api__/v1/users', { body: { username: 'elodie', first_name: 'Élodie', last_name: 'Østergård' } });
    expect(user.status).toBe(200);
    expect((await server.request('POST', '/__api__/v1/groups', { body: { name: 'ÉQUIPE DONNÉES' } })).status).toBe(200);
  });
  afterAll(() => server.close());

  const usernamesFor = async (prefix: string) =>
    ((await server.request('GET', `/__api__/v1/users?prefix=${encodeURIComponent(prefix)}`)).body.results as Array<{ username: string }>).map((user) => user.username);
  const auditFor = async (q: string) =>
    ((await server.request('GET', `/__api__/v1/search/auditlogs?q=${encodeURIComponent(q)}`)).body.results as Array<{ event_description: string }>).map(
      (entry) => entry.event_description,
    );

  it('finds a user by a first or last name typed in either case', async () => {
    expect(await usernamesFor('élo')).toEqual(['elodie']);
    expect(await usernamesFor('ÉLO')).toEqual(['elodie']);
    expect(await usernamesFor('øster')).toEqual(['elodie']);
  });

  it('finds audit entries by words typed in either case', async () => {
    expect(await auditFor('équipe')).toEqual(['Added group ÉQUIPE DONNÉES']);
    expect(await auditFor('données équipe')).toEqual(['Added group ÉQUIPE DONNÉES']);
    expect(await auditFor('-équipe action:add_group')).toEqual([]);
  });
});
