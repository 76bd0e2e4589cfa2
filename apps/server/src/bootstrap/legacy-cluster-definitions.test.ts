import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../clock.js';
import { openDatabase } from '../db/database.js';
import { createStore } from '../db/store.js';
import { tempFolder } from '../test/files.js';
import { type ServerProcess, spawnServer } from '../test/server-process.js';
import { type TestDatabase, openTestDatabase } from '../test/test-database.js';
import { applyLegacyBootstrap, readLegacyFile } from './legacy-cluster-definitions.js';

const LEGACY = `name: Kubernetes
images:
  - name: my-org/content-base:r4.1-py3.10
    matching: any
    supervisor: /scripts/connect-supervisor.sh
    python:
      installations:
        - path: /opt/python/3.10.4/bin/python3
          version: 3.10.4
    r:
      installations:
        - path: /opt/R/4.1.3/bin/R
          version: 4.1.3
`;

/**
 * Values for the older Helm chart in the shape of the seed's "Launcher" example
 * (custom-container-images-helm): other sections around it, the images under
 * launcher.customRuntimeYaml, comments after the values.
 */
const HELM_VALUES = `license:
  file:
    secret: licenses
    secretKey: connect.lic
image:
  repository: ghcr.io/rstudio/rstudio-connect
  tag: ""
launcher:
  enabled: true # needed for off-host execution
  useTemplates: true
  customRuntimeYaml:
    name: "Kubernetes"
    images:
      - name: ghcr.io/rstudio/content-base:r4.2.2-py3.11.3-ubuntu2204 # the content image
        python:
          installations:
            -
              path: /opt/python/3.11.3/bin/python3
              version: 3.11.3
        r:
          installations:
            -
              path: /opt/R/4.2.2/bin/R
              version: 4.2.2
        quarto:
          installations:
            - path: /opt/quarto/1.3.340/bin/quarto
              version: 1.3.340
  defaultInitContainer:
    repository: ghcr.io/rstudio/rstudio-connect-content-init
`;

describe('reading legacy definitions for convert-legacy', () => {
  let folder: ReturnType<typeof tempFolder>;
  afterEach(() => folder.cleanup());
  const read = (text: string, maxBytes?: number) => {
    folder = tempFolder();
    return readLegacyFile(folder.write('values.yaml', text), maxBytes);
  };

  it("reads the older Helm chart's values, taking the images from launcher.customRuntimeYaml", async () => {
    const { raw, entries, field } = await read(HELM_VALUES);
    expect(field).toBe('launcher.customRuntimeYaml');
    expect(raw).toEqual([
      expect.objectContaining({ name: 'ghcr.io/rstudio/content-base:r4.2.2-py3.11.3-ubuntu2204', quarto: { installations: [{ path: '/opt/quarto/1.3.340/bin/quarto', version: '1.3.340' }] } }),
    ]);
    expect(entries[0]?.definition.r.installations).toEqual([{ path: '/opt/R/4.2.2/bin/R', version: '4.2.2' }]);
  });

  it('reads customRuntimeYaml written as a text of YAML (a `|` block)', async () => {
    const { raw } = await read(`launcher:\n  customRuntimeYaml: |\n${LEGACY.replace(/^/gm, '    ')}`);
    expect(raw.map((image) => image.name)).toEqual(['my-org/content-base:r4.1-py3.10']);
  });

  it.each([
    ['not YAML', 'launcher: [unclosed', /values\.yaml is not valid YAML or JSON/],
    ['values without the key', 'launcher:\n  enabled: true\n', /launcher\.customRuntimeYaml: is missing: these Helm values list no images of their own/],
    ['a customRuntimeYaml that is a number', 'launcher:\n  customRuntimeYaml: 3\n', /launcher\.customRuntimeYaml: must hold the cluster definitions .*; it is the number 3/],
    ['a customRuntimeYaml naming a built-in list', 'launcher:\n  customRuntimeYaml: base\n', /launcher\.customRuntimeYaml: must hold the cluster definitions .*; it holds the text "base"/],
    ['a customRuntimeYaml text that is not YAML', 'launcher:\n  customRuntimeYaml: "images: [unclosed"\n', /launcher\.customRuntimeYaml is not valid YAML or JSON/],
    ['the wrong cluster name inside', HELM_VALUES.replace('"Kubernetes"', 'Local'), /launcher\.customRuntimeYaml\.name: must be "Kubernetes"/],
    // The second image is wrong: entries count from one, as people count them.
    ['a bad image', HELM_VALUES.replace('  defaultInitContainer:', '      - name: ghcr.io/org/bad:1\n        matching: sometimes\n  defaultInitContainer:'), /entry 2, matching: must be one of any, exact, none/],
    ['a file over the size limit', HELM_VALUES, /values\.yaml is \d+ bytes, over the limit of 100 bytes/],
  ])('says what is wrong with %s', async (_case, text, message) => {
    const maxBytes = _case === 'a file over the size limit' ? 100 : undefined;
    await expect(read(text, maxBytes)).rejects.toThrow(message);
  });
});

describe('legacy cluster definitions (deprecated bootstrap)', () => {
  let database: TestDatabase;
  let folder: ReturnType<typeof tempFolder>;
  let server: ServerProcess | undefined;
  afterEach(async () => {
    await server?.stop('SIGKILL');
    server = undefined;
    await database.cleanup();
    folder.cleanup();
  });

  async function setUp() {
    database = await openTestDatabase('sqlite');
    folder = tempFolder();
    return { store: createStore(database.connection), file: folder.write('runtime.yaml', LEGACY) };
  }
  const silent = pino({ level: 'silent' });

  it('creates ordinary (unmanaged) environments on a start with none', async () => {
    const { store, file } = await setUp();
    expect(await applyLegacyBootstrap(store, systemClock, silent, file)).toBe(1);
    expect(await store.environments.list()).toEqual([
      expect.objectContaining({ name: 'my-org/content-base:r4.1-py3.10', managed_by: null, supervisor: '/scripts/connect-supervisor.sh' }),
    ]);
  });

  it('is silently ignored once any environment exists, even after its file changes', async () => {
    const { store, file } = await setUp();
    await applyLegacyBootstrap(store, systemClock, silent, file);
    folder.write('runtime.yaml', LEGACY.replace('r4.1-py3.10', 'r4.2-py3.11'));
    expect(await applyLegacyBootstrap(store, systemClock, silent, file)).toBe(0);
    expect((await store.environments.list()).map((environment) => environment.name)).toEqual(['my-org/content-base:r4.1-py3.10']);
  });

  it('is skipped, with a log line, when a declarative file is configured', async () => {
    const { file } = await setUp();
    await database.connection.close();
    const declarative = folder.write('environments.yaml', [{ name: 'ghcr.io/org/declared:1' }]);
    server = spawnServer({ ENVDESK_DATA_DIR: database.options.dataDir, ENVDESK_CLUSTER_DEFINITIONS: file, ENVDESK_ENVIRONMENTS_FILE: declarative });
    await server.waitFor(/legacy cluster definitions are skipped/);
    await server.waitFor(/envdesk is listening/);
    await server.stop();
    const reopened = await openDatabase(database.options);
    const names = (await createStore(reopened).environments.list()).map((environment) => environment.name);
    await reopened.close();
    expect(names).toEqual(['ghcr.io/org/declared:1']);
  });
});
