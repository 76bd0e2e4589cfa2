/**
 * bench:uploads — bundle uploads against a real server process (issue goals in brackets):
 *   8 concurrent 190 MiB uploads by a publisher: the server's peak resident memory [< 400 MB],
 *   printed beside the same process's idle memory; `/__ping__` while a gzip bomb (800 MiB of
 *   zeros) is being refused [< 200 ms]. The bodies are generated as streams, never held whole.
 * SQLite in a temporary folder, or PostgreSQL: a database of the bench's own, made on the server
 * BENCH_DATABASE_URL reaches and dropped after.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { TAR_END, tarHeader, tarPadding } from '../apps/server/src/test/tar.js';
import { type ServerProcess, startEnvdesk, stopServer } from './lib/processes.js';
import { type ScratchDatabase, createScratchDatabase } from '../apps/server/src/test/scratch-database.js';

const MiB = 1024 * 1024;
const UPLOADS = 8;
const UPLOAD_BYTES = 190 * MiB;
const RSS_GOAL_MB = 400;
const PING_GOAL_MS = 200;

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'envdesk-bench-uploads-'));
let server: ServerProcess | null = null;
const say = (line: string) => process.stdout.write(`${line}\n`);

/** VmRSS and VmHWM (peak) of a process, in MB, from /proc. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kB = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: kB('VmRSS') / 1000, peak: kB('VmHWM') / 1000 };
}

/** A tar of a manifest and one file of `size` bytes whose content comes from `fill`, as a stream. */
async function* tarWith(size: number, fill: Buffer): AsyncGenerator<Buffer> {
  const manifest = Buffer.from(JSON.stringify({ version: 1, metadata: { appmode: 'python-api' }, python: { version: '3.11.4' } }));
  yield tarHeader('manifest.json', manifest.length);
  yield Buffer.concat([manifest, tarPadding(manifest.length)]);
  yield tarHeader('data.bin', size);
  for (let sent = 0; sent < size; sent += fill.length) yield fill.subarray(0, Math.min(fill.length, size - sent));
  yield tarPadding(size);
  yield TAR_END;
}

/**
 * A .tar.gz of about `bytes` holding incompressible data, gzip-ed at level 0 (stored blocks) so the
 * bench spends its time sending, not compressing: one random MiB repeated.
 */
const bundleStream = (bytes: number): Readable => Readable.from(tarWith(bytes - 64 * 1024, randomBytes(MiB))).pipe(createGzip({ level: 0 }));

/** 800 MiB of zeros, compressed to under a megabyte. */
async function gzipBomb(): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for await (const piece of Readable.from(tarWith(800 * MiB, Buffer.alloc(MiB))).pipe(createGzip({ level: 9 }))) pieces.push(piece as Buffer);
  return Buffer.concat(pieces);
}

/** POSTs the body (chunked: its length is not known in advance) and resolves with the status and answer. */
function upload(url: string, key: string, body: Readable): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { authorization: `Key ${key}`, 'content-type': 'application/gzip' } }, (res) => {
      const pieces: Buffer[] = [];
      res.on('data', (piece: Buffer) => pieces.push(piece));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(pieces).toString() }));
    });
    req.on('error', reject);
    pipeline(body, req).catch(reject);
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the bench reads a few known fields of the API's JSON
async function json(url: string, init: RequestInit = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

/** A publisher with an API key of their own: created by the administrator, signed in, key made. */
async function publisherKey(base: string, adminKey: string): Promise<string> {
  const password = randomBytes(12).toString('base64url');
  const admin = { authorization: `Key ${adminKey}`, 'content-type': 'application/json' };
  await json(`${base}/__api__/v1/users`, { method: 'POST', headers: admin, body: JSON.stringify({ username: 'bench-publisher', password, user_role: 'publisher' }) });
  const login = await fetch(`${base}/__api__/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ username: 'bench-publisher', password }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const csrf = (await json(`${base}/__api__/v1/auth/csrf`, { headers: { cookie } })).body.token as string;
  const key = await json(`${base}/__api__/v1/user/keys`, {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ name: 'bench' }),
  });
  if (key.status !== 200) throw new Error(`could not create the publisher's key: ${key.status} ${JSON.stringify(key.body)}`);
  return key.body.key as string;
}

/**
 * Pings every 10 ms from a process of its own while `work` runs, and reports the slowest answer: the
 * bench's own event loop, busy generating 8 bodies, would otherwise delay the pings it measures.
 */
async function slowestPingDuring<T>(base: string, work: () => Promise<T>): Promise<{ result: T; slowestMs: number; pings: number }> {
  const script = `
    let running = true, slowest = 0, pings = 0;
    process.stdin.on('end', () => { running = false; }).resume();
    while (running) {
      const started = performance.now();
      await (await fetch(${JSON.stringify(`${base}/__ping__`)})).arrayBuffer();
      slowest = Math.max(slowest, performance.now() - started);
      pings += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    process.stdout.write(JSON.stringify({ slowest, pings }));`;
  const pinger = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  pinger.stdout.on('data', (piece: Buffer) => (output += piece.toString()));
  const exited = once(pinger, 'exit');
  // The pinger is answering before the work starts.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const result = await work().finally(() => pinger.stdin.end());
  await exited;
  const figures = JSON.parse(output) as { slowest: number; pings: number };
  return { result, slowestMs: figures.slowest, pings: figures.pings };
}

// Assigned inside main(): typed by its initial value, the finally block below would take it for null.
let database = null as ScratchDatabase | null;

async function main() {
  const adminKey = randomBytes(24).toString('base64url');
  if (process.env.BENCH_DATABASE_URL) database = await createScratchDatabase(process.env.BENCH_DATABASE_URL, 'envdesk_bench_uploads');
  server = await startEnvdesk(dataDir, {
    ENVDESK_BOOTSTRAP_USERNAME: 'bench-admin',
    ENVDESK_BOOTSTRAP_PASSWORD: randomBytes(12).toString('base64url'),
    ENVDESK_BOOTSTRAP_API_KEY: adminKey,
    ...(database ? { DATABASE_URL: database.url } : {}),
  });
  const pid = server.child.pid!;
  const base = server.url;
  const key = await publisherKey(base, adminKey);
  const headers = { authorization: `Key ${key}`, 'content-type': 'application/json' };
  const guids: string[] = [];
  for (let i = 0; i < UPLOADS; i++) {
    guids.push((await json(`${base}/__api__/v1/content`, { method: 'POST', headers, body: '{}' })).body.guid as string);
  }
  // Warm up: one small upload loads every module the big ones use.
  const warm = await upload(`${base}/__api__/v1/content/${guids[0]}/bundles`, key, bundleStream(2 * MiB));
  if (warm.status !== 200) throw new Error(`warm-up upload failed: ${warm.status} ${warm.text}`);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const idle = memoryOf(pid);
  say(`database: ${database ? 'PostgreSQL' : 'SQLite'}`);
  say(`server idle: RSS ${idle.rss.toFixed(0)} MB (peak so far ${idle.peak.toFixed(0)} MB)`);

  let sampledPeak = idle.rss;
  const sampler = setInterval(() => {
    sampledPeak = Math.max(sampledPeak, memoryOf(pid).rss);
  }, 50);
  let started = 0;
  const uploads = () => {
    started = performance.now();
    return Promise.all(guids.map((guid) => upload(`${base}/__api__/v1/content/${guid}/bundles`, key, bundleStream(UPLOAD_BYTES))));
  };
  const { result, slowestMs: slowestPingUploading } = await slowestPingDuring(base, uploads);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const after = memoryOf(pid);
  const failed = result.filter((answer) => answer.status !== 200);
  if (failed.length > 0) throw new Error(`${failed.length} uploads failed: ${failed.map((answer) => `${answer.status} ${answer.text}`).join('; ')}`);
  const sizes = result.map((answer) => (JSON.parse(answer.text) as { size: number }).size);
  const peak = Math.max(sampledPeak, after.peak);
  say(
    `${UPLOADS} concurrent uploads of ${(sizes[0]! / MiB).toFixed(1)} MiB (${((UPLOADS * sizes[0]!) / MiB).toFixed(0)} MiB in all) in ${seconds.toFixed(1)} s: ` +
      `peak RSS ${peak.toFixed(0)} MB (VmHWM ${after.peak.toFixed(0)} MB, sampled ${sampledPeak.toFixed(0)} MB), +${(peak - idle.rss).toFixed(0)} MB over idle ` +
      `[goal < ${RSS_GOAL_MB} MB: ${peak < RSS_GOAL_MB ? 'met' : 'NOT met'}]; slowest /__ping__ meanwhile ${slowestPingUploading.toFixed(0)} ms`,
  );

  const bomb = await gzipBomb();
  let refusedMs = 0;
  const refusal = await slowestPingDuring(base, async () => {
    const sent = performance.now();
    const answer = await upload(`${base}/__api__/v1/content/${guids[0]}/bundles`, key, Readable.from([bomb]));
    refusedMs = performance.now() - sent;
    return answer;
  });
  say(
    `gzip bomb (${(bomb.length / MiB).toFixed(2)} MiB → 800 MiB of zeros): ${refusal.result.status} in ${refusedMs.toFixed(0)} ms "${(JSON.parse(refusal.result.text) as { error: string }).error}"; ` +
      `slowest of ${refusal.pings} /__ping__ meanwhile ${refusal.slowestMs.toFixed(0)} ms [goal < ${PING_GOAL_MS} ms: ${refusal.slowestMs < PING_GOAL_MS ? 'met' : 'NOT met'}]`,
  );
}

try {
  await main();
} finally {
  if (server) await stopServer(server);
  rmSync(dataDir, { recursive: true, force: true });
  await database?.drop();
}
