import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { afterAll, describe, expect } from 'vitest';
import { COOKBOOK_IMAGE, cookbookJourney } from './test/cookbook-journey.js';
import { tempFolder } from './test/files.js';
import { type RoundRobinProxy, startRoundRobinProxy } from './test/round-robin-proxy.js';
import { type ServerProcess, spawnServer } from './test/server-process.js';
import { type TestDatabase, itOnPostgres, openTestDatabase } from './test/test-database.js';

const API_KEY = randomBytes(20).toString('hex');

async function listening(server: ServerProcess): Promise<string> {
  return JSON.parse(await server.waitFor(/envdesk is listening/, 60_000)).url as string;
}

/** Two envdesk processes on one PostgreSQL behind one address behave as one envdesk. */
describe('replicas behind a load balancer', () => {
  const folder = tempFolder();
  const servers: ServerProcess[] = [];
  const databases: TestDatabase[] = [];
  let proxy: RoundRobinProxy | null = null;
  afterAll(async () => {
    await proxy?.close();
    await Promise.all(servers.map((server) => server.stop()));
    for (const database of databases) await database.cleanup();
    folder.cleanup();
  });

  async function replicaSettings(name: string) {
    const database = await openTestDatabase('postgres');
    databases.push(database);
    const environmentsFile = path.join(folder.dir, `${name}.yaml`);
    writeFileSync(environmentsFile, 'executionEnvironments:\n  - name: ghcr.io/org/from-the-file:1\n    title: From the file\n');
    return { database, env: { DATABASE_URL: database.options.databaseUrl!, ENVDESK_DATA_DIR: path.join(folder.dir, name), ENVDESK_BOOTSTRAP_API_KEY: API_KEY, ENVDESK_ENVIRONMENTS_FILE: environmentsFile, ENVDESK_SECRET_KEY: randomBytes(32).toString('base64') } };
  }

  itOnPostgres('run the cookbook through one address with the result of one process; sign-in, tasks and the file sync are shared', async () => {
    const single = await replicaSettings('single');
    const alone = spawnServer(single.env);
    servers.push(alone);
    const expected = await cookbookJourney(await listening(alone), API_KEY);
    expect(expected.task).toEqual({ finished: true, code: 0, error: '' });
    expect(expected.content).toMatchObject({ chose_the_environment: true, image_name: COOKBOOK_IMAGE });

    const shared = await replicaSettings('shared');
    const first = spawnServer({ ...shared.env, ENVDESK_DATA_DIR: path.join(folder.dir, 'a') });
    servers.push(first);
    const firstUrl = await listening(first);
    const second = spawnServer({ ...shared.env, ENVDESK_DATA_DIR: path.join(folder.dir, 'b') });
    servers.push(second);
    const secondUrl = await listening(second);
    for (const url of [firstUrl, secondUrl]) expect((await fetch(`${url}/__ready__`)).status).toBe(200);
    proxy = await startRoundRobinProxy([firstUrl, secondUrl]);

    const through = await cookbookJourney(proxy.url, API_KEY);
    expect(through).toEqual(expected);
    // Both replicas served the journey, and its steps alternated between them.
    expect(new Set(proxy.served)).toEqual(new Set([0, 1]));

    // Both replicas synced the same file: the environment exists once, created once.
    const environments = (await fetch(`${proxy.url}/__api__/v1/environments`, { headers: { authorization: `Key ${API_KEY}` } }).then((response) => response.json())) as Array<{ name: string }>;
    expect(environments.filter((environment) => environment.name === 'ghcr.io/org/from-the-file:1')).toHaveLength(1);
    const created = await shared.database.connection.db
      .selectFrom('audit_events')
      .select('id')
      .where('action', '=', 'add_environment')
      .where('via', '=', 'file')
      .execute();
    expect(created).toHaveLength(1);

    // A browser with the Environments tab open on the second replica sees a change made through
    // the first, without a reload: the event travels through PostgreSQL's LISTEN/NOTIFY.
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage();
      await page.goto(`${secondUrl}/environments`);
      await page.getByLabel('Username').fill('admin');
      await page.getByLabel('Password').fill('test-password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Environments' }).waitFor();
      await page.getByRole('link', { name: 'From the file' }).waitFor();
      const added = await fetch(`${firstUrl}/__api__/v1/environments`, {
        method: 'POST',
        headers: { authorization: `Key ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'ghcr.io/org/made-on-replica-a:1', title: 'Made on replica A' }),
      });
      expect(added.status).toBe(200);
      await page.getByRole('link', { name: 'Made on replica A' }).waitFor({ timeout: 10_000 });
    } finally {
      await browser.close();
    }
  }, 180_000);
});
