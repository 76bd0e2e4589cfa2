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
import { testDialects } from '../test/test-database.js';
import { INTERRUPTED_BY_RESTART, INTERRUPTED_LINE } from './task-runner.js';

/** Small, so a killed server's tasks go stale within the test; the default is 30 s. */
const STALE = { ENVDESK_TASK_STALE_MS: '1500' };

describe.each(testDialects)('deploy tasks across crashes and restarts on %s', (dialect) => {
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
    expect(history.body).toEqual([expect.objectContaining({ task_id: held.taskId, finished: true, error: INTERRUPTED_BY_RESTART })]);
    await second.waitFor(/finished tasks whose server stopped heartbeating as interrupted/);
  }, 60_000);
});
