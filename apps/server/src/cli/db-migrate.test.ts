import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { bundleArchive } from '../test/bundles.js';
import { tempFolder } from '../test/files.js';
import { type ServerProcess, spawnServer } from '../test/server-process.js';
import { type TestDatabase, itOnPostgres, openTestDatabase } from '../test/test-database.js';
import { parseMigrateArguments } from './db-command.js';
import { runCli } from './envdesk.js';

const API_KEY = randomBytes(20).toString('hex');

async function started(server: ServerProcess): Promise<string> {
  const line = await server.waitFor(/envdesk is listening/, 60_000);
  return JSON.parse(line).url as string;
}

async function api(base: string, method: string, route: string, body?: unknown): Promise<{ status: number; json: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  const response = await fetch(`${base}/__api__${route}`, {
    method,
    headers: { authorization: `Key ${API_KEY}`, ...(body === undefined || body instanceof Uint8Array ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : body instanceof Uint8Array ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, (text) => (out += text), (text) => (err += text), env);
  return { code, out, err };
}

/** What a user made, read through the API: it must be the same before and after the move. */
async function snapshot(base: string) {
  const environments = (await api(base, 'GET', '/v1/environments')).json as Array<{ guid: string }>;
  const permissions = await Promise.all(environments.map(async (environment) => (await api(base, 'GET', `/v1/environments/${environment.guid}/permissions`)).json));
  const content = (await api(base, 'GET', '/v1/content')).json as Array<{ guid: string }>;
  const bundles = await Promise.all(content.map(async (item) => (await api(base, 'GET', `/v1/content/${item.guid}/bundles`)).json));
  const variables = await Promise.all(content.map(async (item) => (await api(base, 'GET', `/v1/content/${item.guid}/environment`)).json));
  const deployments = await Promise.all(content.map(async (item) => (await api(base, 'GET', `/v1/content/${item.guid}/deployments`)).json));
  const users = (await api(base, 'GET', '/v1/users')).json;
  const groups = (await api(base, 'GET', '/v1/groups')).json;
  // Addresses name the server's port, which is another one after the move.
  return JSON.parse(JSON.stringify({ environments, permissions, content, bundles, deployments, variables, users, groups }).replaceAll(base, 'BASE')) as {
    environments: Array<{ guid: string; id: string }>;
  };
}

describe('envdesk db migrate: a SQLite-born envdesk moves to PostgreSQL', () => {
  const folder = tempFolder();
  const databases: TestDatabase[] = [];
  let server: ServerProcess | null = null;
  afterEach(async () => {
    await server?.stop();
    server = null;
  });
  afterAll(async () => {
    for (const database of databases) await database.cleanup();
    folder.cleanup();
  });

  /** A fresh, migrated PostgreSQL database with nothing in it, and its URL. */
  async function emptyPostgres(): Promise<string> {
    const database = await openTestDatabase('postgres');
    databases.push(database);
    return database.options.databaseUrl!;
  }

  itOnPostgres('keeps every GUID, permission, API key, bundle and variable, and refuses what would lose data', async () => {
    const dataDir = path.join(folder.dir, 'data');
    const environmentsFile = path.join(folder.dir, 'environments.yaml');
    writeFileSync(environmentsFile, 'executionEnvironments:\n  - name: ghcr.io/org/from-the-file:1\n    title: From the file\n    python:\n      installations:\n        - version: 3.12.4\n          path: /opt/python/3.12.4/bin/python\n');
    const settings = { ENVDESK_DATA_DIR: dataDir, ENVDESK_DEMO: '1', ENVDESK_BOOTSTRAP_API_KEY: API_KEY, ENVDESK_ENVIRONMENTS_FILE: environmentsFile };
    server = spawnServer(settings);
    let base = await started(server);
    const content = await api(base, 'POST', '/v1/content', { name: 'moving-report', title: 'Moving report' });
    expect(content.status).toBe(200);
    const bundle = await api(base, 'POST', `/v1/content/${content.json.guid}/bundles`, new Uint8Array(bundleArchive()));
    expect(bundle.status).toBe(200);
    expect((await api(base, 'PATCH', `/v1/content/${content.json.guid}/environment`, [{ name: 'SECRET_TOKEN', value: 'kept-secret' }])).status).toBe(200);
    // Deployed on an environment that can run it: the build, its task and its job move too.
    const image = await api(base, 'POST', '/v1/environments', {
      name: 'registry.example.org/image-classifier:jammy',
      r: { installations: [{ version: '4.2.3', path: '/opt/R/4.2.3/bin/R' }] },
      python: { installations: [{ version: '3.9.14', path: '/opt/python/3.9.14/bin/python' }] },
    });
    expect(image.status).toBe(200);
    const deploy = await api(base, 'POST', `/v1/content/${content.json.guid}/deploy`, { bundle_id: bundle.json.id });
    expect(deploy.status).toBe(202);
    for (let round = 0; !(await api(base, 'GET', `/v1/tasks/${deploy.json.task_id}?wait=1`)).json.finished; round++) expect(round).toBeLessThan(30);
    expect((await api(base, 'GET', `/v1/content/${content.json.guid}`)).json).toMatchObject({ bundle_id: bundle.json.id, environment_guid: image.json.guid });
    const before = await snapshot(base);
    expect(before.environments.length).toBeGreaterThan(3);

    const url = await emptyPostgres();
    // While the server runs, a copy would miss what it writes next.
    const refused = await cli(['db', 'migrate', '--from', dataDir, '--to', url]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/is open in process \d+: stop envdesk first/);
    await server.stop();

    const moved = await cli(['db', 'migrate', '--from', dataDir, '--to', url]);
    expect(moved.err).not.toMatch(/envdesk: /);
    expect(moved.code).toBe(0);
    expect(moved.out).toMatch(/every table's rows and checksum match/);
    expect(moved.out).toContain('Next: start envdesk with DATABASE_URL=');
    expect(moved.err).toContain('100%');

    server = spawnServer({ ...settings, ENVDESK_DEMO: '', DATABASE_URL: url });
    base = await started(server);
    expect(await snapshot(base)).toEqual(before);
    // The bundle's bytes came along, and new rows get new ids after the copied ones.
    const download = await fetch(`${base}/__api__/v1/content/${content.json.guid}/bundles/${bundle.json.id}/download`, { headers: { authorization: `Key ${API_KEY}` } });
    expect(Buffer.from(await download.arrayBuffer()).equals(bundleArchive())).toBe(true);
    const added = await api(base, 'POST', '/v1/environments', { name: 'ghcr.io/org/after-the-move:1' });
    expect(added.status).toBe(200);
    expect(Number(added.json.id)).toBeGreaterThan(Math.max(...before.environments.map((environment) => Number(environment.id))));
    await server.stop();
    server = null;

    // A target that now holds data is refused, unless replaced.
    const again = await cli(['db', 'migrate', '--from', dataDir, '--to', url]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already holds data .*--replace/);
    expect((await cli(['db', 'migrate', '--from', dataDir, '--to', url, '--replace'])).code).toBe(0);
    const checked = await cli(['db', 'check'], { DATABASE_URL: url });
    expect(checked.code).toBe(0);
    expect(checked.out).toMatch(/schema version: \d{4}-/);
    expect(checked.out).toMatch(new RegExp(`environments +${before.environments.length}\\n`));
  }, 180_000);

  itOnPostgres('leaves the target empty when a row cannot be copied half way through', async () => {
    const dataDir = path.join(folder.dir, 'broken');
    // A database with some rows, then one PostgreSQL refuses (SQLite keeps NUL in text, PostgreSQL does not).
    server = spawnServer({ ENVDESK_DATA_DIR: dataDir, ENVDESK_DEMO: '1', ENVDESK_BOOTSTRAP_API_KEY: API_KEY });
    await started(server);
    await server.stop();
    server = null;
    const sqlite = new SQLite(path.join(dataDir, 'envdesk.db'));
    sqlite.prepare(`update users set first_name = 'Nul' || char(0) || 'Byte' where username = 'vic'`).run();
    sqlite.close();

    const url = await emptyPostgres();
    const failed = await cli(['db', 'migrate', '--from', dataDir, '--to', url]);
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/copying users failed/);
    const database = databases.at(-1)!;
    const counts = await Promise.all(
      (['environments', 'users', 'groups', 'environment_permissions', 'audit_events'] as const).map(async (table) =>
        Number((await database.connection.db.selectFrom(table).select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
      ),
    );
    expect(counts).toEqual([0, 0, 0, 0, 0]);
  }, 120_000);
});

describe('envdesk db migrate arguments', () => {
  it.each([
    [['--to', 'postgres://h/db'], '--from is required'],
    [['--from', 'data'], '--to is required'],
    [['--from', 'data', '--to', 'mysql://h/db'], '--to must be a PostgreSQL URL'],
    [['--from', 'data', '--to', 'not a url'], '--to must be a PostgreSQL URL'],
    [['--from', '', '--to', 'postgres://h/db'], '--from must name the data folder'],
    [['--from', 'data', '--to', 'postgres://h/db', '--force'], "Unknown option '--force'"],
  ])('%j is refused: %s', (args, problem) => {
    const parsed = parseMigrateArguments(args);
    expect('problem' in parsed && parsed.problem).toContain(problem);
  });

  it('reads a complete command', () => {
    expect(parseMigrateArguments(['--from', 'data', '--to', 'postgresql://u:p@h:5432/db', '--replace'])).toEqual({ from: 'data', to: 'postgresql://u:p@h:5432/db', replace: true });
  });
});
