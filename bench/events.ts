/**
 * bench:events — 1,000 open event streams (`GET /__api__/v1/events`) on one envdesk process
 * (issue 13, goals in brackets): the server's memory per open stream [≤ 50 kB], and the time from
 * a change being sent to its event reaching every stream, p50 and p99 [p99 ≤ 200 ms]. The built
 * server runs in its own process on SQLite, or on PostgreSQL with --database-url (a server the
 * bench makes a database of its own on, and drops after); the streams are plain HTTP connections
 * from this process.
 *
 *   npm run bench:events [-- --streams 1000 --changes 30 --gap-ms 200 --database-url postgres://…]
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { type ServerProcess, envdeskMain, startEnvdesk, stopServer } from './lib/processes.js';
import { type ScratchDatabase, createScratchDatabase } from '../apps/server/src/test/scratch-database.js';

const { values: options } = parseArgs({
  options: {
    streams: { type: 'string', default: '1000' },
    changes: { type: 'string', default: '30' },
    'gap-ms': { type: 'string', default: '200' },
    'database-url': { type: 'string' },
  },
});
const streamCount = Number(options.streams);
const changeCount = Number(options.changes);
const gapMs = Number(options['gap-ms']);
for (const [name, value] of Object.entries({ streams: streamCount, changes: changeCount, 'gap-ms': gapMs })) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number ≥ 1`);
}
const GOAL_KB_PER_STREAM = 50;
const GOAL_P99_MS = 200;

const say = (text: string) => process.stdout.write(`${text}\n`);
let server: ServerProcess | null = null;
let dataDir: string | null = null;
let database: ScratchDatabase | null = null;
const requests: http.ClientRequest[] = [];

async function cleanUp(): Promise<void> {
  for (const request of requests.splice(0)) request.destroy();
  if (server) await stopServer(server);
  server = null;
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  dataDir = null;
  await database?.drop();
  database = null;
}
process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));

/** The server's resident memory in kB, from /proc (Linux). */
function residentKb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error('no VmRSS in /proc: this bench needs Linux');
  return Number(match[1]);
}

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

/**
 * One stream: resolves once its headers are in; `onEvent` gets each environment GUID an event names
 * and when it arrived. Parsing is a search for the GUID, enough for timing and light on the client.
 */
function openStream(agent: http.Agent, url: string, key: string, onEvent: (guid: string, at: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers: { Authorization: `Key ${key}`, Accept: 'text/event-stream' } }, (response) => {
      if (response.statusCode !== 200) {
        reject(new Error(`stream answered ${response.statusCode}`));
        return;
      }
      response.setEncoding('utf8');
      let buffer = '';
      response.on('data', (chunk: string) => {
        const at = performance.now();
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const guid = /"subject_guid":"([^"]+)"/.exec(message)?.[1];
          if (guid) onEvent(guid, at);
        }
      });
      resolve();
    });
    request.on('error', reject);
    requests.push(request);
  });
}

async function main(): Promise<void> {
  if (!existsSync(envdeskMain)) throw new Error('apps/server/dist/bundle/main.js is missing; run `npm run build` first');
  dataDir = await mkdtemp(path.join(tmpdir(), 'envdesk-bench-events-'));
  const apiKey = randomBytes(24).toString('base64url');
  if (options['database-url']) database = await createScratchDatabase(options['database-url'], 'envdesk_bench_events');
  server = await startEnvdesk(dataDir, {
    ENVDESK_BOOTSTRAP_USERNAME: 'bench-admin',
    ENVDESK_BOOTSTRAP_PASSWORD: randomBytes(12).toString('base64url'),
    ENVDESK_BOOTSTRAP_API_KEY: apiKey,
    ...(database ? { DATABASE_URL: database.url } : {}),
    // A young generation of 1 MB instead of up to 16: garbage not yet collected would otherwise
    // swing the resident size by more than 1,000 streams hold (the latencies pay the extra scavenges).
    NODE_OPTIONS: '--max-semi-space-size=1',
  });
  const pid = server.child.pid!;
  const url = `${server.url}/__api__/v1/events`;
  const headers = { Authorization: `Key ${apiKey}`, 'Content-Type': 'application/json' };
  const change = async (index: number) => {
    const response = await fetch(`${server!.url}/__api__/v1/environments`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: `ghcr.io/bench/events-${index}-${randomBytes(3).toString('hex')}:1`, title: `Bench ${index}` }),
    });
    if (response.status !== 200) throw new Error(`a change answered ${response.status}: ${await response.text()}`);
    return ((await response.json()) as { guid: string }).guid;
  };

  // Warm the server (code paths, the list cache, the hub) with a few streams and changes first.
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const arrivals = new Map<string, number[]>();
  const onEvent = (guid: string, at: number) => {
    const times = arrivals.get(guid) ?? [];
    times.push(at);
    arrivals.set(guid, times);
  };
  for (let i = 0; i < 5; i += 1) await openStream(agent, url, apiKey, () => undefined);
  for (let i = 0; i < 5; i += 1) await change(-1 - i);
  // As many signed-in requests as there will be streams, in the same batches: the garbage each
  // request leaves (authentication, parsing) grows V8's young generation the same way, so the
  // difference below is what open streams hold, not what opening them left behind.
  for (let i = 0; i < streamCount; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, streamCount - i) }, async () => {
        const response = await fetch(`${url}?lastEventId=not-an-id`, { headers });
        await response.arrayBuffer();
      }),
    );
  }
  await sleep(1_000);
  const before = residentKb(pid);

  const opening = performance.now();
  for (let i = 0; i < streamCount; i += 50) {
    await Promise.all(Array.from({ length: Math.min(50, streamCount - i) }, () => openStream(agent, url, apiKey, onEvent)));
  }
  const openedMs = performance.now() - opening;
  await sleep(1_000);
  const after = residentKb(pid);
  const kbPerStream = (after - before) / streamCount;
  say(`opened ${streamCount} streams in ${(openedMs / 1000).toFixed(1)} s; server RSS ${(before / 1024).toFixed(1)} MB → ${(after / 1024).toFixed(1)} MB`);

  const perChange: Array<{ guid: string; sentAt: number }> = [];
  const answered: number[] = [];
  for (let i = 0; i < changeCount; i += 1) {
    const sentAt = performance.now();
    perChange.push({ guid: await change(i), sentAt });
    answered.push(performance.now() - sentAt);
    await sleep(gapMs);
  }
  answered.sort((a, b) => a - b);
  // Everything should be in long before this; what is missing after it counts as lost.
  await sleep(2_000);

  const each: number[] = [];
  const all: number[] = [];
  let lost = 0;
  for (const { guid, sentAt } of perChange) {
    const times = (arrivals.get(guid) ?? []).map((at) => at - sentAt);
    lost += streamCount - times.length;
    each.push(...times);
    if (times.length === streamCount) all.push(Math.max(...times));
  }
  each.sort((a, b) => a - b);
  all.sort((a, b) => a - b);
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  say('');
  say(`${streamCount} streams, ${changeCount} changes (POST /v1/environments, ${gapMs} ms apart), ${options['database-url'] ? 'PostgreSQL' : 'SQLite'}`);
  say(`  memory per open stream            ${kbPerStream.toFixed(1).padStart(7)} kB   goal ≤ ${GOAL_KB_PER_STREAM} kB   ${kbPerStream <= GOAL_KB_PER_STREAM ? 'PASS' : '*** MISS ***'}`);
  say(`  change answered (POST)    p50 ${ms(quantile(answered, 0.5)).padStart(9)}, p99 ${ms(quantile(answered, 0.99)).padStart(9)}`);
  say(`  change → one stream       p50 ${ms(quantile(each, 0.5)).padStart(9)}, p99 ${ms(quantile(each, 0.99)).padStart(9)}`);
  const p99All = quantile(all, 0.99);
  say(`  change → all ${streamCount} streams p50 ${ms(quantile(all, 0.5)).padStart(9)}, p99 ${ms(p99All).padStart(9)}   goal p99 ≤ ${GOAL_P99_MS} ms   ${p99All <= GOAL_P99_MS ? 'PASS' : '*** MISS ***'}`);
  say(`  events lost: ${lost} of ${streamCount * changeCount}`);
  if (lost > 0) process.exitCode = 1;
}

try {
  await main();
} catch (error) {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
