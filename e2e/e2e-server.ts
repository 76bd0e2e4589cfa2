/**
 * Where the e2e server keeps its data (STACK.md §9.11: a fixed path, not a temporary folder, since
 * Playwright evaluates its config in every worker). Paths are relative to the repository root,
 * where Playwright runs the server and the tests.
 */
export const dataDir = 'test-results/e2e-data';

/** The declarative environments file the server polls; journeys rewrite it to test a failing sync. */
export const environmentsFile = `${dataDir}/environments.yaml`;
export const environmentsFileFixture = 'e2e/fixtures/environments.yaml';

/** Short, so a journey sees a file change within a second. */
export const environmentsPollMs = 300;

/** The SQLite file the e2e server writes (its data folder's database). */
export const databaseFile = `${dataDir}/envdesk.db`;

/**
 * Where the image-inspection journey runs its registry (Debian's `docker-registry`). Fixed, because
 * the server is told it in ENVDESK_INSECURE_REGISTRIES before any journey starts.
 */
export const registryPort = Number(process.env.E2E_REGISTRY_PORT ?? 39392);
export const registryHost = `127.0.0.1:${registryPort}`;
