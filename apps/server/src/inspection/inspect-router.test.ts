import { writeFileSync } from 'node:fs';
import { ErrorCode, ImageInspectionSchema, TaskSchema } from '@envdesk/domain';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempFolder } from '../test/files.js';
import { memoryLogger } from '../test/memory-logger.js';
import { describeEachDialect } from '../test/test-database.js';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';
import { DEFAULT_INSPECT_MAX_BYTES } from '../settings.js';
import { pushLayout } from './registry/testing/push-layout.js';
import { type TestRegistry, startTestRegistry } from './registry/testing/registry-process.js';
import { INSPECTION_OPENING } from '../tasks/task-runner.js';
import { type BuiltLayout, aDataScienceImage, executable, folder, rInstallation, writeOciLayout } from './testing/image-builders.js';

const INSPECT = '/__api__/v1/environments/inspect';
const PASSWORD = 'registry-secret-Pa55';
const WRONG = `${PASSWORD}-wrong`;

const files = tempFolder();
let open: TestRegistry;
let guarded: TestRegistry;
let layout: BuiltLayout;

beforeAll(async () => {
  [open, guarded] = await Promise.all([startTestRegistry(), startTestRegistry({ users: [{ username: 'alice', password: PASSWORD }] })]);
  layout = await writeOciLayout(files.path('layout'), [
    aDataScienceImage({ platform: { os: 'linux', architecture: 'amd64' } }),
    aDataScienceImage({ platform: { os: 'linux', architecture: 'arm64' }, rVersion: '4.5.0' }),
  ], { tag: '2026.01' });
  await pushLayout({ host: open.host, repository: 'team/data-science' }, layout, '2026.01');
  // R built from source into a folder named for no version, and with no base DESCRIPTION: nothing in the image tells its version.
  const unversioned = await writeOciLayout(files.path('unversioned'), [
    { layers: [{ entries: [folder('opt'), folder('opt/R'), folder('opt/R/devel'), executable('opt/R/devel/bin/R'), ...rInstallation('opt/R/4.4.1', '4.4.1')] }] },
  ]);
  await pushLayout({ host: open.host, repository: 'team/r-devel' }, unversioned, 'latest');
  // The credentials the server reads for the guarded registry are wrong: it answers every read with a 401.
  writeFileSync(files.path('config.json'), JSON.stringify({ auths: { [guarded.host]: { username: 'alice', password: WRONG } } }));
}, 60_000);
afterAll(async () => {
  await Promise.all([open?.stop(), guarded?.stop()]);
  files.cleanup();
});

describeEachDialect('inspecting a registry image through the API on %s', (dialect) => {
  let server: TestServer;
  let publisher: TestUser;
  let viewer: TestUser;
  const log = memoryLogger('trace');

  beforeAll(async () => {
    server = await startTestServer({
      dialect,
      logger: log.logger,
      inspection: {
        inspectMaxBytes: DEFAULT_INSPECT_MAX_BYTES,
        inspectTimeoutMs: 30_000,
        registry: { authFile: files.path('config.json'), insecureRegistries: [open.host, guarded.host] },
      },
    });
    publisher = await server.addUser('publisher');
    viewer = await server.addUser('viewer');
  });
  afterAll(async () => {
    await server.app.services.taskRunner.settle();
    await server.close();
  });

  async function taskCount(): Promise<number> {
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from tasks`.execute(server.database.connection.db);
    return Number(rows[0]!.n);
  }

  /** Starts an inspection as the administrator and polls its task, as Connect's clients do, until it ends. */
  async function inspected(body: unknown) {
    const started = await server.request('POST', INSPECT, { body });
    expect(started.status, started.text).toBe(202);
    expect(Object.keys(started.body)).toEqual(['task_id']);
    let first = 0;
    const output: string[] = [];
    for (;;) {
      const response = await server.request('GET', `/__api__/v1/tasks/${started.body.task_id}?wait=5&first=${first}`);
      expect(response.status).toBe(200);
      const task = TaskSchema.parse(response.body);
      output.push(...task.output);
      first = task.last;
      if (task.finished) return { ...task, output };
    }
  }

  it('answers 202 with a task whose lines show the manifest and each layer, and whose result holds the installations and platforms', async () => {
    const task = await inspected({ name: `${open.host}/team/data-science:2026.01` });
    expect(task).toMatchObject({ code: 0, error: '' });
    const digest = layout.images[0]!.manifest.digest;
    expect(task.output).toContain(`manifest ${digest} (linux/amd64)`);
    const layers = task.output.filter((line) => line.startsWith('layer '));
    expect(layers).toHaveLength(4);
    expect(layers[0]).toMatch(/^layer 1\/4 \S+ \d/);
    expect(task.output.at(-1)).toBe('Found R 4.4.1 / Python 3.11.9 / Quarto 1.5.57.');
    // Written with the task's row: it is what tells an interrupted inspection from a deploy.
    expect(task.output[0]).toBe(`${INSPECTION_OPENING}${open.host}/team/data-science:2026.01.`);

    const result = ImageInspectionSchema.parse(task.result);
    expect(result).toMatchObject({ name: `${open.host}/team/data-science:2026.01`, digest, platform: 'linux/amd64', platforms: ['linux/amd64', 'linux/arm64'] });
    expect(result.installations.r).toEqual([expect.objectContaining({ path: '/opt/R/4.4.1/bin/R', version: '4.4.1', version_source: expect.stringContaining('DESCRIPTION') })]);
    expect(result.installations.python.map((found) => found.version)).toContain('3.11.9');
    expect(result.installations.python.map((found) => found.version)).not.toContain('3.12.4');
    expect(result.installations.quarto).toEqual([expect.objectContaining({ version: '1.5.57' })]);
    expect(result.warnings).toEqual([]);
  });

  it('warns, in the result and the task’s lines, of an installation whose version must be typed in', async () => {
    const task = await inspected({ name: `${open.host}/team/r-devel:latest` });
    expect(task).toMatchObject({ code: 0, error: '' });
    const result = ImageInspectionSchema.parse(task.result);
    expect(result.installations.r.map((found) => [found.path, found.version])).toEqual([
      ['/opt/R/4.4.1/bin/R', '4.4.1'],
      ['/opt/R/devel/bin/R', null],
    ]);
    expect(result.warnings).toEqual([expect.stringMatching(/^R at \/opt\/R\/devel\/bin\/R has no version .* add it to the environment with its version typed in/)]);
    expect(task.output.slice(-2)).toEqual(['Found R 4.4.1.', `Warning: ${result.warnings[0]}`]);
  });

  it('reads the platform asked for', async () => {
    const task = await inspected({ name: `${open.host}/team/data-science:2026.01`, platform: 'linux/arm64', path_lookups: false });
    const result = ImageInspectionSchema.parse(task.result);
    expect(result.platform).toBe('linux/arm64');
    expect(result.digest).toBe(layout.images[1]!.manifest.digest);
    expect(result.installations.r.map((found) => found.version)).toEqual(['4.5.0']);
    expect([...result.installations.python, ...result.installations.r].every((found) => found.found_in !== 'PATH')).toBe(true);
  });

  it('is for administrators only', async () => {
    const before = await taskCount();
    for (const as of [publisher, viewer]) {
      const response = await server.request('POST', INSPECT, { as, body: { name: `${open.host}/team/data-science:2026.01` } });
      expect(response.status).toBe(403);
      expect(response.body.code).toBe(ErrorCode.PermissionDenied);
    }
    expect(await server.request('POST', INSPECT, { as: null, body: { name: 'x' } })).toMatchObject({ status: 401 });
    expect(await taskCount()).toBe(before);
  });

  it('refuses file paths and malformed input with a 400 naming the field, before any task starts', async () => {
    for (const name of ['/var/lib/images/r.tar', 'oci:/tmp/layout', './saved', '~/r.tar', 'saved-image.tar.gz', 'docker-archive:r.tar']) {
      const response = await server.request('POST', INSPECT, { body: { name } });
      expect(response.status, name).toBe(400);
      expect(response.body.error, name).toMatch(/name.*names a file/);
    }
    for (const [body, field] of [
      [{}, 'name'],
      [{ name: 'Not A Reference!' }, 'name'],
      [{ name: 'ghcr.io/org/r:4', platform: 'linux' }, 'platform'],
      [{ name: 'ghcr.io/org/r:4', path_lookups: 'no' }, 'path_lookups'],
    ] as const) {
      const response = await server.request('POST', INSPECT, { body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error).toContain(field);
    }
  });

  it('ends the task with an error naming what is missing when the image is not in the registry', async () => {
    const task = await inspected({ name: `${open.host}/team/data-science:no-such-tag` });
    expect(task.code).toBe(1);
    expect(task.result).toBeNull();
    expect(task.error).toContain('no-such-tag');
    expect(task.output.at(-1)).toBe(`Inspection failed: ${task.error}`);
  });

  it('says the registry refused the credentials without showing them', async () => {
    const task = await inspected({ name: `${guarded.host}/private/r:2026.01` });
    expect(task.code).toBe(1);
    expect(task.error).toContain('were not accepted');
    const everything = JSON.stringify([task, log.lines]);
    for (const secret of [WRONG, PASSWORD, Buffer.from(`alice:${WRONG}`).toString('base64')]) expect(everything).not.toContain(secret);
  });
});
