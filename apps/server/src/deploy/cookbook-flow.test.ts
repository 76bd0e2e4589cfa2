import { ContentSchema, ErrorCode, TaskSchema } from '@envdesk/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleArchive, cookbookManifest } from '../test/bundles.js';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';

const IMAGE = 'registry.example.org/image-classifier:jammy';

/** The seed "immutable environments cookbook", step by step, through the API as its curl commands do. */
describe('cookbook: a custom image, requested by the content, with no package installation', () => {
  let server: TestServer;
  let publisher: TestUser;
  beforeAll(async () => {
    server = await startTestServer();
    publisher = await server.addUser('publisher');
  });
  afterAll(async () => {
    await server.app.services.deploy.settle();
    await server.close();
  });

  async function pollTask(taskId: string) {
    // As rsconnect-python does: first without `first`, then from `last`, waiting a second each time.
    const lines: string[] = [];
    let first: number | null = null;
    for (let round = 0; round < 50; round++) {
      const query = first === null ? '?wait=1' : `?first=${first}&wait=1`;
      const response = await server.request('GET', `/__api__/v1/tasks/${taskId}${query}`, { as: publisher });
      const task = TaskSchema.parse(response.body);
      lines.push(...task.output);
      first = task.last;
      if (task.finished) return { task, lines };
    }
    throw new Error('the task did not finish');
  }

  it('runs end to end with the log lines the cookbook shows', async () => {
    // 1. An administrator creates the environment, matching "exact" (only when requested).
    const environment = await server.request('POST', '/__api__/v1/environments', {
      rawBody: JSON.stringify({
        title: 'Custom image classifier',
        description: 'My custom image classifier environment',
        cluster_name: 'Kubernetes',
        name: IMAGE,
        matching: 'exact',
        r: { installations: [{ version: '4.2.3', path: '/opt/R/4.2.3/bin/R' }] },
        python: { installations: [{ version: '3.9.14', path: '/opt/python/3.9.14/bin/python' }] },
      }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(environment.status).toBe(200);
    // A compatible automatic candidate exists too: the request must win over it.
    await server.request('POST', '/__api__/v1/environments', {
      body: { name: 'ghcr.io/org/general:r4.2-py3.9', r: { installations: [{ version: '4.2.3', path: '/opt/R/4.2.3/bin/R' }] }, python: { installations: [{ version: '3.9.14', path: '/usr/bin/python3' }] } },
    });

    // 2. The publisher creates the content with the image and both management flags off.
    const content = ContentSchema.parse(
      (
        await server.request('POST', '/__api__/v1/content', {
          as: publisher,
          body: { name: 'my-image-classifier-app', default_image_name: IMAGE, default_r_environment_management: false, default_py_environment_management: false },
        })
      ).body,
    );

    // 3. Upload the bundle: curl --data-binary sends it with a form content type.
    const upload = await server.request('POST', `/__api__/v1/content/${content.guid}/bundles`, {
      as: publisher,
      rawBody: bundleArchive(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(upload.status).toBe(200);
    expect(upload.body).toMatchObject({ id: expect.stringMatching(/^\d+$/), content_guid: content.guid, active: false, image_name: null });

    // 4. Deploy it: 202 and a task.
    const deploy = await server.request('POST', `/__api__/v1/content/${content.guid}/deploy`, {
      as: publisher,
      body: { bundle_id: upload.body.id },
    });
    expect(deploy.status).toBe(202);
    expect(deploy.body).toEqual({ task_id: expect.any(String) });

    // 5. Poll the task and read the log.
    const { task, lines } = await pollTask(deploy.body.task_id);
    expect(task).toMatchObject({ finished: true, code: 0, error: '' });
    expect(lines).toContain(
      `Bundle created with R version 4.2.3 and Python version 3.9.14 is compatible with environment Kubernetes::${IMAGE} with R version 4.2.3 from /opt/R/4.2.3/bin/R and Python version 3.9.14 from /opt/python/3.9.14/bin/python`,
    );
    expect(lines).toContain('Bundle requested no R environment restore; no R packages will be installed.');
    expect(lines).toContain('Bundle requested no Python environment restore; no Python packages will be installed.');
    expect(lines.at(-1)).toBe('Launching Shiny application...');

    // 6. The result is recorded on the content and on the bundle.
    const deployed = (await server.request('GET', `/__api__/v1/content/${content.guid}`, { as: publisher })).body;
    expect(deployed).toMatchObject({
      bundle_id: upload.body.id,
      app_mode: 'shiny',
      environment_guid: environment.body.guid,
      image_name: IMAGE,
      cluster_name: 'Kubernetes',
      r_version: '4.2.3',
      py_version: '3.9.14',
      quarto_version: null,
      r_environment_management: false,
      py_environment_management: false,
      needs_rebuild: false,
    });
    const bundle = (await server.request('GET', `/__api__/v1/content/${content.guid}/bundles/${upload.body.id}`, { as: publisher })).body;
    expect(bundle).toMatchObject({ active: true, image_name: IMAGE, r_version: '4.2.3', py_version: '3.9.14', py_environment_management: false });
    expect(bundle.build_plan).toMatchObject({ image: IMAGE, restore_packages: { r: false, python: false }, supervisor: null });

    // 7. The deploy history keeps the log.
    const history = (await server.request('GET', `/__api__/v1/content/${content.guid}/deployments`, { as: publisher })).body;
    expect(history).toEqual([expect.objectContaining({ task_id: deploy.body.task_id, finished: true, code: 0, output: lines })]);

    // 8. The explainer judges the content's latest bundle when given no manifest.
    const explained = await server.request('POST', '/__api__/v1/environments/select', { as: publisher, body: { content_guid: content.guid } });
    expect(explained.body).toMatchObject({ request: { kind: 'content-image' }, selected_guid: environment.body.guid });
  });

  it('fails the deploy with every candidate and its reason when the requested image cannot run the bundle', async () => {
    const content = (await server.request('POST', '/__api__/v1/content', { as: publisher, body: { default_image_name: IMAGE } })).body;
    const archive = bundleArchive(cookbookManifest({ python: { version: '3.12.1' } }));
    const upload = await server.request('POST', `/__api__/v1/content/${content.guid}/bundles`, { as: publisher, rawBody: archive });
    const deploy = await server.request('POST', `/__api__/v1/content/${content.guid}/deploy`, { as: publisher, body: { bundle_id: null } });
    const { task, lines } = await pollTask(deploy.body.task_id);
    expect(task.code).not.toBe(0);
    expect(task.error).toMatch(/no|not/i);
    expect(lines.join('\n')).toContain('3.12');
    expect(lines.join('\n')).toContain(IMAGE);
    const after = (await server.request('GET', `/__api__/v1/content/${content.guid}`, { as: publisher })).body;
    expect(after.bundle_id).toBeNull();
    expect(upload.body.id).toBeDefined();
  });

  it('answers an unknown task with code 141, and hides other users\' tasks', async () => {
    const unknown = await server.request('GET', '/__api__/v1/tasks/nope', { as: publisher });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe(ErrorCode.TaskDoesNotExist);
    const content = (await server.request('POST', '/__api__/v1/content', { as: publisher, body: {} })).body;
    await server.request('POST', `/__api__/v1/content/${content.guid}/bundles`, { as: publisher, rawBody: bundleArchive() });
    const deploy = await server.request('POST', `/__api__/v1/content/${content.guid}/deploy`, { as: publisher, body: {} });
    const stranger = await server.addUser('publisher');
    expect((await server.request('GET', `/__api__/v1/tasks/${deploy.body.task_id}`, { as: stranger })).status).toBe(404);
    expect((await server.request('GET', `/__api__/v1/tasks/${deploy.body.task_id}?wait=1`)).status).toBe(200);
  });
});
