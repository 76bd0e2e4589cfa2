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
import { CONTENT_DELETED } from './deploy-service.js';

describe.each(testDialects)('a deploy racing a DELETE of its content on %s', (dialect) => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('ends with an error, not a success, when the content is deleted while the deploy runs', async () => {
    const database = await databaseWithFleet(dialect);
    cleanups.push(() => database.cleanup());
    const server: ServerProcess = spawnServer(serverEnv(database));
    cleanups.push(() => server.stop('SIGKILL'));
    const url = await urlOf(server);
    const guid = await contentWithBundle(url);

    const held = await holdDeployInFlight(database, () => startDeploy(url, guid));
    if (dialect === 'postgres') {
      expect((await call(url, 'DELETE', `/v1/content/${guid}`)).status).toBe(204);
    } else {
      // SQLite's one writer is the holding connection, so the DELETE another replica (or the
      // administrator's CLI) would send runs there: the server under test is waiting on that lock.
      await held.sql('delete from content where guid = ?', [guid]);
    }
    await held.release();

    const task = await waitForFinishedTask(url, held.taskId);
    expect(task).toMatchObject({ finished: true, code: 1, error: CONTENT_DELETED });
    expect((await call(url, 'GET', `/v1/content/${guid}`)).status).toBe(404);
  }, 60_000);
});
