import { ErrorCode } from '@envdesk/domain';
import { afterEach, expect, it } from 'vitest';
import { RETRY_AFTER_SECONDS } from '../http/error-middleware.js';
import { bundleArchive } from '../test/bundles.js';
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
import { describeEachDialect } from '../test/test-database.js';
import { startTestServer } from '../test/test-server.js';
import { CONTENT_DELETED } from './deploy-service.js';

describeEachDialect('a deploy racing a DELETE of its content on %s', (dialect) => {
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

describeEachDialect('a stopping server on %s', (dialect) => {
  it('refuses new deploys with a Connect-shaped 503 and Retry-After, and still answers about tasks', async () => {
    const server = await startTestServer({ dialect });
    try {
      const content = (await server.request('POST', '/__api__/v1/content', { body: {} })).body;
      await server.request('POST', `/__api__/v1/content/${content.guid}/bundles`, { rawBody: bundleArchive() });
      const before = await server.request('POST', `/__api__/v1/content/${content.guid}/deploy`, { body: {} });
      await server.app.services.deploy.settle();

      await server.app.services.taskRunner.drain(0);
      const refused = await server.request('POST', `/__api__/v1/content/${content.guid}/deploy`, { body: {} });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
      expect(refused.body).toEqual({ code: ErrorCode.InternalFailure, error: expect.stringContaining('shutting down'), payload: null });
      expect((await server.request('GET', `/__api__/v1/tasks/${before.body.task_id}`)).body).toMatchObject({ finished: true });
      // Nothing was recorded for the refused deploy.
      expect((await server.request('GET', `/__api__/v1/content/${content.guid}/deployments`)).body).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
