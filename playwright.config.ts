import { defineConfig } from '@playwright/test';
import { accounts } from './e2e/accounts.js';
import { chromiumLaunchOptions } from './e2e/chromium.js';
import { dataDir, environmentsFile, environmentsFileFixture, environmentsPollMs, registryHost } from './e2e/e2e-server.js';

/**
 * End-to-end journeys against the built app (`npm run build` first), served by the real server on
 * a fresh SQLite folder with the demo data and a declarative environments file. Chromium comes from
 * Debian: `playwright install` cannot download here (STACK.md §7).
 */

const port = Number(process.env.E2E_PORT ?? 39391);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: 'e2e',
  // Artifacts get their own folder: Playwright empties its output folder, and test-results/ also
  // holds vitest.json and this run's data folder.
  outputDir: 'test-results/playwright',
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
  projects: [{ name: 'debian-chromium', use: { browserName: 'chromium' } }],
  webServer: {
    // The server empties nothing itself: each run starts from a fresh folder and the fixture file.
    command: `rm -rf ${dataDir} && mkdir -p ${dataDir} && cp ${environmentsFileFixture} ${environmentsFile} && node apps/server/dist/bundle/main.js`,
    url: `${baseURL}/__ping__`,
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      ENVDESK_DATA_DIR: dataDir,
      ENVDESK_BOOTSTRAP_USERNAME: accounts.admin.username,
      ENVDESK_BOOTSTRAP_PASSWORD: accounts.admin.password,
      ENVDESK_BOOTSTRAP_API_KEY: accounts.admin.apiKey,
      ENVDESK_DEMO: '1',
      ENVDESK_ENVIRONMENTS_FILE: environmentsFile,
      ENVDESK_ENVIRONMENTS_POLL_MS: String(environmentsPollMs),
      // The inspection journey's registry speaks plain http on localhost.
      ENVDESK_INSECURE_REGISTRIES: registryHost,
      LOG_LEVEL: 'warn',
    },
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
