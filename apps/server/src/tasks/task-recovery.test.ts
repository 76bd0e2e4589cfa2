import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import {
  call,
  contentWithBundle,
  databaseWithFleet,
  holdDeployInFlight,
  serverEnv,
  startDeploy,
  urlOf,
  waitForFinishedTask,
} from '../test/deploy-in-flight.js';
import { type ServerProcess, spawnServer } from '../test/server-process.js';
import { describeEachDialect, itOnPostgres } from '../test/test-database.js';
import { openDatabase } from '../db/database.js';
import { createStore } from '../db/store.js';
import type { TestDatabase } from '../test/test-database.js';
import { INTERRUPTED_BY_RESTART, INTERRUPTED_BY_SHUTDOWN, INTERRUPTED_LINE, shutdownLine } from './task-runner.js';
import { RETRY_AFTER_SECONDS } from '../http/error-middleware.js';

/** The task as the database holds it, once no server runs. */
async function storedTask(database: TestDatabase, id: string) {
  const connection = await openDatabase(database.options);
  try {
    return await createStore(connection).tasks.find(id);
  } finally {
    await connection.close();
  }
}

/** Small, so a killed server's tasks go stale within the test; the default is 30 s. */
const STALE = { ENVDESK_TASK_STALE_MS: '1500' };

describeEachDialect('deploy tasks across crashes and restarts on %s', (dialect) => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const spawn = (env: Record<string, string>): ServerProcess => {
    const server = spawnServer(env);
    cleanups.push(() => server.stop('SIGKILL'));
    return server;
  };

  it('finishes a deploy killed with kill -9 as interrupted once a server runs on the same database again', async () => {
    const database = await databaseWithFleet(dialect);
    cleanups.push(() => database.cleanup());
    const first = spawn(serverEnv(database, STALE));
    const firstUrl = await urlOf(first);
    const guid = await contentWithBundle(firstUrl);

    const held = await holdDeployInFlight(database, () => startDeploy(firstUrl, guid));
    first.child.kill('SIGKILL');
    await first.exited;
    await held.release();

    const second = spawn(serverEnv(database, STALE));
    const url = await urlOf(second);
    const task = await waitForFinishedTask(url, held.taskId, 10_000);
    expect(task).toMatchObject({ finished: true, code: 1, error: INTERRUPTED_BY_RESTART });
    expect(task.output[0]).toMatch(/^Deploying bundle \d+/);
    expect(task.output.at(-1)).toBe(INTERRUPTED_LINE);
    // The history the web page shows says so too, and nothing is left running to poll.
    const history = await call(url, 'GET', `/v1/content/${guid}/deployments`);
    // (On SQLite an earlier attempt to catch a deploy in flight may have finished first: it is there too, finished.)
    expect(history.body).toContainEqual(expect.objectContaining({ task_id: held.taskId, finished: true, error: INTERRUPTED_BY_RESTART }));
    expect(history.body.every((deployment: { finished: boolean }) => deployment.finished)).toBe(true);
    await second.waitFor(/finished tasks whose server stopped heartbeating as interrupted/);
  }, 60_000);

  it('lets a deploy running at SIGTERM finish within the grace period, refusing new ones meanwhile, then exits 0', async () => {
    const database = await databaseWithFleet(dialect);
    cleanups.push(() => database.cleanup());
    const server = spawn(serverEnv(database, { ENVDESK_SHUTDOWN_GRACE_MS: '15000' }));
    const url = await urlOf(server);
    const guid = await contentWithBundle(url);

    const held = await holdDeployInFlight(database, () => startDeploy(url, guid));
    server.child.kill('SIGTERM');
    // Only PostgreSQL keeps the server answering while the deploy is held (SQLite's waits block it).
    if (dialect === 'postgres') {
      await server.waitFor(/waiting for running tasks to finish/);
      const refused = await call(url, 'POST', `/v1/content/${guid}/deploy`, {});
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
      expect(refused.body).toEqual({ code: expect.any(Number), error: expect.stringContaining('shutting down'), payload: null });
      // A load balancer reading readiness sends new requests to another replica meanwhile.
      const ready = await fetch(`${url}/__ready__`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'stopping' });
      // Clients still read the running deploy's progress.
      expect((await call(url, 'GET', `/v1/tasks/${held.taskId}`)).body).toMatchObject({ finished: false });
    }
    await held.release();

    expect(await server.exited).toBe(0);
    expect(await storedTask(database, held.taskId)).toMatchObject({ finished: true, code: 0, error: '' });
  }, 60_000);

  // Holding a deploy past the grace period needs a server that keeps running meanwhile: PostgreSQL
  // (SQLite's lock waits block the whole process, so there the test above is the one that applies).
  if (dialect === 'postgres') it('finishes a deploy still running when the grace period ends as interrupted, then exits 0', async () => {
    const database = await databaseWithFleet(dialect);
    cleanups.push(() => database.cleanup());
    const server = spawn(serverEnv(database, { ENVDESK_SHUTDOWN_GRACE_MS: '1000' }));
    const url = await urlOf(server);
    const guid = await contentWithBundle(url);

    const held = await holdDeployInFlight(database, () => startDeploy(url, guid));
    cleanups.push(() => held.release().catch(() => undefined));
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    const task = await storedTask(database, held.taskId);
    expect(task).toMatchObject({ finished: true, code: 1, error: INTERRUPTED_BY_SHUTDOWN });
    expect(task?.output[0]).toMatch(/^Deploying bundle \d+/);
    expect(task?.output.at(-1)).toBe(shutdownLine(1000));
  }, 60_000);
});


describe('deploy tasks when PostgreSQL drops envdesk’s connections', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  itOnPostgres('keeps the process alive through terminated backends during a burst of deploys, and leaves no task unfinished', async () => {
    const database = await databaseWithFleet('postgres', 300);
    cleanups.push(() => database.cleanup());
    const server = spawnServer(serverEnv(database, STALE));
    cleanups.push(() => server.stop('SIGKILL'));
    const url = await urlOf(server);
    const guids = [await contentWithBundle(url), await contentWithBundle(url), await contentWithBundle(url)];

    // The administrator's view of the same database, as `pg_terminate_backend` is run in an outage.
    const admin = new pg.Client({ connectionString: database.options.databaseUrl });
    await admin.connect();
    cleanups.push(() => admin.end());
    const terminateAll = async () => {
      const result = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
      return result.rowCount ?? 0;
    };

    const taskIds: string[] = [];
    const statuses: number[] = [];
    let terminated = 0;
    for (let wave = 0; wave < 8; wave++) {
      const deploys = Array.from({ length: 6 }, (_, i) =>
        call(url, 'POST', `/v1/content/${guids[i % guids.length]}/deploy`, {}).then((answer) => {
          statuses.push(answer.status);
          if (answer.status === 202) taskIds.push(answer.body.task_id as string);
        }),
      );
      // Cut every connection while the wave's deploys are under way.
      await new Promise((resolve) => setTimeout(resolve, 15));
      terminated += await terminateAll();
      await Promise.all(deploys);
    }
    expect(terminated).toBeGreaterThan(0);
    expect(taskIds.length).toBeGreaterThan(0);

    // The process survived, answers, and accepts deploys again once PostgreSQL is left alone.
    expect(server.child.exitCode).toBeNull();
    expect((await fetch(`${url}/__ping__`)).status).toBe(200);
    let after: { status: number; body: { task_id: string } } | undefined;
    for (let tries = 0; tries < 10 && after?.status !== 202; tries++) after = await call(url, 'POST', `/v1/content/${guids[0]}/deploy`, {});
    expect(after?.status).toBe(202);
    taskIds.push(after!.body.task_id);

    // Every deploy accepted ends finished: with its outcome, or failed, or interrupted by the reaper.
    for (const id of taskIds) expect((await waitForFinishedTask(url, id, 15_000)).finished).toBe(true);
    const unfinished = await admin.query<{ n: string }>('select count(*) as n from tasks where finished = 0');
    expect(Number(unfinished.rows[0]?.n)).toBe(0);
    expect(server.child.exitCode).toBeNull();
  }, 60_000);
});
