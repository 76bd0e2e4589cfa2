/**
 * GET /__api__/v1/environments with 10,000 environments in the store, against a bare Express route
 * that sends the same bytes, in the same run. Goals at 10 connections: throughput ≥ 0.8× and
 * p99 ≤ 1.5× the bare route's, flat out; and server CPU per request ≤ 1.1× the bare route's, in a
 * round where both answer the same fixed rate (`--cpu-rate`, requests per second) sent by a light
 * client that counts the bytes it reads without parsing them (bench/lib/light-load.ts). A second round
 * sends If-None-Match with the current ETag (a poller whose list has not changed): both answer 304,
 * and the same ratios are printed for it. Both servers run in their own process, so neither shares an event
 * loop with the load tool. A MISS is a measurement, not a failure: the exit code is 0 unless a
 * request failed or the set-up broke.
 *
 *   npm run bench:list-environments [-- --log-level info --duration 6 --rounds 3 --cpu-rounds 5 --warmup 5 --connections 10 --load-workers 2 --cpu-rate 40]
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openDatabase } from '../apps/server/src/db/database.js';
import { measureAtRate } from './lib/light-load.js';
import { type LoadFigures, type LoadOptions, measure } from './lib/load.js';
import { type ServerProcess, envdeskMain, freePort, startEnvdesk, startServer, stopServer } from './lib/processes.js';
import { figuresTable, goalsMet, goalsTable, medianOf, spreadOf } from './lib/report.js';
import { seedEnvironments } from './lib/seed-environments.js';

const ENVIRONMENT_COUNT = 10_000;
const LIST_PATH = '/__api__/v1/environments';
/** Runs of one server further apart than this (in req/s, relative to their median) mean a busy machine. */
const NOISY_SPREAD = 0.25;
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const bareServer = path.join(repoRoot, 'bench/bare-server.ts');

const { values: options } = parseArgs({
  options: {
    'log-level': { type: 'string', default: 'warn' },
    duration: { type: 'string', default: '6' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    // One load-tool thread saturates parsing ~80 responses of 7.5 MB a second; two push the servers harder.
    'load-workers': { type: 'string', default: '2' },
    // The CPU round's requests per second, for both servers: about half of what bare answers flat out.
    'cpu-rate': { type: 'string', default: '40' },
    // The CPU round's runs per server: one run's CPU per request swings by ±15 % here (a major garbage
    // collection landing in it or not), so the goal's round takes more of them than the others.
    'cpu-rounds': { type: 'string', default: '5' },
  },
});
const durationSeconds = Number(options.duration);
const warmupSeconds = Number(options.warmup);
const rounds = Number(options.rounds);
const cpuRate = Number(options['cpu-rate']);
const cpuRounds = Number(options['cpu-rounds']);
const workers = Number(options['load-workers']);
const connections = Number(options.connections);
const logLevel = options['log-level'];
for (const [name, value] of Object.entries({ duration: durationSeconds, warmup: warmupSeconds, rounds, connections, 'cpu-rate': cpuRate, 'cpu-rounds': cpuRounds })) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number ≥ 1`);
}
if (!Number.isInteger(workers) || workers < 0) throw new Error('--load-workers must be a whole number ≥ 0');

const started = performance.now();
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
const say = (text: string) => process.stdout.write(`${text}\n`);

const servers: ServerProcess[] = [];
let dataDir: string | null = null;

/** Stops both servers and removes the temporary store; safe to call twice. */
async function cleanUp(): Promise<void> {
  await Promise.all(servers.splice(0).map((server) => stopServer(server)));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  dataDir = null;
}

process.once('SIGINT', () => {
  say('\ninterrupted; stopping servers');
  void cleanUp().finally(() => process.exit(130));
});

/** A response body, whole, and its ETag; anything but 2xx is an error. */
async function fetchWithEtag(url: string, headers: Record<string, string> = {}): Promise<{ body: Buffer; etag: string }> {
  const response = await fetch(url, { headers });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
  const etag = response.headers.get('etag');
  if (!etag) throw new Error(`GET ${url} sent no ETag`);
  return { body: Buffer.from(await response.arrayBuffer()), etag };
}

/** Server CPU per request, envdesk over bare: the goal is ≤ 1.1×. */
function cpuGoal(envdesk: LoadFigures, bare: LoadFigures) {
  const ratio = envdesk.serverCpuMsPerRequest / bare.serverCpuMsPerRequest;
  return { name: 'server CPU/req envdesk/bare', ratio, target: '≤ 1.1', met: ratio <= 1.1 };
}

async function main(): Promise<void> {
  if (!existsSync(envdeskMain)) throw new Error('apps/server/dist/bundle/main.js is missing; run `npm run build` first');
  dataDir = await mkdtemp(path.join(tmpdir(), 'envdesk-bench-'));

  const seeding = performance.now();
  const connection = await openDatabase({ dataDir });
  try {
    await seedEnvironments(connection, ENVIRONMENT_COUNT);
  } finally {
    await connection.close();
  }
  const databaseBytes = (await stat(path.join(dataDir, 'envdesk.db'))).size;
  say(`seeded ${ENVIRONMENT_COUNT} environments in one transaction in ${seconds(seeding)} s (database ${(databaseBytes / 1e6).toFixed(1)} MB)`);

  const apiKey = randomBytes(24).toString('base64url');
  const keyHeader = { Authorization: `Key ${apiKey}` };
  const envdesk = await startEnvdesk(dataDir, {
    ENVDESK_BOOTSTRAP_USERNAME: 'bench-admin',
    ENVDESK_BOOTSTRAP_PASSWORD: randomBytes(12).toString('base64url'),
    ENVDESK_BOOTSTRAP_API_KEY: apiKey,
    LOG_LEVEL: logLevel,
  });
  servers.push(envdesk);

  const listUrl = `${envdesk.url}${LIST_PATH}`;
  const { body, etag } = await fetchWithEtag(listUrl, keyHeader);
  const items: unknown = JSON.parse(body.toString('utf8'));
  if (!Array.isArray(items) || items.length !== ENVIRONMENT_COUNT) {
    throw new Error(`expected ${ENVIRONMENT_COUNT} environments, got ${Array.isArray(items) ? items.length : typeof items}`);
  }
  const bodyFile = path.join(dataDir, 'environments.json');
  await writeFile(bodyFile, body);

  const barePort = await freePort();
  const bare = await startServer({
    name: 'bare Express',
    args: ['--import', 'tsx', bareServer, bodyFile, String(barePort)],
    cwd: repoRoot,
    env: { PATH: process.env.PATH, NODE_ENV: 'production' },
    port: barePort,
    logFile: path.join(dataDir, 'bare.log'),
    readyPath: '/list',
  });
  servers.push(bare);
  const bareUrl = `${bare.url}/list`;
  const bareList = await fetchWithEtag(bareUrl);
  if (!bareList.body.equals(body)) throw new Error('the bare route does not send the same bytes as envdesk');

  say(`response: ${items.length} environments, ${body.length} bytes (${(body.length / 1e6).toFixed(2)} MB) of JSON`);
  say(`load: autocannon, ${connections} connections over ${workers || 'no'} worker threads, ${warmupSeconds} s warm-up (discarded) then ${durationSeconds} s per run, bare and envdesk taking turns × ${rounds}; envdesk LOG_LEVEL=${logLevel}`);

  const bareLoad = { url: bareUrl, connections, durationSeconds, workers, serverPid: bare.child.pid };
  const envdeskLoad = { url: listUrl, connections, durationSeconds, workers, headers: keyHeader, serverPid: envdesk.child.pid };
  const run = async (label: string, load: LoadOptions): Promise<LoadFigures> => {
    const figures = await measure(label, load);
    say(`  ${label.padEnd(12)} ${figures.requestsPerSecond.toFixed(1).padStart(6)} req/s, p99 ${figures.p99Ms} ms, server CPU ${figures.serverCpuPercent.toFixed(0)}%`);
    return figures;
  };

  // Both warmed first (the load tool's own process warms up too), then bare and envdesk take turns,
  // so drift from other work on the machine falls on both; each side is summarised by its median run.
  await measure('bare warm-up', { ...bareLoad, durationSeconds: warmupSeconds });
  await measure('envdesk warm-up', { ...envdeskLoad, durationSeconds: warmupSeconds });
  const bareRuns: LoadFigures[] = [];
  const envdeskRuns: LoadFigures[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    bareRuns.push(await run(`bare (${round})`, bareLoad));
    envdeskRuns.push(await run(`envdesk (${round})`, envdeskLoad));
  }
  const bareMedian = medianOf('bare (median)', bareRuns);
  const envdeskMedian = medianOf('envdesk (median)', envdeskRuns);

  // The CPU round: both servers answer the same requests per second, well below what either can,
  // sent by a client that only counts the bytes it reads (autocannon, parsing 7.5 MB answers, took
  // both cores), so CPU per request is the work each server does per request. Flat out, the servers
  // and the load tool share the cores unevenly from run to run.
  const atRate = async (label: string, load: LoadOptions): Promise<LoadFigures> => {
    const figures = await measureAtRate(label, { ...load, rate: cpuRate });
    say(`  ${label.padEnd(12)} ${figures.requestsPerSecond.toFixed(1).padStart(6)} req/s, p99 ${figures.p99Ms} ms, server CPU ${figures.serverCpuPercent.toFixed(0)}%, client CPU ${figures.loadToolCpuPercent.toFixed(0)}%`);
    return figures;
  };
  await measureAtRate('bare warm-up', { ...bareLoad, rate: cpuRate, durationSeconds: warmupSeconds });
  await measureAtRate('envdesk warm-up', { ...envdeskLoad, rate: cpuRate, durationSeconds: warmupSeconds });
  const bareCpuRuns: LoadFigures[] = [];
  const envdeskCpuRuns: LoadFigures[] = [];
  for (let round = 1; round <= cpuRounds; round += 1) {
    bareCpuRuns.push(await atRate(`bare @${cpuRate} (${round})`, bareLoad));
    envdeskCpuRuns.push(await atRate(`envdesk @${cpuRate} (${round})`, envdeskLoad));
  }
  const bareCpuMedian = medianOf(`bare @${cpuRate} (med.)`, bareCpuRuns);
  const envdeskCpuMedian = medianOf(`envdesk @${cpuRate} (med.)`, envdeskCpuRuns);

  // The conditional round: a client whose copy is current asks again and is answered 304, no body.
  const bare304Load = { ...bareLoad, headers: { 'If-None-Match': bareList.etag }, expectStatus: 304 };
  const envdesk304Load = { ...envdeskLoad, headers: { ...keyHeader, 'If-None-Match': etag }, expectStatus: 304 };
  await measure('bare 304 warm-up', { ...bare304Load, durationSeconds: warmupSeconds });
  await measure('envdesk 304 warm-up', { ...envdesk304Load, durationSeconds: warmupSeconds });
  const bare304Runs: LoadFigures[] = [];
  const envdesk304Runs: LoadFigures[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    bare304Runs.push(await run(`bare 304 (${round})`, bare304Load));
    envdesk304Runs.push(await run(`envdesk 304 (${round})`, envdesk304Load));
  }
  const bare304Median = medianOf('bare 304 (med.)', bare304Runs);
  const envdesk304Median = medianOf('envdesk 304 (med.)', envdesk304Runs);

  const goals = [...goalsMet(envdeskMedian, bareMedian), cpuGoal(envdeskCpuMedian, bareCpuMedian)];
  say('');
  say(`GET ${LIST_PATH}: ${ENVIRONMENT_COUNT} environments, ${(body.length / 1e6).toFixed(2)} MB per response, ${connections} connections`);
  say(figuresTable([...bareRuns, ...envdeskRuns, bareMedian, envdeskMedian]));
  say('');
  say(`The same at ${cpuRate} requests a second for both (server CPU per request, the CPU goal's round)`);
  say(figuresTable([...bareCpuRuns, ...envdeskCpuRuns, bareCpuMedian, envdeskCpuMedian]));
  const pairedRatios = envdeskCpuRuns.map((run, i) => run.serverCpuMsPerRequest / bareCpuRuns[i]!.serverCpuMsPerRequest);
  say(`  run by run (each envdesk run over the bare run before it): ${pairedRatios.map((ratio) => ratio.toFixed(2)).join(', ')}`);
  say(`  flat out, for comparison: server CPU/req envdesk/bare ${(envdeskMedian.serverCpuMsPerRequest / bareMedian.serverCpuMsPerRequest).toFixed(2)}`);
  say('');
  say(goalsTable(goals));
  say('');
  say(`GET ${LIST_PATH} with If-None-Match (304, no body), ${connections} connections`);
  say(figuresTable([...bare304Runs, ...envdesk304Runs, bare304Median, envdesk304Median]));
  const ratio304 = (key: 'requestsPerSecond' | 'serverCpuMsPerRequest') => (envdesk304Median[key] / bare304Median[key]).toFixed(2);
  say(`304 envdesk/bare: throughput ${ratio304('requestsPerSecond')}×, server CPU/req ${ratio304('serverCpuMsPerRequest')}× (envdesk ${envdesk304Median.serverCpuMsPerRequest.toFixed(3)} ms vs ${envdeskMedian.serverCpuMsPerRequest.toFixed(2)} ms for the full list)`);
  say('');
  const spread = Math.max(spreadOf(bareRuns), spreadOf(envdeskRuns));
  const disturbed = spread > NOISY_SPREAD;
  say(goals.every((goal) => goal.met) ? 'RESULT: PASS' : '*** RESULT: MISS — see the ratios above ***');
  if (disturbed) {
    say(
      `*** UNRELIABLE: one server's runs differ by ${(spread * 100).toFixed(0)}% in req/s, so other work on this ` +
        'machine disturbed them; rerun when it is idle before trusting the result. ***',
    );
  }
  say(`bench took ${seconds(started)} s`);
}

try {
  await main();
} catch (error) {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
