import { writeFileSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore } from '../db/store.js';
import { billionLaughs, tempFolder } from '../test/files.js';
import { type TestDatabase, openTestDatabase, itEachDialect, itOnPostgres } from '../test/test-database.js';
import { type ServerProcess, spawnServer } from '../test/server-process.js';

/** A realistic file of `count` entries, written as JSON so parsing is not what the test measures. */
function writeEntries(file: string, count: number, tag = 'a') {
  const entries = Array.from({ length: count }, (_, i) => ({
    name: `ghcr.io/org/runtime-${i}:${tag}`,
    title: `Runtime ${i}`,
    python: { installations: [{ version: `3.${8 + (i % 5)}.${i % 20}`, path: `/opt/python/3.${8 + (i % 5)}/bin/python3` }] },
    r: { installations: [{ version: `4.${i % 5}.${i % 3}`, path: `/opt/R/4.${i % 5}/bin/R` }] },
  }));
  writeFileSync(file, JSON.stringify({ executionEnvironments: entries }));
}

async function managedCount(database: TestDatabase): Promise<number> {
  const connection = await (await import('../db/database.js')).openDatabase(database.options);
  try {
    const all = await createStore(connection).environments.list();
    return all.filter((environment) => environment.managed_by !== null).length;
  } finally {
    await connection.close();
  }
}

/**
 * Whether a sync transaction is open in the database right now: on PostgreSQL its advisory lock
 * is granted; on SQLite a second writer cannot begin (the sync takes the one write lock first).
 */
async function syncLockHeld(database: TestDatabase): Promise<boolean> {
  if (database.options.databaseUrl) {
    const client = new pg.Client({ connectionString: database.options.databaseUrl });
    await client.connect();
    try {
      const held = await client.query(
        "select 1 from pg_locks where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())",
      );
      return held.rowCount !== 0;
    } finally {
      await client.end();
    }
  }
  const sqlite = new SQLite(path.join(database.options.dataDir, 'envdesk.db'), { timeout: 0 });
  try {
    sqlite.exec('begin immediate');
    sqlite.exec('rollback');
    return false;
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw error;
  } finally {
    sqlite.close();
  }
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('sync across processes', () => {
  const processes: ServerProcess[] = [];
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.stop('SIGKILL')));
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function freshDatabase(dialect: 'sqlite' | 'postgres') {
    const database = await openTestDatabase(dialect);
    // The test only needs the location: the server processes open it themselves.
    await database.connection.close();
    cleanups.push(() => database.cleanup().catch(() => undefined));
    return database;
  }
  const envFor = (database: TestDatabase, file: string) => ({
    ENVDESK_DATA_DIR: database.options.dataDir,
    ...(database.options.databaseUrl ? { DATABASE_URL: database.options.databaseUrl } : {}),
    ENVDESK_ENVIRONMENTS_FILE: file,
  });

  it('refuses to start on an invalid file, saying which entry and field', async () => {
    const folder = tempFolder();
    cleanups.push(folder.cleanup);
    const file = folder.write('environments.yaml', [{ name: 'ghcr.io/org/ok:1' }, { name: 'ghcr.io/org/bad:1', matching: 'sometimes' }]);
    const database = await freshDatabase('sqlite');
    const server = spawnServer(envFor(database, file));
    processes.push(server);
    expect(await server.exited).toBe(1);
    expect(server.lines.join('\n')).toMatch(/could not start: .*has invalid entries:\n\s+- entry 2, matching: must be one of any, exact, none/);
  });

  itEachDialect('refuses to start on a YAML alias bomb, exiting instead of hanging, on %s', async (dialect) => {
    const folder = tempFolder();
    cleanups.push(folder.cleanup);
    const file = folder.write('environments.yaml', billionLaughs());
    const server = spawnServer(envFor(await freshDatabase(dialect), file));
    processes.push(server);
    // Before the limit the process sat at 100% CPU growing past 1.6 GB for minutes; the wait is
    // generous for a busy machine, and far below that.
    const exited = await Promise.race([server.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 30_000))]);
    expect(exited).toBe(1);
    expect(server.lines.join('\n')).toMatch(/could not start: .*aliases expand it by more than 1000000 values/);
  });

  it('refuses to start on a file over ENVDESK_ENVIRONMENTS_MAX_BYTES, naming the limit', async () => {
    const folder = tempFolder();
    cleanups.push(folder.cleanup);
    const file = folder.path('environments.json');
    writeEntries(file, 50);
    const server = spawnServer({ ...envFor(await freshDatabase('sqlite'), file), ENVDESK_ENVIRONMENTS_MAX_BYTES: '2048' });
    processes.push(server);
    expect(await server.exited).toBe(1);
    expect(server.lines.join('\n')).toMatch(/could not start: .* bytes, over the limit of 2048 bytes \(ENVDESK_ENVIRONMENTS_MAX_BYTES\)/);
  });

  itEachDialect('rolls back a 10,000-entry sync killed inside its transaction, and the next start syncs it all, on %s', async (dialect) => {
    const folder = tempFolder();
    cleanups.push(folder.cleanup);
    const file = folder.path('environments.json');
    writeEntries(file, 10_000);
    const database = await freshDatabase(dialect);

    const server = spawnServer(envFor(database, file));
    processes.push(server);
    await server.waitFor(/syncing environments file/);
    // The kill must land while the sync's transaction is open: its lock is the sign that it is.
    await waitUntil(() => syncLockHeld(database), 60_000);
    server.child.kill('SIGKILL');
    await server.exited;
    expect(await managedCount(database)).toBe(0);
    expect(await syncLockHeld(database)).toBe(false);

    const next = spawnServer(envFor(database, file));
    processes.push(next);
    const synced = JSON.parse(await next.waitFor(/environments file synced/, 60_000));
    expect(synced.create).toBe(10_000);
    await next.stop();
    expect(await managedCount(database)).toBe(10_000);
  }, 120_000);

  itOnPostgres('gives the result of one sync when two processes sync one file into one PostgreSQL', async () => {
    const folder = tempFolder();
    cleanups.push(folder.cleanup);
    const file = folder.path('environments.json');
    writeEntries(file, 500);
    const database = await freshDatabase('postgres');
    const first = spawnServer(envFor(database, file));
    const second = spawnServer(envFor(database, file));
    processes.push(first, second);
    await Promise.all([first.waitFor(/envdesk is listening/, 60_000), second.waitFor(/envdesk is listening/, 60_000)]);
    expect(await managedCount(database)).toBe(500);
    const synced = [...first.lines, ...second.lines].filter((line) => line.includes('environments file synced')).map((line) => JSON.parse(line));
    expect(synced.map((line) => line.create).sort()).toEqual([0, 500]);
  });
});
