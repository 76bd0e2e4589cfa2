import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ServerProcess {
  readonly name: string;
  readonly url: string;
  readonly child: ChildProcess;
}

/** A port nothing listens on right now (the OS picks it; the child binds it a moment later). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (typeof address !== 'object' || !address) throw new Error('could not find a free port');
  return address.port;
}

export interface StartOptions {
  readonly name: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly port: number;
  /** Where the child's stdout and stderr go: a file, so a chatty log costs the server what it would in production. */
  readonly logFile: string;
  /** Path answered with 2xx once the server is ready. */
  readonly readyPath: string;
}

/** Starts a Node server in its own process and waits until it answers `readyPath`. */
export async function startServer({ name, args, cwd, env, port, logFile, readyPath }: StartOptions): Promise<ServerProcess> {
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', log, log] });
  closeSync(log);
  // The log lives in the temporary folder, removed on exit, so a failure quotes it.
  const logTail = () => readFileSync(logFile, 'utf8').slice(-2000);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} before it was ready:\n${logTail()}`);
    try {
      const response = await fetch(`${url}${readyPath}`);
      await response.arrayBuffer();
      if (response.ok) return { name, url, child };
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not answer ${readyPath} within 30 s:\n${logTail()}`);
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
/** The built server (`npm run build`), as `npm start` runs it. */
export const envdeskMain = path.join(repoRoot, 'apps/server/dist/bundle/main.js');

/**
 * The built envdesk on a free port over `dataDir` (its log goes there too), ready once `/__ping__`
 * answers; `env` adds to or overrides the production basics.
 */
export async function startEnvdesk(dataDir: string, env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const port = await freePort();
  return startServer({
    name: 'envdesk',
    args: [envdeskMain],
    cwd: repoRoot,
    env: { PATH: process.env.PATH, NODE_ENV: 'production', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env, PORT: String(port), ENVDESK_DATA_DIR: dataDir },
    port,
    logFile: path.join(dataDir, 'envdesk.log'),
    readyPath: '/__ping__',
  });
}

/** SIGTERM, then SIGKILL if the process has not gone within `graceMs`. */
export async function stopServer({ child }: ServerProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Linux reports process times in clock ticks; 100 a second on every mainstream kernel configuration. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) `pid` has used so far, or null where /proc is not available. */
export function cpuSecondsOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself hold spaces: state is [0], utime [11], stime [12].
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}
