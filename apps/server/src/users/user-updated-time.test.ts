import { UserSchema } from '@envdesk/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Clock } from '../clock.js';
import { describeEachDialect } from '../test/test-database.js';
import { type TestServer, startTestServer } from '../test/test-server.js';

/** A clock that moves only when told, a minute at a time: any write that stamps shows it. */
function steppingClock(): Clock & { step(): void } {
  let time = Date.parse('2026-01-15T10:00:00Z');
  return { now: () => new Date(time), step: () => (time += 60_000) };
}

describeEachDialect('a user’s updated_time on %s', (dialect) => {
  let server: TestServer;
  const clock = steppingClock();
  beforeAll(async () => {
    server = await startTestServer({ dialect, clock });
  });
  afterAll(() => server.close());

  const read = async (guid: string) => UserSchema.parse((await server.request('GET', `/__api__/v1/users/${guid}`)).body);

  it('stays as it was through reads, lock and unlock, and an update that sends what is stored', async () => {
    const created = UserSchema.parse(
      (await server.request('POST', '/__api__/v1/users', { body: { username: 'aron', email: 'aron@example.com', first_name: 'Aron', password: 's3cur3p@ssword' } })).body,
    );

    clock.step();
    expect(await read(created.guid)).toEqual(created);
    const [listed] = (await server.request('GET', '/__api__/v1/users?prefix=aron')).body.results;
    expect(listed).toEqual(created);

    clock.step();
    await server.request('POST', `/__api__/v1/users/${created.guid}/lock`, { body: { locked: true } });
    clock.step();
    await server.request('POST', `/__api__/v1/users/${created.guid}/lock`, { body: { locked: false } });
    expect(await read(created.guid)).toEqual(created);

    clock.step();
    const same = await server.request('PUT', `/__api__/v1/users/${created.guid}`, { body: { email: 'aron@example.com', first_name: 'Aron' } });
    expect(same.status).toBe(200);
    expect(same.body).toEqual(created);
    expect(await read(created.guid)).toEqual(created);
  });

  it('moves when a value changes, to the time of that change', async () => {
    const created = UserSchema.parse((await server.request('POST', '/__api__/v1/users', { body: { username: 'bill', first_name: 'Bill' } })).body);
    clock.step();
    const changed = await server.request('PUT', `/__api__/v1/users/${created.guid}`, { body: { first_name: 'Bill', last_name: 'Bates' } });
    expect(changed.body.last_name).toBe('Bates');
    expect(changed.body.updated_time).toBe(clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z'));
    expect(changed.body.updated_time).not.toBe(created.updated_time);
    expect((await read(created.guid)).updated_time).toBe(changed.body.updated_time);
  });
});
