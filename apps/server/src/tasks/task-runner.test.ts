import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { pino } from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { newGuid, systemClock } from '../clock.js';
import { type Store, createStore } from '../db/store.js';
import { backendWaitingOnLock } from '../test/deploy-in-flight.js';
import { type TestDatabase, openTestDatabase, describeEachDialect } from '../test/test-database.js';
import {
  INTERRUPTED_BY_RESTART,
  INTERRUPTED_BY_SHUTDOWN,
  INTERRUPTED_INSPECTION_LINE,
  INTERRUPTED_LINE,
  type TaskRunner,
  createTaskRunner,
  inspectionShutdownLine,
  shutdownLine,
} from './task-runner.js';

/** Waits for `check` to hold, polling; fails with `what` after `timeoutMs`. */
async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A gate the test opens: the task's work waits at it, as a long build would. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/**
 * Makes the database refuse a task's final write for a while, as a dropped connection or a busy
 * database does: the row is locked by another connection, and the waiting write then fails
 * (SQLite: busy_timeout runs out; PostgreSQL: its backend is terminated).
 */
async function blockTaskWrites(database: TestDatabase, taskId: string) {
  const url = database.options.databaseUrl;
  if (url) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('begin');
    await client.query('select id from tasks where id = $1 for update', [taskId]);
    return {
      /** Ends the waiting write with an error: its backend is terminated. */
      async breakWaitingWrite() {
        await client.query('select pg_terminate_backend($1)', [await backendWaitingOnLock(client)]);
      },
      async release() {
        await client.query('commit');
        await client.end();
      },
    };
  }
  const lock = new SQLite(path.join(database.options.dataDir, 'envdesk.db'));
  lock.exec('BEGIN IMMEDIATE');
  return {
    // SQLite's write fails by itself once busy_timeout (5 s) has run out.
    async breakWaitingWrite() {},
    async release() {
      lock.exec('COMMIT');
      lock.close();
    },
  };
}

describeEachDialect('the task runner on %s', (dialect) => {
  let database: TestDatabase;
  let store: Store;
  let userId: number;
  const logLines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  const runners: TaskRunner[] = [];
  const runner = (replicaId: string, staleMs: number) => {
    const created = createTaskRunner({ store, clock: systemClock, logger, replicaId, staleMs });
    runners.push(created);
    return created;
  };
  const logged = (pattern: RegExp) => until(`the log says ${pattern}`, () => logLines.some((line) => pattern.test(line)));

  beforeEach(async () => {
    logLines.length = 0;
    database = await openTestDatabase(dialect);
    store = createStore(database.connection);
    const user = await store.users.insert(newGuid(), { username: 'pat', email: '', first_name: 'Pat', last_name: 'P', user_role: 'publisher' }, null, '2026-01-15T10:00:00Z');
    userId = user.id;
  });
  afterEach(async () => {
    for (const created of runners.splice(0)) created.stop();
    await database.cleanup();
  });

  it('heartbeats a task while its work runs, so no replica finishes it however long it takes', async () => {
    const staleMs = 400;
    const owner = runner('replica-a', staleMs);
    const other = runner('replica-b', staleMs);
    owner.startHousekeeping();
    const work = gate();
    const id = await owner.start({ userId, contentId: null }, async (task) => {
      await task.say('building');
      await work.opened;
      return { code: 0, error: '', lines: ['built'] };
    });
    const startedBeat = Date.parse((await store.tasks.find(id))!.heartbeat_time!);
    await until('the heartbeat has moved on by twice the stale threshold', async () => Date.parse((await store.tasks.find(id))!.heartbeat_time!) - startedBeat > 2 * staleMs);

    expect(await other.reapStale()).toBe(0);
    work.open();
    await owner.settle();
    expect(await store.tasks.find(id)).toMatchObject({ finished: true, code: 0, error: '', owner: 'replica-a', output: ['building', 'built'] });
  });

  it('finishes each stale task exactly once when two replicas reap at the same time, with a line in its log', async () => {
    const long = new Date(Date.now() - 60_000).toISOString();
    const ids = Array.from({ length: 12 }, (_, i) => `stale-${i}`);
    for (const id of ids) await store.tasks.insert({ id, userId, contentId: null, owner: 'killed-replica', heartbeatTime: long }, '2026-01-15T10:00:00Z');
    await store.tasks.setOutput('stale-0', ['Deploying bundle 1 of "x".', 'Bundle "quoted" \\ line']);
    const a = runner('replica-a', 1_000);
    const b = runner('replica-b', 1_000);

    const [byA, byB] = await Promise.all([a.reapStale(), b.reapStale()]);
    expect(byA + byB).toBe(ids.length);
    for (const id of ids) {
      const task = (await store.tasks.find(id))!;
      expect(task).toMatchObject({ finished: true, code: 1, error: INTERRUPTED_BY_RESTART });
      expect(task.output.filter((line) => line === INTERRUPTED_LINE)).toHaveLength(1);
    }
    expect((await store.tasks.find('stale-0'))!.output).toEqual(['Deploying bundle 1 of "x".', 'Bundle "quoted" \\ line', INTERRUPTED_LINE]);
    expect(await a.reapStale()).toBe(0);
  });

  it('tells the user of an inspection its server stopped running to run the inspection again, and of a deploy to deploy again', async () => {
    const staleMs = 300;
    const dead = runner('replica-dead', staleMs);
    const work = gate();
    const inspection = await dead.start({ userId, contentId: null }, async (task) => {
      await task.say('layer 1/3 sha256:0123456789ab 104.9 MB');
      await work.opened;
      return { code: 0, error: '' };
    }, { firstLine: 'Inspecting ghcr.io/org/r:4.4.' });
    const deploy = await dead.start({ userId, contentId: null }, async (task) => {
      await task.say('Deploying bundle 1 of "x".');
      await work.opened;
      return { code: 0, error: '' };
    });
    await until('the layer line is saved', async () => (await store.tasks.find(inspection))?.output.length === 2);
    // `dead` never heartbeats (no housekeeping): to the other replica, its server is gone.
    await new Promise((resolve) => setTimeout(resolve, 2 * staleMs));
    expect(await runner('replica-b', staleMs).reapStale()).toBe(2);
    work.open();
    await dead.settle();

    expect(await store.tasks.find(inspection)).toMatchObject({
      code: 1,
      error: INTERRUPTED_BY_RESTART,
      output: ['Inspecting ghcr.io/org/r:4.4.', 'layer 1/3 sha256:0123456789ab 104.9 MB', INTERRUPTED_INSPECTION_LINE],
    });
    expect(INTERRUPTED_INSPECTION_LINE).toContain('Run the inspection again.');
    expect(INTERRUPTED_INSPECTION_LINE).not.toContain('Deploy');
    expect((await store.tasks.find(deploy))!.output).toEqual(['Deploying bundle 1 of "x".', INTERRUPTED_LINE]);
  });

  it('tells the user of an inspection still running when a shutdown’s grace period ends to run it again', async () => {
    const owner = runner('replica-a', 30_000);
    const work = gate();
    const id = await owner.start({ userId, contentId: null }, async () => {
      await work.opened;
      return { code: 0, error: '' };
    }, { firstLine: 'Inspecting ghcr.io/org/r:4.4 for linux/arm64.' });
    const deploy = await owner.start({ userId, contentId: null }, async () => {
      await work.opened;
      return { code: 0, error: '' };
    });
    await owner.drain(50);
    work.open();
    expect(await store.tasks.find(id)).toMatchObject({
      code: 1,
      error: INTERRUPTED_BY_SHUTDOWN,
      output: ['Inspecting ghcr.io/org/r:4.4 for linux/arm64.', inspectionShutdownLine(50)],
    });
    expect(inspectionShutdownLine(50)).toMatch(/this inspection did not finish .* Run the inspection again\.$/);
    expect((await store.tasks.find(deploy))!.output).toEqual([shutdownLine(50)]);
  });

  it('retries the final write of a task through a transient database failure, and records the real outcome', async () => {
    const owner = runner('replica-a', 30_000);
    const work = gate();
    const id = await owner.start({ userId, contentId: null }, async (task) => {
      await task.say('building');
      await work.opened;
      return { code: 0, error: '', lines: ['built'] };
    });
    await until('the first line is saved', async () => (await store.tasks.find(id))?.output.join() === 'building');
    const blocker = await blockTaskWrites(database, id);
    work.open();
    await blocker.breakWaitingWrite();
    await logged(/could not record the end of a task; retrying/);
    await blocker.release();
    await owner.settle();
    expect(await store.tasks.find(id)).toMatchObject({ finished: true, code: 0, error: '', output: ['building', 'built'] });
  }, 30_000);

  it('stops heartbeating a task whose end cannot be written in time, so the reaper finishes it as interrupted', async () => {
    const staleMs = 300;
    const owner = runner('replica-a', staleMs);
    const work = gate();
    const id = await owner.start({ userId, contentId: null }, async (task) => {
      await task.say('building');
      await work.opened;
      return { code: 0, error: '' };
    });
    await until('the first line is saved', async () => (await store.tasks.find(id))?.output.join() === 'building');
    const blocker = await blockTaskWrites(database, id);
    work.open();
    // Give the retries longer than their bound (the stale threshold) before the write fails.
    await new Promise((resolve) => setTimeout(resolve, 2 * staleMs));
    await blocker.breakWaitingWrite();
    await logged(/could not record the end of a task; it is no longer heartbeated/);
    await blocker.release();

    // Heartbeats and reaping run now: a task still heartbeated would never be reaped.
    owner.startHousekeeping();
    await until('the task is finished', async () => (await store.tasks.find(id))?.finished === true);
    expect(await store.tasks.find(id)).toMatchObject({ code: 1, error: INTERRUPTED_BY_RESTART, output: ['building', INTERRUPTED_LINE] });
  }, 30_000);
});
