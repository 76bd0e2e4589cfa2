import { type LocalInstallations, SelectionExplanationSchema } from '@envdesk/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tarGz } from '../test/tar.js';
import { describeEachDialect } from '../test/test-database.js';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';

const LOCAL: LocalInstallations = {
  python: [{ version: '3.12.4', path: '/opt/python/3.12.4/bin/python' }],
  r: [],
  quarto: [{ version: '1.5.57', path: '/opt/quarto/1.5.57/bin/quarto' }],
};

/** A Flask API for Python 3.12.2, as posit-sdk-py's integration suite deploys it. */
const flaskManifest = (environment?: Record<string, unknown>) => ({
  version: 1,
  metadata: { appmode: 'python-api', entrypoint: 'app' },
  python: { version: '3.12.2', package_manager: { name: 'pip', version: '24.0', package_file: 'requirements.txt' } },
  files: { 'app.py': { checksum: 'a1' }, 'requirements.txt': { checksum: 'b2' } },
  ...(environment ? { environment } : {}),
});

const flaskApp = (manifest: unknown) =>
  tarGz([
    { path: './manifest.json', content: JSON.stringify(manifest) },
    { path: './app.py', content: 'from flask import Flask\napp = Flask(__name__)\n' },
    { path: './requirements.txt', content: 'flask==3.0.3\n' },
  ]);

interface Deployed {
  guid: string;
  bundleId: string;
  task: { code: number; error: string; output: string[] };
}

async function deploy(server: TestServer, as: TestUser, manifest: unknown): Promise<Deployed> {
  const guid = (await server.request('POST', '/__api__/v1/content', { as, body: {} })).body.guid as string;
  const uploaded = await server.request('POST', `/__api__/v1/content/${guid}/bundles`, { as, rawBody: flaskApp(manifest) });
  expect(uploaded.status).toBe(200);
  const started = await server.request('POST', `/__api__/v1/content/${guid}/deploy`, { as, body: { bundle_id: uploaded.body.id } });
  expect(started.status).toBe(202);
  const task = await server.request('GET', `/__api__/v1/tasks/${started.body.task_id}?wait=10`, { as });
  expect(task.body.finished).toBe(true);
  return { guid, bundleId: uploaded.body.id, task: task.body };
}

describeEachDialect('local execution on %s', (dialect) => {
  let server: TestServer;
  let publisher: TestUser;
  beforeAll(async () => {
    server = await startTestServer({ dialect, localInstallations: LOCAL });
    publisher = await server.addUser('publisher');
  });
  afterAll(async () => {
    await server.app.services.deploy.settle();
    await server.close();
  });

  it("builds on the server's own installations when there are no environments, and records Local as Connect does", async () => {
    const { guid, bundleId, task } = await deploy(server, publisher, flaskManifest());
    expect(task.code).toBe(0);
    expect(task.output).toContain("No environment qualifies: the content is built on the server's own installations (local execution).");
    expect(task.output.join('\n')).toMatch(/compatible with environment Local with Python version 3\.12\.4 from \/opt\/python\/3\.12\.4\/bin\/python/);

    const content = (await server.request('GET', `/__api__/v1/content/${guid}`, { as: publisher })).body;
    expect(content).toMatchObject({ cluster_name: 'Local', image_name: 'Local', environment_guid: null, py_version: '3.12.4', app_mode: 'python-api' });
    const bundle = (await server.request('GET', `/__api__/v1/content/${guid}/bundles/${bundleId}`, { as: publisher })).body;
    expect(bundle).toMatchObject({ cluster_name: 'Local', image_name: 'Local', environment_guid: null, py_version: '3.12.4', quarto_version: null });

    // The runtime cache is Local's; the environments list never shows it.
    const caches = (await server.request('GET', '/__api__/v1/system/caches/runtime')).body.caches;
    expect(caches).toContainEqual({ language: 'Python', version: '3.12.4', image_name: 'Local' });
    expect((await server.request('GET', '/__api__/v1/environments')).body).toEqual([]);
  });

  it('lists the local installations in server_settings with cluster and image Local', async () => {
    const python = await server.request('GET', '/__api__/v1/server_settings/python', { as: publisher });
    expect(python.body.installations).toContainEqual({ version: '3.12.4', cluster_name: 'Local', image_name: 'Local' });
    const quarto = await server.request('GET', '/__api__/v1/server_settings/quarto', { as: publisher });
    expect(quarto.body.installations).toEqual([{ version: '1.5.57', cluster_name: 'Local', image_name: 'Local' }]);
    expect((await server.request('GET', '/__api__/v1/server_settings/r', { as: publisher })).body.installations).toEqual([]);
  });

  it('shows Local in the explainer as the selected candidate after the rejected environments', async () => {
    const created = await server.request('POST', '/__api__/v1/environments', {
      body: { name: 'ghcr.io/org/py39:1', python: { installations: [{ version: '3.9.14', path: '/opt/python/3.9.14/bin/python' }] } },
    });
    try {
      const response = await server.request('POST', '/__api__/v1/environments/select', { as: publisher, body: { manifest: flaskManifest() } });
      expect(response.status).toBe(200);
      expect(SelectionExplanationSchema.safeParse(response.body).success).toBe(true);
      expect(response.body.failure).toBeNull();
      expect(response.body.candidates.map((candidate: { name: string; accepted: boolean }) => [candidate.name, candidate.accepted])).toEqual([
        ['Local', true],
        ['ghcr.io/org/py39:1', false],
      ]);
      expect(response.body.log).toContain("No environment qualifies: the content is built on the server's own installations (local execution).");
    } finally {
      await server.request('DELETE', `/__api__/v1/environments/${created.body.guid}`);
    }
  });

  it('prefers an environment that qualifies over Local', async () => {
    const created = await server.request('POST', '/__api__/v1/environments', {
      body: { name: 'ghcr.io/org/py312:1', python: { installations: [{ version: '3.12.7', path: '/opt/python/3.12.7/bin/python' }] } },
    });
    try {
      const { guid, task } = await deploy(server, publisher, flaskManifest());
      expect(task.code).toBe(0);
      expect(task.output.join('\n')).not.toMatch(/local execution/);
      const content = (await server.request('GET', `/__api__/v1/content/${guid}`, { as: publisher })).body;
      expect(content).toMatchObject({ cluster_name: 'Kubernetes', image_name: 'ghcr.io/org/py312:1', environment_guid: created.body.guid, py_version: '3.12.7' });
    } finally {
      await server.request('DELETE', `/__api__/v1/environments/${created.body.guid}`);
    }
  });

  it('never falls back to Local when the manifest requests an image', async () => {
    const { guid, task } = await deploy(server, publisher, flaskManifest({ image: 'ghcr.io/org/missing:1' }));
    expect(task.code).not.toBe(0);
    expect(task.error).toMatch(/requests the image ghcr\.io\/org\/missing:1/);
    expect(task.output.join('\n')).not.toMatch(/local execution/);
    expect((await server.request('GET', `/__api__/v1/content/${guid}`, { as: publisher })).body.image_name).toBeNull();
  });

  it('fails, saying so, when the local installations do not match the bundle either', async () => {
    const manifest = { ...flaskManifest(), python: { version: '3.8.10', package_manager: { name: 'pip', package_file: 'requirements.txt' } } };
    const { task } = await deploy(server, publisher, manifest);
    expect(task.code).not.toBe(0);
    expect(task.output.join('\n')).toMatch(/The server's own installations \(local execution\) do not qualify either: .*3\.12\.4/);
  });
});

describeEachDialect('without local execution on %s', (dialect) => {
  let server: TestServer;
  let publisher: TestUser;
  beforeAll(async () => {
    server = await startTestServer({ dialect });
    publisher = await server.addUser('publisher');
  });
  afterAll(async () => {
    await server.app.services.deploy.settle();
    await server.close();
  });

  it('fails a deploy when there are no environments, as before, and lists no installations', async () => {
    const { guid, task } = await deploy(server, publisher, flaskManifest());
    expect(task.code).not.toBe(0);
    expect(task.error).toMatch(/there are no environments/);
    expect(task.output.join('\n')).not.toMatch(/local execution/);
    expect((await server.request('GET', `/__api__/v1/content/${guid}`, { as: publisher })).body.image_name).toBeNull();
    expect((await server.request('GET', '/__api__/v1/server_settings/python', { as: publisher })).body.installations).toEqual([]);
  });
});
