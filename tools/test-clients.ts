/**
 * `npm run test:clients`: Posit's own Python SDK integration suite (posit-sdk-py, unmodified) against
 * a fresh envdesk. Starts the built server (apps/server/dist/bundle/main.js, which `npm test` builds
 * first) on a free port with an empty data folder and a bootstrap administrator API key, runs the
 * suite with Debian's interpreter as shared/clients/README.md says, and prints passes and failures
 * per file and in total. Exits non-zero if any in-scope test fails.
 *
 * ENVDESK_CLIENTS_DIR: the folder holding the suite (default: `../shared/clients` beside the repo).
 * ENVDESK_CLIENTS_PYTHON: the interpreter (default: /usr/bin/python3, which sees apt's packages).
 * Out of scope (not run): metrics/ (hits) and oauth/. Arguments after `--` go to pytest in place of
 * the whole suite, e.g. `npm run test:clients -- tests/posit/connect/test_content.py`.
 * The server runs with local execution (README § Local execution): Connect runs this suite with
 * content on its own installations, and a fresh envdesk has no environments (test_environments.py
 * checks none are left behind), so the host's Python 3.12 and Quarto 1.5 build the suite's
 * bundles (resources/connect/bundles: a Flask API for Python 3.12.2, a Quarto 1.5.54 document).
 * Writes test-results/clients.json ({ passed, failed, skipped, files }) for CI's summary.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '../bench/lib/processes.js';
import { readJunit, summarize } from './clients-report.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const serverMain = path.join(repoRoot, 'apps/server/dist/bundle/main.js');
const clientsDir = path.resolve(repoRoot, process.env.ENVDESK_CLIENTS_DIR ?? '../shared/clients');
const sdkDir = path.join(clientsDir, 'posit-sdk-py-0.16.2');
const suiteDir = path.join(sdkDir, 'integration');
const python = process.env.ENVDESK_CLIENTS_PYTHON ?? '/usr/bin/python3';
const OUT_OF_SCOPE = ['tests/posit/connect/metrics', 'tests/posit/connect/oauth'];

function fail(message: string): never {
  console.error(`test:clients: ${message}`);
  process.exit(2);
}

if (!existsSync(path.join(suiteDir, 'tests'))) {
  fail(`no client suite at ${suiteDir}; set ENVDESK_CLIENTS_DIR to the folder holding posit-sdk-py-0.16.2/ (see its README.md)`);
}
if (!existsSync(serverMain)) fail(`no server build at ${serverMain}; run \`npm run build\` first`);
if (!existsSync(python)) fail(`no ${python}; install Debian's python3 python3-pytest python3-pytest-timeout python3-requests python3-packaging`);

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Starts envdesk and waits until it answers; its log goes to a file quoted on failure. */
async function startEnvdesk(dataDir: string, apiKey: string): Promise<{ url: string; child: ChildProcess; logFile: string }> {
  const port = await freePort();
  const logFile = path.join(dataDir, 'server.log');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    ENVDESK_DATA_DIR: dataDir,
    ENVDESK_BOOTSTRAP_PASSWORD: randomBytes(12).toString('hex'),
    ENVDESK_BOOTSTRAP_API_KEY: apiKey,
    LOG_LEVEL: 'warn',
    ENVDESK_LOCAL_PYTHON: '3.12.4',
    ENVDESK_LOCAL_QUARTO: '1.5.57',
    ENVDESK_LOCAL_R: '4.4.1',
  };
  // Its own SQLite database in the data folder, whatever the caller's shell points at.
  delete env.DATABASE_URL;
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--enable-source-maps', serverMain], { cwd: dataDir, env, stdio: ['ignore', log, log] });
  closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) fail(`envdesk exited (${child.exitCode}) before it was ready:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
    try {
      const response = await fetch(`${url}/__ping__`);
      await response.arrayBuffer();
      if (response.ok) return { url, child, logFile };
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  await stop(child);
  fail(`envdesk did not answer within 60 s:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
}

const workDir = mkdtempSync(path.join(os.tmpdir(), 'envdesk-clients-'));
const apiKey = randomBytes(24).toString('hex');
const server = await startEnvdesk(workDir, apiKey);
console.log(`envdesk at ${server.url} (data in ${workDir}); running posit-sdk-py's integration suite`);
const junitFile = path.join(workDir, 'junit.xml');

const pytest = spawn(
  python,
  [
    '-m', 'pytest', '-s', '-rA', '--timeout=90', '--import-mode=prepend', '-p', 'no:cacheprovider',
    ...OUT_OF_SCOPE.map((folder) => `--ignore=${folder}`),
    `--junitxml=${junitFile}`,
    // `npm run test:clients -- tests/posit/connect/test_content.py` runs only what is named.
    ...(process.argv.length > 2 ? process.argv.slice(2) : ['tests']),
  ],
  {
    cwd: suiteDir,
    env: {
      ...process.env,
      PYTHONPATH: [clientsDir, path.join(sdkDir, 'src')].join(path.delimiter),
      CONNECT_SERVER: server.url,
      CONNECT_API_KEY: apiKey,
      PYTHONDONTWRITEBYTECODE: '1',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  },
);
const [pytestCode] = (await once(pytest, 'exit')) as [number | null];
await stop(server.child);

if (!existsSync(junitFile)) {
  console.error(readFileSync(server.logFile, 'utf8').slice(-3000));
  rmSync(workDir, { recursive: true, force: true });
  fail(`pytest (exit ${pytestCode}) wrote no report`);
}

const report = summarize(readJunit(readFileSync(junitFile, 'utf8')), pytestCode);
rmSync(workDir, { recursive: true, force: true });

console.log('\nposit-sdk-py integration suite against envdesk:');
for (const [file, result] of Object.entries(report.files)) {
  console.log(`  ${file}: ${result.passed} passed, ${result.failed} failed${result.skipped ? `, ${result.skipped} skipped` : ''}`);
  for (const failure of result.failures) console.log(`      ✗ ${failure}`);
}
console.log(`total: ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`);

mkdirSync(path.join(repoRoot, 'test-results'), { recursive: true });
writeFileSync(path.join(repoRoot, 'test-results/clients.json'), `${JSON.stringify(report, null, 2)}\n`);
process.exit(report.failed > 0 ? 1 : 0);
