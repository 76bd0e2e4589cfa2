import { afterEach, describe, expect, it } from 'vitest';
import { withLogContext } from './logger.js';
import { handleUncaughtException, logUnhandledRejection } from './process-errors.js';
import { tempFolder } from './test/files.js';
import { memoryLogger } from './test/memory-logger.js';
import { type ServerProcess, spawnServer } from './test/server-process.js';

describe('the process-level handlers', () => {
  it('log an unhandled rejection with the request and task it belonged to', () => {
    const { logger, lines } = memoryLogger();
    withLogContext({ request_id: 'r-1', method: 'POST', path: '/__api__/v1/content/x/deploy', user: 'ana' }, () =>
      withLogContext({ task_id: 't-9' }, () => logUnhandledRejection(logger)(new Error('deploy step forgot to await'))),
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 50,
      msg: expect.stringMatching(/unhandled promise rejection/),
      err: { message: 'deploy step forgot to await' },
      request_id: 'r-1',
      method: 'POST',
      path: '/__api__/v1/content/x/deploy',
      user: 'ana',
      task_id: 't-9',
    });
  });

  it.each([
    ['a dropped PostgreSQL connection', false, Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['a socket cut under a client', false, new Error('Connection terminated unexpectedly')],
    ['a bug', true, new TypeError("Cannot read properties of undefined (reading 'guid')")],
    ['a thrown non-error', true, 'oops'],
  ])('on an uncaught exception from %s, exits: %s', (_what, exits, error) => {
    const { logger, lines } = memoryLogger();
    const exitCodes: number[] = [];
    handleUncaughtException(logger, (code) => exitCodes.push(code))(error);
    expect(exitCodes).toEqual(exits ? [1] : []);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.level).toBe(exits ? 60 : 50);
  });
});

describe('a real server process meeting stray failures inside requests', () => {
  const processes: ServerProcess[] = [];
  const cleanups: Array<() => void> = [];
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.stop('SIGKILL')));
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  async function start(): Promise<{ server: ServerProcess; get: (path: string, stray?: string) => Promise<Response> }> {
    const folder = tempFolder();
    cleanups.push(folder.cleanup);
    const fixture = new URL('./test/stray-failures.mjs', import.meta.url).href;
    const server = spawnServer({
      ENVDESK_DATA_DIR: folder.path('data'),
      ENVDESK_BOOTSTRAP_API_KEY: 'process-errors-test-key-0123456789',
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${fixture}`,
    });
    processes.push(server);
    const { url } = JSON.parse(await server.waitFor(/envdesk is listening/)) as { url: string };
    const get = (path: string, stray?: string) =>
      fetch(`${url}${path}`, {
        headers: { authorization: 'Key process-errors-test-key-0123456789', ...(stray ? { 'x-test-stray': stray } : {}) },
      });
    return { server, get };
  }

  const logLine = async (server: ServerProcess, pattern: RegExp) => JSON.parse(await server.waitFor(pattern, 15_000)) as Record<string, unknown>;

  it('logs an unhandled rejection with its request and keeps serving', async () => {
    const { server, get } = await start();
    expect((await get('/__api__/v1/user', 'rejection')).status).toBe(200);
    const rejection = await logLine(server, /unhandled promise rejection/);
    expect(rejection).toMatchObject({
      err: { message: 'stray rejection from the test' },
      method: 'GET',
      path: '/__api__/v1/user',
      user: 'admin',
      request_id: expect.any(String),
    });
    const request = await logLine(server, new RegExp(`"request_id":"${String(rejection.request_id)}".*"msg":"request"`));
    expect(request).toMatchObject({ path: '/__api__/v1/user', status: 200 });

    // A pg-style 'error' event nobody listens to: logged, and the process goes on.
    expect((await get('/__api__/v1/user', 'connection-error')).status).toBe(200);
    expect(await logLine(server, /uncaught connection error/)).toMatchObject({ err: { message: 'Connection terminated unexpectedly' } });

    expect((await get('/__ping__')).status).toBe(200);
    expect((await get('/__api__/v1/user')).status).toBe(200);
    expect(server.child.exitCode).toBeNull();
  });

  it('logs any other uncaught exception as fatal and exits 1 for its supervisor to restart it', async () => {
    const { server, get } = await start();
    await get('/__api__/v1/user', 'bug').catch(() => undefined);
    expect(await server.exited).toBe(1);
    expect(server.lines.some((line) => /"level":60.*stray bug from the test.*uncaught exception/.test(line))).toBe(true);
  });
});
