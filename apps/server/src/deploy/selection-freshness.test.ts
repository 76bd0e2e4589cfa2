import { TaskSchema } from '@envdesk/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bundleArchive, cookbookManifest } from '../test/bundles.js';
import { describeEachDialect } from '../test/test-database.js';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';

// Deploys and the explainer select from environments kept per revision (with their installation
// index): every change, made here or by another server on the same database, must count at once.
const r423 = { installations: [{ version: '4.2.3', path: '/opt/R/4.2.3/bin/R' }] };
const python = (version: string) => ({ installations: [{ version, path: `/opt/python/${version}/bin/python` }] });

describeEachDialect('selection after the environments change, on %s', (dialect) => {
  let server: TestServer;
  let publisher: TestUser;
  let content: string;
  let near: string;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    publisher = await server.addUser('publisher');
    near = (await server.request('POST', '/__api__/v1/environments', { body: { name: 'ghcr.io/org/near:1', title: 'Near', r: r423, python: python('3.9.2') } })).body.guid;
    content = (await server.request('POST', '/__api__/v1/content', { as: publisher, body: {} })).body.guid;
    const upload = await server.request('POST', `/__api__/v1/content/${content}/bundles`, { as: publisher, rawBody: bundleArchive(cookbookManifest()) });
    expect(upload.status).toBe(200);
  });
  afterAll(async () => {
    await server.app.services.deploy.settle();
    await server.close();
  });

  /** The explainer's choice for the cookbook bundle (R 4.2.3, Python 3.9.14), as the publisher sees it. */
  const explained = async () =>
    (await server.request('POST', '/__api__/v1/environments/select', { as: publisher, body: { manifest: cookbookManifest() } })).body;

  /** The environment a deploy of the content's bundle ran on, or its error. */
  async function deployedOn(): Promise<{ guid: string | null; error: string }> {
    const deploy = await server.request('POST', `/__api__/v1/content/${content}/deploy`, { as: publisher, body: {} });
    expect(deploy.status).toBe(202);
    for (let round = 0; round < 60; round++) {
      const task = TaskSchema.parse((await server.request('GET', `/__api__/v1/tasks/${deploy.body.task_id}?wait=1`, { as: publisher })).body);
      if (!task.finished) continue;
      const record = (await server.request('GET', `/__api__/v1/content/${content}`, { as: publisher })).body;
      return { guid: task.code === 0 ? record.environment_guid ?? null : null, error: task.error };
    }
    throw new Error('the deploy did not finish');
  }

  it('a new, closer environment is chosen by the next deploy; disabled or granted to someone else, it no longer is', async () => {
    expect(await deployedOn()).toMatchObject({ guid: near });

    const exact = (await server.request('POST', '/__api__/v1/environments', { body: { name: 'ghcr.io/org/exact:1', title: 'Exact', r: r423, python: python('3.9.14') } })).body.guid;
    expect((await explained()).selected_guid).toBe(exact);
    expect(await deployedOn()).toMatchObject({ guid: exact });

    // Another server on the same database turns it off: the revision it bumps reaches this one.
    await server.store.environments.update(exact, { matching: 'none' }, new Date().toISOString());
    expect(await deployedOn()).toMatchObject({ guid: near });

    await server.store.environments.update(exact, { matching: 'any' }, new Date().toISOString());
    const other = await server.addUser('publisher');
    const granted = await server.request('POST', `/__api__/v1/environments/${exact}/permissions`, { body: { user_guid: other.guid } });
    expect(granted.status).toBeLessThan(300);
    const answer = await explained();
    expect(answer.selected_guid).toBe(near);
    expect(answer.candidates.map((candidate: { guid: string }) => candidate.guid)).toEqual([near]);
    expect(await deployedOn()).toMatchObject({ guid: near });
  });

  it('an environment whose installations change is judged by its new ones', async () => {
    await server.store.environments.update(near, { python: python('3.8.10') }, new Date().toISOString());
    const answer = await explained();
    expect(answer.selected_guid).toBeNull();
    expect(answer.candidates[0].reasons).toEqual(['no Python 3.9 installation (has 3.8.10)']);
    expect((await deployedOn()).error).toContain('does not qualify');

    const removed = await server.request('DELETE', `/__api__/v1/environments/${near}`);
    expect(removed.status).toBeLessThan(300);
    expect((await explained()).candidates).toEqual([]);
  });
});
