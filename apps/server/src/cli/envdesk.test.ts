import { type FileEntry, definitionFrom, readEnvironmentsFile } from '@envdesk/domain';
import yaml from 'js-yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newGuid, rfc3339, systemClock } from '../clock.js';
import { applySync } from '../sync/apply-sync.js';
import { createStore } from '../db/store.js';
import { fieldsForCreate } from '../environments/environments-service.js';
import { tempFolder } from '../test/files.js';
import { type TestDatabase, openTestDatabase } from '../test/test-database.js';
import { runCli } from './envdesk.js';

const fileEntry = (name: string): FileEntry => ({ guid: null, definition: definitionFrom({ name }) });

describe('the envdesk command', () => {
  let database: TestDatabase;
  let folder: ReturnType<typeof tempFolder>;
  beforeEach(async () => {
    database = await openTestDatabase('sqlite');
    folder = tempFolder();
    const store = createStore(database.connection);
    await store.environments.insert(newGuid(), fieldsForCreate({ name: 'ghcr.io/org/made-in-ui:1', title: 'Made in the UI' }), rfc3339(new Date()));
  });
  afterEach(async () => {
    await database.cleanup();
    folder.cleanup();
  });

  async function run(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(args, (t) => out.push(t), (t) => err.push(t), { ENVDESK_DATA_DIR: database.options.dataDir });
    return { code, out: out.join(''), err: err.join('') };
  }

  it('exports the environments in the file format, ready to be the declarative file', async () => {
    const { code, out } = await run('environments', 'export');
    expect(code).toBe(0);
    const document = yaml.load(out) as { executionEnvironments: Array<{ name: string; guid: string }> };
    expect(document.executionEnvironments).toEqual([expect.objectContaining({ name: 'ghcr.io/org/made-in-ui:1', title: 'Made in the UI' })]);
    expect(readEnvironmentsFile(document).ok).toBe(true);
    const json = await run('environments', 'export', '--json');
    expect(JSON.parse(json.out)).toHaveLength(1);
  });

  it('plans a sync without changing anything', async () => {
    const file = folder.write('environments.yaml', { executionEnvironments: [{ name: 'ghcr.io/org/made-in-ui:1', title: 'From the file' }, { name: 'ghcr.io/org/new:1' }] });
    const { code, out } = await run('environments', 'plan', file);
    expect(code).toBe(0);
    expect(out).toMatch(/> adopt +ghcr\.io\/org\/made-in-ui:1 .*: title/);
    expect(out).toMatch(/\+ create +ghcr\.io\/org\/new:1/);
    expect(out).toContain('1 to create, 0 to update, 1 to adopt, 0 to restore, 0 to delete');
    const store = createStore(database.connection);
    expect((await store.environments.list()).map((environment) => [environment.title, environment.managed_by])).toEqual([['Made in the UI', null]]);
  });

  it('shows an entry coming back from a tombstone as a restore, with the GUID it gets back', async () => {
    const store = createStore(database.connection);
    const file = folder.write('environments.yaml', [{ name: 'ghcr.io/org/returning:1' }]);
    await applySync(store, [fileEntry('ghcr.io/org/returning:1')], systemClock, { file });
    const [created] = (await store.environments.list()).filter((environment) => environment.name === 'ghcr.io/org/returning:1');
    await applySync(store, [], systemClock, { file });
    const { code, out } = await run('environments', 'plan', file);
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`\\* restore ghcr\\.io/org/returning:1 \\(${created!.guid}\\), removed .*with its GUID and permissions`));
    expect(out).toContain('0 to create, 0 to update, 0 to adopt, 1 to restore, 0 to delete');
  });

  it('says what is wrong with a file it cannot plan, and exits 1', async () => {
    const file = folder.write('environments.yaml', [{ name: 'ghcr.io/org/x:1', matching: 'maybe' }]);
    const { code, err } = await run('environments', 'plan', file);
    expect(code).toBe(1);
    expect(err).toContain('entry 1, matching');
    expect((await run('environments', 'plan', folder.path('missing.yaml'))).err).toContain('does not exist');
  });

  it('converts a legacy Launcher.ClusterDefinitions file', async () => {
    const file = folder.write('runtime.yaml', 'name: Kubernetes\nimages:\n  - name: my-org/content-base:r4.1-py3.10\n    matching: any\n    python:\n      installations:\n        - path: /opt/python/3.10.4/bin/python3\n          version: 3.10.4\n');
    const { code, out } = await run('environments', 'convert-legacy', file);
    expect(code).toBe(0);
    const converted = yaml.load(out);
    expect(converted).toEqual({
      executionEnvironments: [
        { name: 'my-org/content-base:r4.1-py3.10', matching: 'any', python: { installations: [{ path: '/opt/python/3.10.4/bin/python3', version: '3.10.4' }] } },
      ],
    });
    expect(readEnvironmentsFile(converted).ok).toBe(true);
  });

  it("converts the older Helm chart's values (launcher.customRuntimeYaml), saying how many images, and names a bad one counting from one", async () => {
    const image = (name: string, extra = '') => `      - name: ${name}\n        python:\n          installations:\n            - path: /opt/python/3.11.3/bin/python3\n              version: 3.11.3\n${extra}`;
    const values = (images: string) => `image:\n  repository: ghcr.io/rstudio/rstudio-connect\nlauncher:\n  enabled: true\n  customRuntimeYaml:\n    name: "Kubernetes"\n    images:\n${images}`;
    const good = await run('environments', 'convert-legacy', folder.write('values.yaml', values(image('ghcr.io/org/a:1') + image('ghcr.io/org/b:1'))));
    expect(good.code).toBe(0);
    expect(yaml.load(good.out)).toEqual({ executionEnvironments: [expect.objectContaining({ name: 'ghcr.io/org/a:1' }), expect.objectContaining({ name: 'ghcr.io/org/b:1' })] });
    expect(good.err).toBe('envdesk: converted 2 images from launcher.customRuntimeYaml; check the result with `envdesk environments plan`.\n');

    const bad = await run('environments', 'convert-legacy', folder.write('values.yaml', values(image('ghcr.io/org/a:1') + image('ghcr.io/org/b:1', '        matching: sometimes\n'))));
    expect(bad.code).toBe(1);
    expect(bad.out).toBe('');
    expect(bad.err).toContain('- entry 2, matching: must be one of any, exact, none');
  });

  it('prints its usage for help, and exits 2 on an unknown command', async () => {
    expect((await run('help')).code).toBe(0);
    const unknown = await run('environments', 'frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('Usage: envdesk environments');
  });
});
