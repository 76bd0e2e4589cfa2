import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { ErrorCode } from '@envdesk/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import type { Clock } from '../clock.js';
import { memoryLogger } from '../test/memory-logger.js';
import { describeEachDialect } from '../test/test-database.js';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';
import { type SignInLimits, decideThrottle } from './sign-in-throttle.js';

const limits: SignInLimits = { windowMs: 60_000, maxFailuresPerUser: 3, maxFailuresPerAddress: 6 };
const NOW = new Date('2026-03-01T12:00:00.000Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString();
const times = (...seconds: number[]) => seconds.map(ago);

describe('decideThrottle', () => {
  it.each([
    ['no failures', { byAddress: [], byUser: [], byUserFromAddress: [] }, { throttled: false }],
    ['fewer failures than either limit', { byAddress: times(1, 2), byUser: times(1, 2), byUserFromAddress: times(1) }, { throttled: false }],
    [
      'an address at its limit, free when its oldest counted failure leaves the window',
      { byAddress: times(1, 2, 3, 4, 5, 50), byUser: [], byUserFromAddress: [] },
      { throttled: 'address', retryAfterSeconds: 10 },
    ],
    [
      'a username at its limit, from an address that took part',
      { byAddress: times(5, 20), byUser: times(5, 20, 30), byUserFromAddress: times(5) },
      { throttled: 'username', retryAfterSeconds: 30 },
    ],
    [
      "a username at its limit, from an address whose own failure leaves the window first",
      { byAddress: times(55), byUser: times(1, 2, 3), byUserFromAddress: times(55) },
      { throttled: 'username', retryAfterSeconds: 5 },
    ],
    [
      'a username at its limit, from an address that has not failed for it: the password is checked',
      { byAddress: [], byUser: times(1, 2, 3), byUserFromAddress: [] },
      { throttled: false },
    ],
  ] as const)('%s', (_label, recent, expected) => {
    expect(decideThrottle(recent, limits, NOW)).toEqual(expected);
  });
});

describeEachDialect('the sign-in throttle (%s)', (dialect) => {
  const clock: Clock & { time: number } = { time: NOW.getTime(), now: () => new Date(clock.time) };
  const { logger, lines } = memoryLogger('warn');
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ dialect, clock, logger, signInLimits: limits });
  });
  afterAll(() => server.close());

  // The test server listens on loopback, which Express trusts by default, so X-Forwarded-For says
  // which address each attempt comes from.
  const signIn = (username: string, password: string, address: string, url = server.url) =>
    fetch(`${url}/__api__/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({ username, password }),
    }).then(async (response) => ({ status: response.status, headers: response.headers, body: await response.json() }));

  const failTimes = async (user: TestUser, count: number, address: string) => {
    for (let i = 0; i < count; i++) expect((await signIn(user.username, `guess-${i}`, address)).status).toBe(401);
  };

  it('refuses a guesser with 429 and Retry-After after too many failures for one username, but not the real person elsewhere', async () => {
    const victim = await server.addUser('publisher');
    await failTimes(victim, limits.maxFailuresPerUser, '203.0.113.7');

    const refused = await signIn(victim.username, 'guess-again', '203.0.113.7');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(refused.body).toEqual({ code: ErrorCode.InvalidLogin, error: 'Too many failed sign-ins. Try again in 60 seconds.', payload: { retry_after: 60 } });
    // Refused before the password is checked: even the right one gets no other answer there.
    expect((await signIn(victim.username, victim.password, '203.0.113.7')).status).toBe(429);

    // The real person, on their own machine, signs in all the same.
    expect((await signIn(victim.username, victim.password, '198.51.100.20')).status).toBe(200);

    const warning = lines.find((line) => line.msg === 'sign-in throttled' && line.username === victim.username);
    expect(warning).toMatchObject({ level: 40, address: '203.0.113.7', throttled_by: 'username', retry_after: 60 });
    expect(JSON.stringify(lines)).not.toContain(victim.password);
    expect(JSON.stringify(lines)).not.toContain('guess-again');
  });

  it('lets the person behind the same address in once the window has passed, however long the guessing went on', async () => {
    const victim = await server.addUser('publisher');
    await failTimes(victim, limits.maxFailuresPerUser, '203.0.113.8');
    for (let i = 0; i < 5; i++) {
      clock.time += 10_000;
      expect((await signIn(victim.username, 'more-guessing', '203.0.113.8')).status).toBe(429);
    }
    // Refused attempts are not failures: the wait ran from the last counted failure, 50 s ago.
    const last = await signIn(victim.username, victim.password, '203.0.113.8');
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBe(10);
    clock.time += 10_001;
    expect((await signIn(victim.username, victim.password, '203.0.113.8')).status).toBe(200);
  });

  it('refuses an address that fails for many usernames, for every username, and no other address', async () => {
    for (let i = 0; i < limits.maxFailuresPerAddress; i++) {
      expect((await signIn(`sprayed-${i}`, 'Winter2026!', '192.0.2.99')).status).toBe(401);
    }
    const someone = await server.addUser('viewer');
    const refused = await signIn(someone.username, someone.password, '192.0.2.99');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(lines.some((line) => line.msg === 'sign-in throttled' && line.address === '192.0.2.99' && line.throttled_by === 'address')).toBe(true);
    expect((await signIn(someone.username, someone.password, '192.0.2.100')).status).toBe(200);
  });

  it('counts a burst of concurrent guesses: no more are checked than the limit allows', async () => {
    const victim = await server.addUser('publisher');
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => signIn(victim.username, `burst-${i}`, '203.0.113.50')));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(limits.maxFailuresPerUser);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(12 - limits.maxFailuresPerUser);
  });

  it('shares its counts between replicas through the database', async () => {
    const other = createApp({ store: server.store, logger, clock, webDir: null, version: 'test', signInLimits: limits, secretKey: randomBytes(32) });
    const listening: Server = await new Promise((resolve) => {
      const started = other.app.listen(0, '127.0.0.1', () => resolve(started));
    });
    try {
      const victim = await server.addUser('publisher');
      await failTimes(victim, limits.maxFailuresPerUser, '203.0.113.60');
      const replica = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
      expect((await signIn(victim.username, 'one-more', '203.0.113.60', replica)).status).toBe(429);
    } finally {
      other.services.taskRunner.stop();
      await new Promise((resolve) => listening.close(resolve));
    }
  });
});
