import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore } from '../db/store.js';
import { billionLaughs, tempFolder } from '../test/files.js';
import { type TestDatabase, openTestDatabase, testDialects } from '../test/test-database.js';
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
    expect(server.lines.join('\n')).toMatch(/could not start: .*has invalid entries:\n\s+- entry 1, matching: must be one of any, exact, none/);
  });

  it.each(testDialects)('refuses to start on a YAML alias bomb, exiting instead of hanging, on %s', async (dialect) => {
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

  it.each(testDialects)('leaves the old state or the new one, never a mix, when killed in the middle of a 10,000-entry sync on %s', async (dialect) => {
    const folder = tempFolder();
    cleanups.push(folder.cleanup);
    const file = folder.path('environments.json');
    writeEntries(file, 10_000);

    // A first, undisturbed run tells how long the sync takes here.
    const timing = await freshDatabase(dialect);
    const baseline = spawnServer(envFor(timing, file));
    processes.push(baseline);
    await baseline.waitFor(/syncing environments file/);
    const started = Date.now();
    await baseline.waitFor(/environments file synced/, 60_000);
    const syncMs = Date.now() - started;
    await baseline.stop();
    expect(await managedCount(timing)).toBe(10_000);

    const outcomes: number[] = [];
    for (const fraction of [0.2, 0.5, 0.8]) {
      const database = await freshDatabase(dialect);
      const server = spawnServer(envFor(database, file));
      processes.push(server);
      await server.waitFor(/syncing environments file/);
      await new Promise((resolve) => setTimeout(resolve, syncMs * fraction));
      server.child.kill('SIGKILL');
      await server.exited;
      outcomes.push(await managedCount(database));
    }
    for (const count of outcomes) expect([0, 10_000]).toContain(count);
  });

  // Like the dialect suites, this exists only where PostgreSQL does (CI sets TEST_DATABASE_URL).
  const onPostgres = process.env.TEST_DATABASE_URL ? it : () => undefined;
  onPostgres('gives the result of one sync when two processes sync one file into one PostgreSQL', async () => {
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
