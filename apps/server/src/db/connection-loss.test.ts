import { ErrorCode } from '@envdesk/domain';
import { aCreateEnvironmentInput } from '@envdesk/domain/testing';
import pg from 'pg';
import { afterEach, describe, expect } from 'vitest';
import { openDatabase } from './database.js';
import { createStore } from './store.js';
import { type ServerProcess, spawnServer } from '../test/server-process.js';
import { startTcpProxy } from '../test/tcp-proxy.js';
import { type TestDatabase, openTestDatabase, itOnPostgres } from '../test/test-database.js';


const API_KEY = 'connection-loss-test-key-0123456789';

interface Running {
  readonly server: ServerProcess;
  readonly url: string;
}

interface WriteOutcome {
  readonly status: number | 'socket error';
  readonly guid?: string;
  readonly retryAfter?: string | null;
  readonly body?: { guid?: string; code?: number; error?: string; payload?: unknown };
}

async function post(url: string, name: string): Promise<WriteOutcome> {
  try {
    const response = await fetch(`${url}/__api__/v1/environments`, {
      method: 'POST',
      headers: { authorization: `Key ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(aCreateEnvironmentInput({ name, title: name })),
    });
    const body = (await response.json()) as WriteOutcome['body'] & object;
    return { status: response.status, guid: body.guid, retryAfter: response.headers.get('retry-after'), body };
  } catch {
    return { status: 'socket error' };
  }
}

/** `workers` writers creating environments back to back until `running()` turns false. */
async function writeLoad(url: string, workers: number, running: () => boolean, tag: string): Promise<WriteOutcome[]> {
  const outcomes: WriteOutcome[] = [];
  let n = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (running()) {
        const outcome = await post(url, `ghcr.io/org/${tag}-${n++}:1`);
        outcomes.push(outcome);
        // A short pause after a refusal, as a client would, so an outage is not a busy loop.
        if (outcome.status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }),
  );
  return outcomes;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const statusOf = async (url: string) => (await fetch(url)).status;

describe('PostgreSQL connections lost under load', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  async function freshDatabase(): Promise<TestDatabase> {
    const database = await openTestDatabase('postgres');
    // Only the server process under test should hold connections to it.
    await database.connection.close();
    cleanups.push(() => database.cleanup());
    return database;
  }

  async function start(databaseUrl: string, dataDir: string): Promise<Running> {
    const server = spawnServer({ DATABASE_URL: databaseUrl, ENVDESK_DATA_DIR: dataDir, ENVDESK_BOOTSTRAP_API_KEY: API_KEY });
    cleanups.push(() => server.stop('SIGKILL'));
    const line = await server.waitFor(/envdesk is listening/);
    return { server, url: (JSON.parse(line) as { url: string }).url };
  }

  /** Every environment the API lists is in the database and the other way round, each complete. */
  async function expectConsistent(database: TestDatabase, running: Running, created: readonly string[]) {
    const listed = (await (
      await fetch(`${running.url}/__api__/v1/environments`, { headers: { authorization: `Key ${API_KEY}` } })
    ).json()) as Array<{ guid: string; python: { installations: unknown[] }; r: { installations: unknown[] } }>;
    const connection = await openDatabase(database.options);
    try {
      const stored = await createStore(connection).environments.list();
      expect(new Set(listed.map((environment) => environment.guid))).toEqual(new Set(stored.map((environment) => environment.guid)));
      for (const guid of created) expect(stored.some((environment) => environment.guid === guid)).toBe(true);
      for (const environment of listed) {
        expect(environment.python.installations).toHaveLength(1);
        expect(environment.r.installations).toHaveLength(1);
      }
    } finally {
      await connection.close();
    }
  }

  itOnPostgres('survives its backends being terminated again and again during writes, answering 200 or 503', async () => {
    const database = await freshDatabase();
    const running = await start(database.options.databaseUrl!, database.options.dataDir);
    const databaseName = new URL(database.options.databaseUrl!).pathname.slice(1);

    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    cleanups.push(() => admin.end());
    let terminating = true;
    const load = writeLoad(running.url, 4, () => terminating, 'storm');
    const terminated: number[] = [];
    for (let round = 0; round < 20; round++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const result = await admin.query<{ pid: number }>(
        'select pid, pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [databaseName],
      );
      terminated.push(...result.rows.map((row) => row.pid));
    }
    terminating = false;
    const outcomes = await load;
    // Every terminated backend has gone, so the server has been told its connections closed.
    await until('the terminated backends to exit', async () => {
      const left = await admin.query('select 1 from pg_stat_activity where pid = any($1)', [terminated]);
      return left.rowCount === 0 ? true : undefined;
    });

    expect(terminated.length).toBeGreaterThan(0);
    expect(running.server.child.exitCode).toBeNull();
    const statuses = new Set(outcomes.map((outcome) => outcome.status));
    // Some writes were cut in flight (about 60 of 350 here), not only idle connections.
    expect(statuses.has(503)).toBe(true);
    expect([...statuses].filter((status) => status !== 200 && status !== 503)).toEqual([]);
    for (const outcome of outcomes.filter((o) => o.status === 503)) {
      expect(outcome.retryAfter).toMatch(/^\d+$/);
      expect(outcome.body).toEqual({ code: ErrorCode.InternalFailure, error: expect.stringMatching(/database is unavailable/), payload: null });
    }

    // The pool drops the dead connections and opens new ones: the next writes work.
    const after: WriteOutcome[] = [];
    for (let i = 0; i < 5; i++) after.push(await post(running.url, `ghcr.io/org/after-${i}:1`));
    expect(after.map((outcome) => outcome.status)).toEqual([200, 200, 200, 200, 200]);

    const created = [...outcomes, ...after].filter((o) => o.status === 200).map((o) => o.guid!);
    await expectConsistent(database, running, created);
    expect(running.server.lines.join('\n')).not.toMatch(/unexpected error/);
  });

  /** A server whose PostgreSQL connections all go through a proxy the test can cut, stall and restore. */
  async function startBehindProxy() {
    const database = await freshDatabase();
    const target = new URL(database.options.databaseUrl!);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    cleanups.push(() => proxy.close());
    const viaProxy = new URL(target);
    viaProxy.port = String(proxy.port);
    const running = await start(viaProxy.toString(), database.options.dataDir);
    return { database, proxy, running };
  }

  itOnPostgres('tells the truth through a PostgreSQL outage during load, then recovers', async () => {
    const { database, proxy, running } = await startBehindProxy();
    expect(await statusOf(`${running.url}/__ready__`)).toBe(200);

    let loading = true;
    const load = writeLoad(running.url, 3, () => loading, 'outage');
    await until('a first write under load', async () => (await post(running.url, 'ghcr.io/org/before:1')).status === 200 || undefined);

    await proxy.cut();
    const outageStarted = Date.now();
    const ready = await fetch(`${running.url}/__ready__`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toMatch(/^\d+$/);
    const readyBody = await ready.text();
    expect(JSON.parse(readyBody)).toMatchObject({ status: 'unavailable', database: 'postgres', reason: expect.any(String) });
    expect(readyBody).not.toContain(String(proxy.port));
    expect(await statusOf(`${running.url}/__ping__`)).toBe(200);
    const refused = await post(running.url, 'ghcr.io/org/during:1');
    expect(refused.status).toBe(503);
    expect(refused.retryAfter).toMatch(/^\d+$/);
    // Keep the database away for a few seconds while the writers go on.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 3_000 - (Date.now() - outageStarted))));
    expect(await statusOf(`${running.url}/__ready__`)).toBe(503);

    await proxy.restore();
    await until('readiness after the outage', async () => ((await statusOf(`${running.url}/__ready__`)) === 200 ? true : undefined));
    loading = false;
    const outcomes = await load;

    expect(running.server.child.exitCode).toBeNull();
    const statuses = new Set(outcomes.map((outcome) => outcome.status));
    expect(statuses.has(503)).toBe(true);
    expect([...statuses].filter((status) => status !== 200 && status !== 503)).toEqual([]);
    const after: WriteOutcome[] = [];
    for (let i = 0; i < 3; i++) after.push(await post(running.url, `ghcr.io/org/recovered-${i}:1`));
    expect(after.map((outcome) => outcome.status)).toEqual([200, 200, 200]);
    await expectConsistent(database, running, [...outcomes, ...after].filter((o) => o.status === 200).map((o) => o.guid!));
  });

  itOnPostgres('answers the readiness probe in about 2 s when PostgreSQL stops answering altogether', async () => {
    const { proxy, running } = await startBehindProxy();
    expect(await statusOf(`${running.url}/__ready__`)).toBe(200);

    proxy.stall();
    const asked = Date.now();
    const ready = await fetch(`${running.url}/__ready__`, { signal: AbortSignal.timeout(15_000) });
    const tookMs = Date.now() - asked;
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', reason: expect.stringMatching(/did not answer within 2000 ms/) });
    expect(tookMs).toBeGreaterThanOrEqual(1_900);
    expect(tookMs).toBeLessThan(10_000);
    expect(await statusOf(`${running.url}/__ping__`)).toBe(200);

    await proxy.restore();
    await until('readiness once PostgreSQL answers again', async () => ((await statusOf(`${running.url}/__ready__`)) === 200 ? true : undefined), 20_000);
    expect(running.server.child.exitCode).toBeNull();
  });
});
