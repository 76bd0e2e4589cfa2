import path from 'node:path';
import { aCreateEnvironmentInput, aGuid } from '@envdesk/domain/testing';
import { definitionFrom } from '@envdesk/domain';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { createStore } from '../db/store.js';
import { bundleArchive } from './bundles.js';
import type { ServerProcess } from './server-process.js';
import { type TestDatabase, openTestDatabase } from './test-database.js';

/** The API key the spawned servers import for their administrator. */
export const ADMIN_KEY = 'deploy-in-flight-test-key-0123456789';

/**
 * A fresh database with a large fleet of environments: choosing among them is the deploy's one
 * slow phase (a few hundred milliseconds), which is what lets a SQLite test catch a deploy in flight.
 */
export async function databaseWithFleet(dialect: 'sqlite' | 'postgres', count = 8_000): Promise<TestDatabase> {
  const database = await openTestDatabase(dialect);
  const store = createStore(database.connection);
  const rows = Array.from({ length: count }, (_, i) => ({
    guid: aGuid(i + 1),
    fields: {
      ...definitionFrom(aCreateEnvironmentInput({ name: `ghcr.io/org/fleet-${i}:1`, title: `Fleet ${i}` })),
      python: { installations: [{ version: `3.${i % 12}.${i % 7}`, path: '/usr/bin/python3' }] },
      managed_by: null,
    },
  }));
  await store.transaction((tx) => tx.environments.insertMany(rows, '2026-01-15T10:00:00Z'));
  // The servers under test open the database themselves.
  await database.connection.close();
  return database;
}

export const serverEnv = (database: TestDatabase, extra: Record<string, string> = {}): Record<string, string> => ({
  ENVDESK_DATA_DIR: database.options.dataDir,
  ...(database.options.databaseUrl ? { DATABASE_URL: database.options.databaseUrl } : {}),
  ENVDESK_BOOTSTRAP_API_KEY: ADMIN_KEY,
  ...extra,
});

export async function urlOf(server: ServerProcess): Promise<string> {
  const line = await server.waitFor(/envdesk is listening/, 60_000);
  return (JSON.parse(line) as { url: string }).url;
}

/** JSON over HTTP as the administrator; the status and the parsed body. */
export async function call(url: string, method: string, route: string, body?: unknown): Promise<{ status: number; headers: Headers; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  const init: RequestInit = { method, headers: { authorization: `Key ${ADMIN_KEY}` } };
  if (body instanceof Uint8Array) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, 'content-type': 'application/json' };
  }
  const response = await fetch(`${url}/__api__${route}`, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** Content with one bundle, ready to deploy. */
export async function contentWithBundle(url: string): Promise<string> {
  const content = await call(url, 'POST', '/v1/content', {});
  const upload = await call(url, 'POST', `/v1/content/${content.body.guid}/bundles`, bundleArchive());
  if (upload.status !== 200) throw new Error(`upload failed: ${JSON.stringify(upload.body)}`);
  return content.body.guid as string;
}

export async function startDeploy(url: string, contentGuid: string): Promise<string> {
  const answer = await call(url, 'POST', `/v1/content/${contentGuid}/deploy`, {});
  if (answer.status !== 202) throw new Error(`deploy refused: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.task_id as string;
}

/** The pid of a backend of the client's database (other than its own) waiting on a lock, once there is one. */
export async function backendWaitingOnLock(client: pg.Client, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const waiting = await client.query<{ pid: number }>(
      "select pid from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()",
    );
    const pid = waiting.rows[0]?.pid;
    if (pid !== undefined) return pid;
    if (Date.now() > deadline) throw new Error('no backend waited on the lock');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export interface HeldDeploy {
  readonly taskId: string;
  /** Runs SQL on the connection holding the lock, inside its transaction. */
  sql(text: string, params?: unknown[]): Promise<void>;
  /** Commits the holding transaction: the deploy goes on. */
  release(): Promise<void>;
}

/**
 * Starts a deploy and holds it in flight with a lock another connection takes, as a slow or busy
 * database would, with no hook in the product.
 * - PostgreSQL: `LOCK TABLE environments` before the deploy starts; it blocks when it reads the
 *   environments to choose from, after its task is recorded. The server stays responsive.
 * - SQLite: the write lock (`BEGIN IMMEDIATE`), taken as soon as the deploy is accepted, while it
 *   chooses among the fleet; its next write then waits (busy_timeout, 5 s) with the process
 *   blocked. Should the deploy win the race, another is started.
 */
export async function holdDeployInFlight(database: TestDatabase, start: () => Promise<string>): Promise<HeldDeploy> {
  const url = database.options.databaseUrl;
  if (url) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('begin');
    await client.query('lock table environments in access exclusive mode');
    const taskId = await start();
    // Held once the deploy waits on the lock (its task recorded, its first log line written).
    await backendWaitingOnLock(client);
    return {
      taskId,
      sql: async (text, params) => void (await client.query(text, params)),
      release: async () => {
        await client.query('commit');
        await client.end();
      },
    };
  }
  const lock = new SQLite(path.join(database.options.dataDir, 'envdesk.db'));
  lock.pragma('busy_timeout = 5000');
  lock.pragma('foreign_keys = ON');
  // On a busy machine the race goes either way more often: try a good number of times.
  for (let attempt = 0; attempt < 20; attempt++) {
    const taskId = await start();
    lock.exec('BEGIN IMMEDIATE');
    const row = lock.prepare('select finished, output from tasks where id = ?').get(taskId) as { finished: number; output: string } | undefined;
    // In flight with its first line written: what a user polling the task has already seen.
    if (row?.finished === 0 && row.output !== '[]') {
      return {
        taskId,
        sql: async (text, params = []) => void lock.prepare(text).run(...params),
        release: async () => {
          lock.exec('COMMIT');
          lock.close();
        },
      };
    }
    lock.exec('COMMIT');
  }
  lock.close();
  throw new Error('every deploy finished before the lock was taken');
}

/** Polls GET /v1/tasks/{id} until it says finished (or the time is up). */
export async function waitForFinishedTask(url: string, taskId: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const task = await call(url, 'GET', `/v1/tasks/${taskId}?wait=1`);
    if (task.status === 200 && task.body.finished) return task.body as { finished: boolean; code: number; error: string; output: string[] };
    if (Date.now() > deadline) throw new Error(`task ${taskId} did not finish: ${JSON.stringify(task.body)}`);
  }
}
