import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../clock.js';
import { openDatabase } from '../db/database.js';
import { createStore } from '../db/store.js';
import { tempFolder } from '../test/files.js';
import { type ServerProcess, spawnServer } from '../test/server-process.js';
import { type TestDatabase, openTestDatabase } from '../test/test-database.js';
import { applyLegacyBootstrap } from './legacy-cluster-definitions.js';

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
