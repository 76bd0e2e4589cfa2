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
