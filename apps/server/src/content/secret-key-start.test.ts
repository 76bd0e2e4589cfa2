import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tempFolder } from '../test/files.js';
import { type ServerProcess, spawnServer } from '../test/server-process.js';
import { SECRET_KEY_FILE } from './secret-key.js';

/** The real server process, started as an operator would, on one data folder across restarts. */
describe('the secret key across starts of the server', () => {
  const folder = tempFolder();
  const keyFile = path.join(folder.dir, SECRET_KEY_FILE);
  const apiKey = `start-test-${randomBytes(16).toString('hex')}`;
  let server: ServerProcess | null = null;
  afterEach(async () => {
    await server?.stop();
    server = null;
  });
  afterAll(() => folder.cleanup());

  const start = async (env: Record<string, string> = {}) => {
    server = spawnServer({ ENVDESK_DATA_DIR: folder.dir, ENVDESK_BOOTSTRAP_API_KEY: apiKey, ...env });
    const line = await server.waitFor(/envdesk is listening/);
    return (JSON.parse(line) as { url: string }).url;
  };
  const api = async (url: string, method: string, route: string, body?: unknown) => {
    const response = await fetch(`${url}/__api__${route}`, {
      method,
      headers: { authorization: `Key ${apiKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  it('is generated on the first start (0600), reused on the next, and a changed or damaged key is said at start', { timeout: 120_000 }, async () => {
    const value = `value-${randomBytes(8).toString('hex')}`;
    let url = await start();
    await server!.waitFor(/created the key that encrypts content environment variables: back it up with the database/);
    const key = readFileSync(keyFile, 'utf8');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const content = (await api(url, 'POST', '/v1/content', {})).body as { guid: string };
    expect(await api(url, 'PATCH', `/v1/content/${content.guid}/environment`, [{ name: 'TOKEN', value }])).toEqual({ status: 200, body: ['TOKEN'] });
    await server!.stop();

    await start();
    expect(readFileSync(keyFile, 'utf8')).toBe(key);
    expect(server!.lines.some((line) => line.includes('"source":"file"') && line.includes('secret key ready'))).toBe(true);
    expect(server!.lines.some((line) => line.includes('different key'))).toBe(false);
    await server!.stop();

    url = await start({ ENVDESK_SECRET_KEY: randomBytes(32).toString('base64') });
    const warning = JSON.parse(await server!.waitFor(/encrypted with a different key/)) as Record<string, unknown>;
    expect(warning).toMatchObject({ level: 50, variables: 1 });
    // The names are still there; only the values need the key.
    expect(await api(url, 'GET', `/v1/content/${content.guid}/environment`)).toEqual({ status: 200, body: ['TOKEN'] });
    await server!.stop();
    expect(server!.lines.join('\n')).not.toContain(value);

    writeFileSync(keyFile, 'damaged');
    server = spawnServer({ ENVDESK_DATA_DIR: folder.dir });
    expect(await server.exited).toBe(1);
    expect(server.lines.join('\n')).toMatch(/envdesk could not start: The key file .*secret\.key is damaged.*restore it from the backup/);
    expect(readFileSync(keyFile, 'utf8')).toBe('damaged');
  });

  it('refuses to start on a malformed ENVDESK_SECRET_KEY, naming the setting but not its text', { timeout: 60_000 }, async () => {
    server = spawnServer({ ENVDESK_DATA_DIR: folder.dir, ENVDESK_SECRET_KEY: 'hunter2-not-a-key' });
    expect(await server.exited).toBe(1);
    const output = server.lines.join('\n');
    expect(output).toMatch(/Invalid settings: ENVDESK_SECRET_KEY: must be 32 random bytes in base64/);
    expect(output).not.toContain('hunter2');
  });
});
