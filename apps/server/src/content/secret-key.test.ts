import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SECRET_KEY_FILE, loadSecretKey } from './secret-key.js';

describe('the key that seals content environment variables', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'envdesk-key-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));
  const keyFile = () => path.join(dataDir, SECRET_KEY_FILE);

  it('is generated on the first start into the data folder, readable by its owner only, and reused on the next', async () => {
    const first = await loadSecretKey({ configured: undefined, dataDir: path.join(dataDir, 'not-yet-made') });
    expect(first.source).toBe('new file');
    expect(first.key).toHaveLength(32);
    expect(statSync(first.file!).mode & 0o777).toBe(0o600);
    expect(readFileSync(first.file!, 'utf8')).toBe(`${first.key.toString('base64')}\n`);

    const second = await loadSecretKey({ configured: undefined, dataDir: path.join(dataDir, 'not-yet-made') });
    expect(second).toEqual({ key: first.key, source: 'file', file: first.file });
  });

  it('is one key when several starts on the same data folder race to create it, and leaves no temporary file', async () => {
    const loaded = await Promise.all(Array.from({ length: 8 }, () => loadSecretKey({ configured: undefined, dataDir })));
    expect(new Set(loaded.map(({ key }) => key.toString('base64')))).toEqual(new Set([readFileSync(keyFile(), 'utf8').trim()]));
    expect(loaded.filter(({ source }) => source === 'new file')).toHaveLength(1);
    expect(readdirSync(dataDir)).toEqual([SECRET_KEY_FILE]);
  });

  it('is ENVDESK_SECRET_KEY when set, and then no file is written', async () => {
    const configured = randomBytes(32);
    expect(await loadSecretKey({ configured, dataDir })).toEqual({ key: configured, source: 'ENVDESK_SECRET_KEY', file: null });
    expect(existsSync(keyFile())).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['truncated', randomBytes(32).toString('base64').slice(0, 20)],
    ['not base64', 'this is not a key at all, just some words!!'],
  ])('refuses to start on a damaged (%s) key file, saying so, and leaves the file as it was', async (_label, text) => {
    writeFileSync(keyFile(), text);
    await expect(loadSecretKey({ configured: undefined, dataDir })).rejects.toThrow(
      `The key file ${keyFile()} is damaged: it must be 32 random bytes in base64`,
    );
    expect(readFileSync(keyFile(), 'utf8')).toBe(text);
  });
});
