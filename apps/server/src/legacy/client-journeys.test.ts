import { aCreateEnvironmentInput } from '@envdesk/domain/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test/test-database.js';
import { tarGz } from '../test/tar.js';
import { type RequestOptions, type TestResponse, type TestServer, type TestUser, startTestServer } from '../test/test-server.js';

/**
 * The HTTP calls rsconnect-python and the R package rsconnect make, in their order, replayed
 * against a real server (neither client can be installed here). Each step asserts what the client
 * reads from the answer; a client raises on any answer outside 2xx unless noted.
 */

const IMAGE = 'ghcr.io/example/connect-runtime:r4.3-py3.11';

/** What `rsconnect deploy api` bundles: its manifest, the entry point and requirements.txt. */
function pythonApiBundle(greeting: string): Buffer {
  const manifest = {
    version: 1,
    locale: 'en_US.UTF-8',
    metadata: { appmode: 'python-api', entrypoint: 'app' },
    python: { version: '3.11.3', package_manager: { name: 'pip', version: '23.0.1', package_file: 'requirements.txt' } },
    files: { 'app.py': { checksum: 'a1' }, 'requirements.txt': { checksum: 'b2' } },
  };
  return tarGz([
    { path: 'manifest.json', content: JSON.stringify(manifest, null, 2) },
    { path: 'app.py', content: `from flask import Flask\napp = Flask(__name__)\n@app.route("/")\ndef hello():\n    return "${greeting}"\n` },
    { path: 'requirements.txt', content: 'flask==3.0.3\n' },
  ]);
}

/** What R's `deployApp()` bundles for a Shiny app. */
function shinyBundle(): Buffer {
  const manifest = {
    version: 1,
    locale: 'en_US',
    platform: '4.3.2',
    metadata: { appmode: 'shiny', primary_rmd: null, primary_html: null, content_category: null, has_parameters: false },
    packages: { shiny: { Source: 'CRAN', Repository: 'https://cloud.r-project.org', description: { Package: 'shiny', Version: '1.8.0' } } },
    files: { 'app.R': { checksum: 'c3' } },
    users: null,
  };
  return tarGz([
    { path: 'manifest.json', content: JSON.stringify(manifest, null, 2) },
    { path: 'app.R', content: 'library(shiny)\nshinyApp(fluidPage("hi"), function(input, output) {})\n' },
  ]);
}

/** A client's view of the server: every call logged as `METHOD path status`, in order. */
function clientFor(server: TestServer, user: TestUser) {
  const calls: string[] = [];
  async function call(method: string, path: string, options: RequestOptions = {}, accept: (status: number) => boolean = (status) => status >= 200 && status < 300): Promise<TestResponse> {
    const response = await server.request(method, path, { as: user, ...options });
    calls.push(`${method} ${path.replace(/\?.*$/, '')} ${response.status}`);
    if (!accept(response.status)) throw new Error(`${method} ${path} answered ${response.status}: ${response.text.slice(0, 500)}`);
    return response;
  }
  return { calls, call };
}

describeEachDialect('replayed client journeys on %s', (dialect) => {
  let server: TestServer;
  let publisher: TestUser;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    publisher = await server.addUser('publisher');
    const environment = await server.request('POST', '/__api__/v1/environments', {
      body: aCreateEnvironmentInput({
        name: IMAGE,
        matching: 'any',
        r: { installations: [{ version: '4.3.2', path: '/opt/R/4.3.2/bin/R' }] },
        python: { installations: [{ version: '3.11.3', path: '/opt/python/3.11.3/bin/python3' }] },
      }),
    });
    expect(environment.status).toBe(200);
  });
  afterAll(async () => {
    await server.app.services.deploy.settle();
    await server.close();
  });

  it('rsconnect-python: deploy api -E, redeploy with --app-id <number>, then rsconnect details', async () => {
    const { calls, call } = clientFor(server, publisher);

    /** wait_for_task: `?wait=1`, then `?first=<last>&wait=1` until finished; a non-zero code raises. */
    async function waitForTask(taskId: string): Promise<string[]> {
      const lines: string[] = [];
      let first: number | null = null;
      for (let round = 0; round < 60; round++) {
        const query: string = first === null ? 'wait=1' : `first=${first}&wait=1`;
        const task = (await call('GET', `/__api__/v1/tasks/${taskId}?${query}`)).body as { output: string[]; last: number; finished: boolean; code: number; error: string };
        lines.push(...task.output);
        first = task.last;
        if (task.finished) {
          expect(task.code, lines.join('\n')).toBe(0);
          expect(task.error).toBe('');
          return lines;
        }
      }
      throw new Error('the task did not finish');
    }

    /** One `rsconnect deploy api` run: `appId` null for a new deploy, else what --app-id was given. */
    async function deployApi(options: { appId: string | null; title: string; env: Record<string, string>; greeting: string }) {
      // The starlette check, then validate_server (a URL from the command line is checked, and the key).
      for (let round = 0; round < 2; round++) {
        const settings = (await call('GET', '/__api__/server_settings')).body;
        expect(settings.version).toMatch(/^\d{4}\.\d{2}\.\d+$/);
      }
      expect((await call('GET', '/__api__/v1/user')).body.username).toBe(publisher.username);

      // validate_app_mode: --app-id is looked up on the server (a number through the unversioned API).
      const lookUp = async (appId: string) => {
        const legacy = (await call('GET', `/__api__/applications/${appId}`)).body;
        return (await call('GET', `/__api__/v1/content/${legacy.guid}`)).body;
      };
      if (options.appId !== null) expect((await lookUp(options.appId)).app_mode).toBe('python-api');

      // make_bundle: a new deploy's name is made unique against what exists.
      const name = options.title.toLowerCase().replace(/[^a-z0-9_ -]+/g, '').replace(/ /g, '_');
      if (options.appId === null) expect((await call('GET', `/__api__/v1/content?name=${name}`)).body).toEqual([]);

      // deploy_bundle: a draft, since the server reports 2025.06.0 or later.
      const draft = (await call('GET', '/__api__/server_settings')).body.version >= '2025.06.0';
      expect(draft).toBe(true);
      const app = options.appId === null ? (await call('POST', '/__api__/v1/content', { body: { name } })).body : await lookUp(options.appId);
      if (Object.keys(options.env).length > 0) {
        const patched = await call('PATCH', `/__api__/v1/content/${app.guid}/environment`, { body: Object.entries(options.env).map(([key, value]) => ({ name: key, value })) });
        expect(patched.body).toEqual(expect.arrayContaining(Object.keys(options.env)));
      }
      if (options.appId === null) {
        const titled = (await call('PATCH', `/__api__/v1/content/${app.guid}`, { body: { title: options.title } })).body;
        expect(titled.title).toBe(options.title);
      }
      const bundle = (await call('POST', `/__api__/v1/content/${app.guid}/bundles`, { rawBody: pythonApiBundle(options.greeting) })).body;
      expect(bundle.id).toMatch(/^\d+$/);
      const deploy = (await call('POST', `/__api__/v1/content/${app.guid}/deploy`, { body: { bundle_id: bundle.id, activate: false } })).body;
      const deployed = {
        task_id: deploy.task_id as string,
        app_id: app.id as string,
        app_guid: app.guid as string,
        app_url: app.content_url as string,
        dashboard_url: app.dashboard_url as string,
        draft_url: `${app.dashboard_url}/draft/${bundle.id}`,
        bundle_id: bundle.id as string,
      };
      // save_deployed_info keeps app_id (a number as text) and the GUID; emit_task_log follows the build.
      expect(deployed.app_id).toMatch(/^\d+$/);
      expect(deployed.app_url).toBe(`${server.url}/content/${app.guid}/`);
      expect((await waitForTask(deployed.task_id)).join('\n')).toMatch(/draft/i);

      // verify_deployment: the draft's own URL, outside the API; only a 5xx fails the deploy.
      await call('GET', `/content/${app.guid}/_bundle${bundle.id}/`, { headers: {} }, (status) => status < 500);
      // activate_deployment: the same bundle deployed with activate=true, then its log.
      const activation = (await call('POST', `/__api__/v1/content/${app.guid}/deploy`, { body: { bundle_id: bundle.id, activate: true } })).body;
      await waitForTask(activation.task_id);
      return deployed;
    }

    // 1. rsconnect deploy api -E GREETING=hello --title "Prices API" ./api
    const first = await deployApi({ appId: null, title: 'Prices API', env: { GREETING: 'hello', API_TOKEN: 's3cret' }, greeting: 'v1' });
    const afterFirst = (await server.request('GET', `/__api__/v1/content/${first.app_guid}`, { as: publisher })).body;
    expect(afterFirst).toMatchObject({ name: 'prices_api', title: 'Prices API', bundle_id: first.bundle_id, app_mode: 'python-api', image_name: IMAGE, py_version: '3.11.3' });

    // 2. rsconnect deploy api --app-id <number> -E GREETING=bonjour ./api (no --title: the title is kept)
    const second = await deployApi({ appId: first.app_id, title: 'api', env: { GREETING: 'bonjour' }, greeting: 'v2' });
    expect(second).toMatchObject({ app_id: first.app_id, app_guid: first.app_guid, app_url: first.app_url });
    expect(second.bundle_id).not.toBe(first.bundle_id);
    const afterSecond = (await server.request('GET', `/__api__/v1/content/${first.app_guid}`, { as: publisher })).body;
    expect(afterSecond).toMatchObject({ title: 'Prices API', bundle_id: second.bundle_id, app_mode: 'python-api' });
    // Variables are merged: the second run changed one and kept the other.
    const variables = (await server.request('GET', `/__api__/v1/content/${first.app_guid}/environment`, { as: publisher })).body;
    expect([...variables].sort()).toEqual(['API_TOKEN', 'GREETING']);
    const bundles = (await server.request('GET', `/__api__/v1/content/${first.app_guid}/bundles`, { as: publisher })).body;
    expect(bundles.filter((item: { active: boolean }) => item.active).map((item: { id: string }) => item.id)).toEqual([second.bundle_id]);

    // 3. rsconnect details: the version, the Python versions it lists, and whether APIs are allowed.
    const settings = (await call('GET', '/__api__/server_settings')).body;
    await call('GET', '/__api__/v1/user');
    const python = (await call('GET', '/__api__/v1/server_settings/python')).body;
    expect(settings.version).toMatch(/^\d{4}\.\d{2}\.\d+$/);
    expect(python.installations.map((item: { version: string }) => item.version)).toEqual(['3.11.3']);
    expect(python.api_enabled).toBe(true);

    // Every call the client made, in order, and each answered as the client needs.
    const firstRun = [
      'GET /__api__/server_settings 200',
      'GET /__api__/server_settings 200',
      'GET /__api__/v1/user 200',
      'GET /__api__/v1/content 200',
      'GET /__api__/server_settings 200',
      'POST /__api__/v1/content 200',
      `PATCH /__api__/v1/content/${first.app_guid}/environment 200`,
      `PATCH /__api__/v1/content/${first.app_guid} 200`,
      `POST /__api__/v1/content/${first.app_guid}/bundles 200`,
      `POST /__api__/v1/content/${first.app_guid}/deploy 202`,
    ];
    expect(calls.slice(0, firstRun.length)).toEqual(firstRun);
    const byApp = [`GET /__api__/applications/${first.app_id} 200`, `GET /__api__/v1/content/${first.app_guid} 200`];
    const secondStart = calls.indexOf(byApp[0]!);
    expect(calls.slice(secondStart - 3, secondStart + 6)).toEqual([
      'GET /__api__/server_settings 200',
      'GET /__api__/server_settings 200',
      'GET /__api__/v1/user 200',
      ...byApp,
      'GET /__api__/server_settings 200',
      ...byApp,
      `PATCH /__api__/v1/content/${first.app_guid}/environment 200`,
    ]);
    expect(calls.slice(-3)).toEqual(['GET /__api__/server_settings 200', 'GET /__api__/v1/user 200', 'GET /__api__/v1/server_settings/python 200']);
  });

  it("R rsconnect: connectApiUser, deployApp of a new app with envVars, a redeploy from the saved record, and applications()", async () => {
    const { calls, call } = clientFor(server, publisher);

    /** waitForTask: `?first=0&wait=1`, moving `first` to `last` whenever output came; success is code 0. */
    async function waitForTask(taskId: string) {
      let first = 0;
      for (let round = 0; round < 60; round++) {
        const task = (await call('GET', `/__api__/v1/tasks/${taskId}?first=${first}&wait=1`)).body;
        if (task.output.length > 0) first = task.last;
        if (task.finished) return task;
      }
      throw new Error('the task did not finish');
    }
    const applications = (accountId: number, filters: string) => call('GET', `/__api__/applications?filter=account_id:${accountId}${filters}&count=100&start=0&cont=`);

    // addServer() checks the URL; connectApiUser() keeps the user's id as the account id, and the username.
    expect((await call('GET', '/__api__/server_settings')).body.version).toBeTruthy();
    const user = (await call('GET', '/__api__/users/current')).body;
    expect(user).toMatchObject({ id: expect.any(Number), username: publisher.username });
    const accountId: number = user.id;

    // deployApp(appName = "sales-dashboard", envVars = "DB_URL"): is there content of that name already?
    const found = (await applications(accountId, '&filter=name:sales-dashboard')).body;
    expect(found).toEqual({ applications: [], count: 0, total: 0, continuation: null });
    // createApplication: name and title; rsconnect keeps id, guid, content_url and dashboard_url.
    const created = (await call('POST', '/__api__/v1/content', { body: { name: 'sales-dashboard', title: 'Sales dashboard' } })).body;
    const application = { id: created.id as string, guid: created.guid as string, url: created.content_url as string, dashboard_url: created.dashboard_url as string };
    expect(application.url).toBe(`${server.url}/content/${application.guid}/`);
    // setEnvVars: values from the R session; a variable unset there is sent as null (removed).
    await call('PATCH', `/__api__/v1/content/${application.guid}/environment`, { body: [{ name: 'DB_URL', value: 'postgres://db/sales' }, { name: 'UNSET_THERE', value: null }] });
    const bundle = (await call('POST', `/__api__/v1/content/${application.guid}/bundles`, { rawBody: shinyBundle(), headers: { 'content-type': 'application/x-gzip' } })).body;
    // deployApplication: rsconnect takes `task_id` (or `id`) and waits; success is a code of 0.
    const task = (await call('POST', `/__api__/v1/content/${application.guid}/deploy`, { body: { bundle_id: bundle.id } })).body;
    expect(task.task_id).toEqual(expect.any(String));
    expect((await waitForTask(task.task_id)).code).toBe(0);

    // A redeploy reads the saved record's numeric id back through the unversioned API.
    const app = (await call('GET', `/__api__/applications/${application.id}`)).body;
    expect(app).toMatchObject({ id: Number(application.id), guid: application.guid, url: application.url, name: 'sales-dashboard', build_status: 2 });
    const again = (await call('POST', `/__api__/v1/content/${app.guid}/bundles`, { rawBody: shinyBundle(), headers: { 'content-type': 'application/x-gzip' } })).body;
    const redeploy = (await call('POST', `/__api__/v1/content/${app.guid}/deploy`, { body: { bundle_id: again.id } })).body;
    expect((await waitForTask(redeploy.task_id)).code).toBe(0);

    // A later deployApp() from another machine finds the app by name, with its id, owner and URL.
    const byName = (await applications(accountId, '&filter=name:sales-dashboard')).body;
    expect(byName.applications).toEqual([expect.objectContaining({ id: Number(application.id), guid: application.guid, owner_username: publisher.username, url: application.url })]);
    // applications(): the columns its table shows, in every row.
    const listed = (await applications(accountId, '')).body;
    for (const row of listed.applications) {
      for (const column of ['id', 'name', 'title', 'url', 'build_status', 'created_time', 'last_deployed_time', 'guid']) expect(row, column).toHaveProperty(column);
    }
    const variables = (await server.request('GET', `/__api__/v1/content/${application.guid}/environment`, { as: publisher })).body;
    expect(variables).toEqual(['DB_URL']);
    const content = (await server.request('GET', `/__api__/v1/content/${application.guid}`, { as: publisher })).body;
    expect(content).toMatchObject({ bundle_id: again.id, app_mode: 'shiny', r_version: '4.3.2', image_name: IMAGE });

    expect(calls.filter((line) => !line.includes('/v1/tasks/'))).toEqual([
      'GET /__api__/server_settings 200',
      'GET /__api__/users/current 200',
      'GET /__api__/applications 200',
      'POST /__api__/v1/content 200',
      `PATCH /__api__/v1/content/${application.guid}/environment 200`,
      `POST /__api__/v1/content/${application.guid}/bundles 200`,
      `POST /__api__/v1/content/${application.guid}/deploy 202`,
      `GET /__api__/applications/${application.id} 200`,
      `POST /__api__/v1/content/${application.guid}/bundles 200`,
      `POST /__api__/v1/content/${application.guid}/deploy 202`,
      'GET /__api__/applications 200',
      'GET /__api__/applications 200',
    ]);
  });
});
