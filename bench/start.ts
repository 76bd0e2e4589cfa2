/**
 * How fast envdesk starts on an existing SQLite database, and how much memory it holds once idle,
 * side by side with a bare Express app started the same way (`node <file>`, no loader).
 * Measures the time from spawn to the first 200 from `GET /__ping__` (and the CPU time used by
 * then), and the RSS a moment later, over RUNS starts each (median). Goal: start ≤ 1.5× and idle
 * RSS ≤ 1.3× the bare app's.
 * Needs a build (`npm run bench:start` builds first).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { cpuSecondsOf, envdeskMain, freePort } from './lib/processes.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const serverRoot = path.join(repoRoot, 'apps/server');
const runs = Number(process.env.RUNS ?? 5);
/** How long a started server sits idle before its RSS is read (what an idle replica holds). */
const settleMs = 1000;

// The smallest app that answers the same probe: what Node and Express cost before envdesk adds anything.
const bareApp = `
import express from 'express';
const app = express();
app.get('/__ping__', (_req, res) => { res.json({}); });
const server = app.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

interface Start {
  readonly ms: number;
  /** CPU time the process used to get there (user + system, 10 ms steps; null without /proc). */
  readonly cpuMs: number | null;
  readonly rssMb: number;
}

function rssMbOf(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return kb / 1024;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Spawns `args`, polls `/__ping__` every few milliseconds, and reads RSS once the process has idled. */
async function measureStart(args: readonly string[], env: NodeJS.ProcessEnv): Promise<Start> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: serverRoot, env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before answering:\n${stderr}`);
      if (Date.now() > deadline) throw new Error(`did not answer /__ping__ within 30 s:\n${stderr}`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/__ping__`);
        await response.arrayBuffer();
        if (response.ok) break;
      } catch {
        // Not listening yet.
      }
      await sleep(2);
    }
    const ms = performance.now() - started;
    const cpuSeconds = cpuSecondsOf(child.pid);
    await sleep(settleMs);
    return { ms, cpuMs: cpuSeconds === null ? null : cpuSeconds * 1000, rssMb: rssMbOf(child.pid) };
  } finally {
    await stop(child);
  }
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function main(): Promise<void> {
  if (!existsSync(envdeskMain)) throw new Error('apps/server/dist/bundle/main.js is missing: run `npm run build` first');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'envdesk-bench-start-'));
  try {
    const envdeskEnv: NodeJS.ProcessEnv = { ...process.env, ENVDESK_DATA_DIR: dataDir, ENVDESK_BOOTSTRAP_PASSWORD: 'bench-password-0123', LOG_LEVEL: 'info' };
    delete envdeskEnv.DATABASE_URL;
    delete envdeskEnv.ENVDESK_ENVIRONMENTS_FILE;
    // The first start creates and migrates the database; the measured ones start on it as it is.
    await measureStart([envdeskMain], envdeskEnv);

    const envdesk: Start[] = [];
    const bare: Start[] = [];
    // Taking turns spreads whatever else the machine does over both.
    for (let run = 0; run < runs; run++) {
      bare.push(await measureStart(['--input-type=module', '-e', bareApp], process.env));
      envdesk.push(await measureStart([envdeskMain], envdeskEnv));
    }
    const cpuTimes = (starts: readonly Start[]) => starts.flatMap((s) => (s.cpuMs === null ? [] : [s.cpuMs]));
    const figures = (starts: readonly Start[]) => ({
      ms: median(starts.map((s) => s.ms)),
      cpuMs: cpuTimes(starts).length ? median(cpuTimes(starts)) : null,
      rssMb: median(starts.map((s) => s.rssMb)),
    });
    const e = figures(envdesk);
    const b = figures(bare);
    const line = (name: string, f: ReturnType<typeof figures>, starts: readonly Start[]) =>
      `${name.padEnd(12)} start ${f.ms.toFixed(0).padStart(4)} ms (runs: ${starts.map((s) => s.ms.toFixed(0)).join(', ')})` +
      `${f.cpuMs === null ? '' : `, CPU ${f.cpuMs.toFixed(0)} ms`}, idle RSS ${f.rssMb.toFixed(1)} MB`;
    console.log(`median of ${runs} starts each, spawn → first 200 from GET /__ping__ (and the CPU time used by then); RSS ${settleMs} ms later`);
    console.log(line('bare Express', b, bare));
    console.log(line('envdesk', e, envdesk));
    const startRatio = e.ms / b.ms;
    const rssRatio = e.rssMb / b.rssMb;
    // On a machine busy with other work, wall time swings with the scheduler; CPU time much less.
    const cpuRatio = e.cpuMs !== null && b.cpuMs ? `, CPU ${(e.cpuMs / b.cpuMs).toFixed(2)}×` : '';
    console.log(`envdesk / bare: start ${startRatio.toFixed(2)}× (goal ≤ 1.5×)${cpuRatio}, idle RSS ${rssRatio.toFixed(2)}× (goal ≤ 1.3×)`);
    if (startRatio > 1.5 || rssRatio > 1.3) process.exitCode = 1;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
