import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tempFolder } from '../test/files.js';
import { type ServerProcess, spawnServer } from '../test/server-process.js';

/** The real server process, started as an operator would, with a hostile local execution setting. */
describe('local execution settings at start', () => {
  const folder = tempFolder();
  let server: ServerProcess | null = null;
  afterEach(async () => {
    await server?.stop();
    server = null;
  });
  afterAll(() => folder.cleanup());

  it('refuses to start on a path that escapes with "..", naming the variable', { timeout: 60_000 }, async () => {
    server = spawnServer({ ENVDESK_DATA_DIR: folder.dir, ENVDESK_LOCAL_PYTHON: '3.12.4=/opt/python/../../bin/sh' });
    expect(await server.exited).toBe(1);
    expect(server.lines.join('\n')).toMatch(/Invalid settings: ENVDESK_LOCAL_PYTHON: the path of Python 3\.12\.4 must not contain "\.\." segments/);
  });
});
