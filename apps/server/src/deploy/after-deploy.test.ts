import { ErrorCode } from '@envdesk/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cookbookManifest } from '../test/bundles.js';
import { tarGz } from '../test/tar.js';
import { describeEachDialect } from '../test/test-database.js';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';

const REQUIREMENTS = 'numpy==1.26.4\nshiny==0.10.2\n';
const RENV_LOCK = JSON.stringify({ R: { Version: '4.2.3' }, Packages: { shiny: { Package: 'shiny', Version: '1.7.4' } } }, null, 2);

const pythonApp = (appmode: string) =>
  tarGz([
    { path: './manifest.json', content: JSON.stringify(cookbookManifest({ platform: null, packages: null, metadata: { appmode, entrypoint: 'app:app' } })) },
    { path: './app.py', content: 'from shiny import App\n' },
    { path: './requirements.txt', content: REQUIREMENTS },
  ]);

const rApp = (files: { renvLock: boolean }) =>
  tarGz([
    { path: './manifest.json', content: JSON.stringify(cookbookManifest({ python: null, metadata: { appmode: 'rmd-static', primary_rmd: 'report.Rmd' } })) },
    { path: './report.Rmd', content: '# Report\n' },
    ...(files.renvLock ? [{ path: './renv.lock', content: RENV_LOCK }] : []),
  ]);

/** What posit-sdk-py and connectapi read once a deploy has finished: app_mode, the active bundle, the lockfile. */
describeEachDialect('after a deploy on %s', (dialect) => {
  let server: TestServer;
  let publisher: TestUser;
  beforeAll(async () => {
    server = await startTestServer({ dialect });
    publisher = await server.addUser('publisher');
    const created = await server.request('POST', '/__api__/v1/environments', {
      body: {
        name: 'ghcr.io/org/general:r4.2-py3.9',
        r: { installations: [{ version: '4.2.3', path: '/opt/R/4.2.3/bin/R' }] },
        python: { installations: [{ version: '3.9.14', path: '/opt/python/3.9.14/bin/python' }] },
      },
    });
    expect(created.status).toBe(200);
  });
  afterAll(async () => {
    await server.app.services.deploy.settle();
    await server.close();
  });

  async function newContent(): Promise<string> {
    return (await server.request('POST', '/__api__/v1/content', { as: publisher, body: {} })).body.guid;
  }

  async function upload(guid: string, archive: Buffer): Promise<string> {
    const response = await server.request('POST', `/__api__/v1/content/${guid}/bundles`, { as: publisher, rawBody: archive });
    expect(response.status).toBe(200);
    return response.body.id;
  }

  async function deploy(guid: string, bundleId: string): Promise<void> {
    const started = await server.request('POST', `/__api__/v1/content/${guid}/deploy`, { as: publisher, body: { bundle_id: bundleId } });
    expect(started.status).toBe(202);
    const task = await server.request('GET', `/__api__/v1/tasks/${started.body.task_id}?wait=10`, { as: publisher });
    expect(task.body).toMatchObject({ finished: true, code: 0 });
  }

  const lockfileOf = (guid: string, as: TestUser | null = publisher) => server.request('GET', `/__api__/v1/content/${guid}/lockfile`, { as });

  it("sets app_mode from the manifest, so the SDK's restart() and render() accept the content", async () => {
    const guid = await newContent();
    expect((await server.request('GET', `/__api__/v1/content/${guid}`, { as: publisher })).body.app_mode).toBe('unknown');

    await deploy(guid, await upload(guid, pythonApp('python-shiny')));
    expect((await server.request('GET', `/__api__/v1/content/${guid}`, { as: publisher })).body.app_mode).toBe('python-shiny');

    await deploy(guid, await upload(guid, rApp({ renvLock: true })));
    expect((await server.request('GET', `/__api__/v1/content/${guid}`, { as: publisher })).body.app_mode).toBe('rmd-static');
  });

  it('lists exactly the deployed bundle as active, as content.bundles.active() looks for it', async () => {
    const guid = await newContent();
    const deployed = await upload(guid, pythonApp('python-shiny'));
    const newer = await upload(guid, pythonApp('python-shiny'));
    await deploy(guid, deployed);

    const listed = (await server.request('GET', `/__api__/v1/content/${guid}/bundles`, { as: publisher })).body as Array<{ id: string; active: boolean }>;
    expect(listed.map(({ id, active }) => ({ id, active }))).toEqual([
      { id: newer, active: false },
      { id: deployed, active: true },
    ]);
    expect((await server.request('GET', `/__api__/v1/content/${guid}/bundles/${deployed}`, { as: publisher })).body.active).toBe(true);

    // Deploying the newer bundle moves the mark: one active bundle at a time.
    await deploy(guid, newer);
    const relisted = (await server.request('GET', `/__api__/v1/content/${guid}/bundles`, { as: publisher })).body as Array<{ id: string; active: boolean }>;
    expect(relisted.filter((bundle) => bundle.active).map((bundle) => bundle.id)).toEqual([newer]);
  });

  it("serves the active bundle's requirements.txt as Connect names and labels it", async () => {
    const guid = await newContent();
    await deploy(guid, await upload(guid, pythonApp('python-shiny')));

    const response = await lockfileOf(guid);
    expect(response.status).toBe(200);
    expect(response.text).toBe(REQUIREMENTS);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="?${guid}-requirements\\.txt\\.lock"?$`));
    // posit-sdk-py's get_lockfile() reads the Python version from this header.
    expect(response.headers.get('generated-by')).toMatch(/python=3\.9\.14$/);
    expect((await lockfileOf(guid, server.admin)).text).toBe(REQUIREMENTS);
  });

  it("serves an R bundle's renv.lock, and answers 404 with Connect's code when the bundle has none", async () => {
    const guid = await newContent();
    await deploy(guid, await upload(guid, rApp({ renvLock: true })));
    const response = await lockfileOf(guid);
    expect(response.status).toBe(200);
    expect(response.text).toBe(RENV_LOCK);
    expect(response.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="?${guid}-renv\\.lock"?$`));

    await deploy(guid, await upload(guid, rApp({ renvLock: false })));
    const missing = await lockfileOf(guid);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: ErrorCode.ObjectDoesNotExist, error: expect.stringContaining('renv.lock') });
  });

  it('answers 404 before any deploy, even with bundles uploaded', async () => {
    const guid = await newContent();
    await upload(guid, pythonApp('python-shiny'));
    const response = await lockfileOf(guid);
    expect(response.status).toBe(404);
    expect(response.body.code).toBe(ErrorCode.ObjectDoesNotExist);
  });

  it('keeps the lockfile from viewers, other publishers and anonymous callers', async () => {
    const guid = await newContent();
    // Open to every signed-in user: seeing content is not reading what it is built from.
    await server.request('PATCH', `/__api__/v1/content/${guid}`, { body: { access_type: 'logged_in' } });
    await deploy(guid, await upload(guid, pythonApp('python-shiny')));
    expect((await lockfileOf(guid, await server.addUser('viewer'))).status).toBe(403);
    expect((await lockfileOf(guid, await server.addUser('publisher'))).status).toBe(403);
    expect((await lockfileOf(guid, null)).status).toBe(401);
  });
});
