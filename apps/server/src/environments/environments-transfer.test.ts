import { ErrorCode, ImportPlanSummarySchema } from '@envdesk/domain';
import yaml from 'js-yaml';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newGuid, rfc3339 } from '../clock.js';
import { billionLaughs } from '../test/files.js';
import { describeEachDialect } from '../test/test-database.js';
import { type TestServer, startTestServer } from '../test/test-server.js';
import { runCli } from '../cli/envdesk.js';
import { fieldsForCreate } from './environments-service.js';

const install = (version: string) => ({ installations: [{ version, path: `/opt/python/${version}/bin/python3` }] });

describeEachDialect('exporting and importing environments on %s', (dialect) => {
  let server: TestServer;
  let runtimeGuid: string;
  let gpuGuid: string;
  let managedGuid: string;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    const runtime = await server.request('POST', '/__api__/v1/environments', {
      body: { name: 'ghcr.io/org/runtime:1', title: 'Runtime', python: install('3.11.9') },
    });
    const gpu = await server.request('POST', '/__api__/v1/environments', {
      body: { name: 'ghcr.io/org/gpu:1', title: 'GPU', matching: 'exact', python: install('3.12.4') },
    });
    runtimeGuid = runtime.body.guid;
    gpuGuid = gpu.body.guid;
    const managed = await server.store.environments.insert(
      newGuid(),
      fieldsForCreate({ name: 'ghcr.io/org/managed:1', title: 'From the file' }, 'config-file'),
      rfc3339(new Date()),
    );
    managedGuid = managed.guid;
  });
  afterAll(() => server.close());

  const exported = (guids?: string[]) => server.request('POST', '/__api__/v1/environments/export', { body: guids ? { guids } : {} });
  const plan = (document: string) => server.request('POST', '/__api__/v1/environments/import/plan', { body: { document } });
  const apply = (document: string) => server.request('POST', '/__api__/v1/environments/import', { body: { document } });

  it('exports every environment as the declarative file, the same text as `envdesk environments export`', async () => {
    const response = await exported();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/yaml/);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="environments.yaml"');
    let cli = '';
    const env = { DATABASE_URL: server.database.options.databaseUrl, ENVDESK_DATA_DIR: server.database.options.dataDir };
    expect(await runCli(['environments', 'export'], (text) => (cli += text), () => {}, env)).toBe(0);
    expect(response.text).toBe(cli);
  });

  it('exports only the environments asked for', async () => {
    const response = await exported([gpuGuid, newGuid()]);
    const document = yaml.load(response.text) as { executionEnvironments: Array<{ guid: string; name: string }> };
    expect(document.executionEnvironments.map((entry) => entry.name)).toEqual(['ghcr.io/org/gpu:1']);
  });

  it('plans its own export as nothing to do, except that it will not touch the file-managed entry', async () => {
    const response = await plan((await exported()).text);
    expect(response.status).toBe(200);
    const summary = ImportPlanSummarySchema.parse(response.body);
    expect(summary).toMatchObject({ entries: 3, creates: [], updates: [], unchanged: 2 });
    expect(summary.problems).toEqual([expect.stringMatching(/^Entry \d \(ghcr\.io\/org\/managed:1\): .*managed by the environments file/)]);
    expect(summary.problems[0]).toContain(managedGuid);
    // A plan with problems is not applied, and changes nothing.
    const refused = await apply((await exported()).text);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: ErrorCode.BadRequest, payload: { problems: summary.problems } });
  });

  it('applies a modified export: creates and updates hand-made environments in one go, each in the audit log', async () => {
    const document = yaml.load((await exported([runtimeGuid, gpuGuid])).text) as { executionEnvironments: Array<Record<string, unknown>> };
    document.executionEnvironments[0]!.title = 'Renamed by import';
    document.executionEnvironments.push({ name: 'ghcr.io/org/new:1', title: 'New from import', python: install('3.13.1') });
    const text = yaml.dump(document);

    const planned = await plan(text);
    expect(planned.body).toMatchObject({
      entries: 3,
      creates: [{ entry: 3, name: 'ghcr.io/org/new:1', title: 'New from import' }],
      updates: [{ entry: 1, fields: ['title'] }],
      unchanged: 1,
      problems: [],
    });
    // Planning changed nothing.
    expect((await server.request('GET', '/__api__/v1/environments')).body).toHaveLength(3);

    const applied = await apply(text);
    expect(applied.status).toBe(200);
    const list = (await server.request('GET', '/__api__/v1/environments')).body as Array<{ name: string; title: string; managed_by: string | null }>;
    expect(list.map((environment) => [environment.name, environment.title, environment.managed_by]).sort()).toEqual([
      ['ghcr.io/org/gpu:1', 'GPU', null],
      ['ghcr.io/org/managed:1', 'From the file', 'config-file'],
      ['ghcr.io/org/new:1', 'New from import', null],
      ['ghcr.io/org/runtime:1', 'Renamed by import', null],
    ]);
    const audit = await server.request('GET', '/__api__/v1/audit_logs?limit=500&ascOrder=false');
    const descriptions = (audit.body.results as Array<{ event_description: string }>).map((entry) => entry.event_description).join('\n');
    expect(descriptions).toContain('ghcr.io/org/new:1');
    // Importing the same file again: nothing left to do.
    expect((await plan(text)).body).toMatchObject({ creates: [], updates: [], unchanged: 3 });
  });

  it.each([
    ['not YAML', 'executionEnvironments: [unclosed', /not valid YAML or JSON/],
    ['a billion laughs', billionLaughs(), /alias/i],
    ['not a list of environments', 'just a string', /expected a list/],
  ])('refuses %s with a 400 that names the problem, changing nothing', async (_case, document, message) => {
    const before = (await server.request('GET', '/__api__/v1/environments')).body.length;
    for (const send of [plan, apply]) {
      const response = await send(document);
      if (response.status === 200) {
        expect(response.body.problems.join('\n')).toMatch(message);
      } else {
        expect(response.status).toBe(400);
        expect(`${response.body.error} ${JSON.stringify(response.body.payload)}`).toMatch(message);
      }
    }
    expect((await server.request('GET', '/__api__/v1/environments')).body.length).toBe(before);
  });

  it('refuses an upload over the body limit with 413, and a body without a document with 400', async () => {
    const huge = await plan(`executionEnvironments:\n${'  - name: x\n'.repeat(250_000)}`);
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ code: ErrorCode.BadRequest });
    const missing = await server.request('POST', '/__api__/v1/environments/import/plan', { body: { file: 'x' } });
    expect(missing.status).toBe(400);
  });

  it('refuses publishers', async () => {
    const publisher = await server.addUser('publisher');
    for (const path of ['export', 'import/plan', 'import']) {
      const response = await server.request('POST', `/__api__/v1/environments/${path}`, { as: publisher, body: { document: '[]' } });
      expect(response.status).toBe(403);
    }
  });
});
