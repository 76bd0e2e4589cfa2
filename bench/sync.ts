/**
 * bench:sync — the declarative file at 10,000 entries (issue goals in brackets):
 *   first sync [≤ 2 s], a poll that finds no change [≤ 5 ms], applying one changed entry [≤ 200 ms],
 *   the longest event-loop block during the first sync and during a one-entry change [≤ 50 ms],
 *   file written → visible in the API with the default settle window and poll [p50 ≤ 500 ms].
 * Each figure is printed beside a baseline measured in the same run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { newGuid, systemClock, timestamp } from '../apps/server/src/clock.js';
import { openDatabase } from '../apps/server/src/db/database.js';
import { createStore } from '../apps/server/src/db/store.js';
import { createFileSync } from '../apps/server/src/sync/file-sync.js';
import { toYaml } from '../apps/server/src/sync/environments-file-reader.js';

const COUNT = 10_000;
const root = mkdtempSync(path.join(os.tmpdir(), 'envdesk-bench-sync-'));
const children: ChildProcess[] = [];
const cleanup = () => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
};
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

function entries(marker = 'v1') {
  return Array.from({ length: COUNT }, (_, i) => ({
    name: `ghcr.io/my-org/runtime-${i}:r4.${i % 5}-py3.${8 + (i % 5)}`,
    title: `Runtime ${i} (${i === 42 ? marker : 'v1'})`,
    description: `Team environment number ${i}`,
    matching: i % 10 === 0 ? 'exact' : 'any',
    python: { installations: [{ version: `3.${8 + (i % 5)}.${i % 20}`, path: `/opt/python/3.${8 + (i % 5)}/bin/python3` }] },
    r: { installations: [{ version: `4.${i % 5}.${i % 3}`, path: `/opt/R/4.${i % 5}/bin/R` }] },
    ...(i % 7 === 0 ? { quarto: { installations: [{ version: '1.5.57', path: '/opt/quarto/1.5.57/bin/quarto' }] } } : {}),
  }));
}

function writeAtomically(file: string, text: string) {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

/**
 * The longest time the event loop was held while `work` ran: a 1 ms timer's worst lateness, from
 * perf_hooks' event-loop delay histogram (and a plain drift sampler as a check; the larger counts).
 */
async function longestBlock<T>(work: () => Promise<T>): Promise<{ result: T; longestMs: number }> {
  await new Promise((resolve) => setTimeout(resolve, 20));
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let drift = 0;
  let last = performance.now();
  const sampler = setInterval(() => {
    const now = performance.now();
    drift = Math.max(drift, now - last);
    last = now;
  }, 1);
  histogram.enable();
  try {
    const result = await work();
    return { result, longestMs: Math.max(histogram.max / 1e6, drift) };
  } finally {
    histogram.disable();
    clearInterval(sampler);
  }
}

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};
const fmt = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const rows: Array<[string, string, string, string]> = [];
const report = (label: string, value: number, goal: number | null, baseline: string) =>
  rows.push([label, `${fmt(value)} ms`, goal === null ? '' : `${value <= goal ? 'PASS' : 'MISS'} (≤ ${goal} ms)`, baseline]);

async function inProcess() {
  const file = path.join(root, 'environments.yaml');
  const yamlText = toYaml({ executionEnvironments: entries() });
  writeAtomically(file, yamlText);
  console.log(`file: ${COUNT} entries, ${(yamlText.length / 1e6).toFixed(1)} MB of YAML`);

  // Baseline: the same 10,000 rows inserted straight through the store in one transaction.
  const baseDir = path.join(root, 'baseline-db');
  const baseConnection = await openDatabase({ dataDir: baseDir });
  const baseStore = createStore(baseConnection);
  const rawStart = process.hrtime.bigint();
  await baseStore.transaction(async (tx) => {
    const now = timestamp(systemClock);
    for (const entry of entries()) {
      await tx.environments.insert(newGuid(), {
        ...entry,
        matching: entry.matching as 'any' | 'exact',
        description: entry.description,
        supervisor: null,
        managed_by: 'config-file',
        quarto: entry.quarto ?? { installations: [] },
        tensorflow: { installations: [] },
        nodejs: { installations: [] },
        volume_mounts: [],
      }, now);
    }
  });
  const rawInsertMs = ms(rawStart);
  await baseConnection.close();

  const connection = await openDatabase({ dataDir: path.join(root, 'db') });
  const store = createStore(connection);
  // No settle window here: these figures are the cost of the work; the latency figures below
  // include the default window.
  const sync = createFileSync({ store, logger: pino({ level: 'silent' }), clock: systemClock, path: file, pollMs: 3_600_000, watch: false, settleMs: 0 });
  const timed = (work: () => Promise<void>) => async () => {
    const start = process.hrtime.bigint();
    await work();
    return ms(start);
  };
  const { result: firstMs, longestMs: firstBlockMs } = await longestBlock(timed(() => sync.start()));
  report('first sync', firstMs, 2000, `inserting the rows alone: ${fmt(rawInsertMs)} ms`);
  report('longest event-loop block, first sync', firstBlockMs, 50, `the whole sync in one go: ${fmt(firstMs)} ms`);

  const idle: number[] = [];
  for (let i = 0; i < 300; i++) {
    const start = process.hrtime.bigint();
    await sync.pollNow();
    idle.push(ms(start));
  }
  // Baseline: what a poll costs if it reads and hashes the file every time.
  const naive: number[] = [];
  for (let i = 0; i < 30; i++) {
    const start = process.hrtime.bigint();
    createHash('sha256').update(readFileSync(file, 'utf8')).digest('hex');
    naive.push(ms(start));
  }
  report('poll, no change (median)', quantile(idle, 0.5), 5, `read + hash every poll: ${fmt(quantile(naive, 0.5))} ms`);

  const changed: number[] = [];
  const blocks: number[] = [];
  for (let i = 0; i < 10; i++) {
    writeAtomically(file, toYaml({ executionEnvironments: entries(`edit ${i}`) }));
    const { result: changeMs, longestMs } = await longestBlock(timed(() => sync.pollNow()));
    changed.push(changeMs);
    blocks.push(longestMs);
    const changes = sync.status().last_changes ?? [];
    if (changes.length !== 1) throw new Error(`expected one change, got ${changes.length}`);
  }
  report('one changed entry (median)', quantile(changed, 0.5), 200, `a full first sync: ${fmt(firstMs)} ms`);
  report('longest event-loop block, one change (worst of 10)', Math.max(...blocks), 50, `the change in one go: ${fmt(quantile(changed, 0.5))} ms`);
  await sync.stop();
  await connection.close();
}

function startServer(dataDir: string, file: string, watch: boolean): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@envdesk/source', 'src/main.ts'], {
    cwd: path.join(import.meta.dirname, '..', 'apps', 'server'),
    env: {
      ...process.env,
      PORT: '0',
      LOG_LEVEL: 'info',
      ENVDESK_DATA_DIR: dataDir,
      ENVDESK_BOOTSTRAP_PASSWORD: 'bench-password',
      ENVDESK_BOOTSTRAP_API_KEY: 'bench-key',
      ENVDESK_ENVIRONMENTS_FILE: file,
      ENVDESK_ENVIRONMENTS_WATCH: watch ? '1' : '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(buffered);
      if (match?.[1]) resolve({ url: match[1], child });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function latency(watch: boolean, samples: number): Promise<number[]> {
  const dir = path.join(root, watch ? 'watch' : 'poll');
  const file = path.join(root, `environments-${watch ? 'watch' : 'poll'}.json`);
  writeAtomically(file, JSON.stringify(entries()));
  const { url, child } = await startServer(dir, file, watch);
  const headers = { authorization: 'Key bench-key' };
  const list = (await (await fetch(`${url}/__api__/v1/environments`, { headers })).json()) as Array<{ guid: string; title: string }>;
  const target = list.find((environment) => environment.title.startsWith('Runtime 42 '));
  if (!target) throw new Error('entry 42 not found');
  const results: number[] = [];
  for (let i = 0; i < samples; i++) {
    const marker = `${watch ? 'w' : 'p'}${i}`;
    // Write at a random point of the poll cycle, as a real change would land.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 2000));
    writeAtomically(file, JSON.stringify(entries(marker)));
    const written = process.hrtime.bigint();
    for (;;) {
      const current = (await (await fetch(`${url}/__api__/v1/environments/${target.guid}`, { headers })).json()) as { title: string };
      if (current.title.includes(`(${marker})`)) break;
      if (ms(written) > 10_000) throw new Error('change not visible after 10 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    results.push(ms(written));
  }
  child.kill('SIGTERM');
  return results;
}

try {
  await inProcess();
  const samples = 12;
  const polled = await latency(false, samples);
  const watched = await latency(true, samples);
  report('written → visible, with the 150 ms settle window (p50)', quantile(watched, 0.5), 500, `poll only (2 s): p50 ${fmt(quantile(polled, 0.5))} ms`);
  report('written → visible, with the 150 ms settle window (p95)', quantile(watched, 0.95), null, `poll only (2 s): p95 ${fmt(quantile(polled, 0.95))} ms`);

  const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => row[column]!.length), 8));
  console.log('');
  for (const row of rows) console.log(row.map((cell, column) => cell.padEnd(widths[column]!)).join('  '));
} finally {
  cleanup();
}
