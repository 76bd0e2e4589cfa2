/**
 * `envdesk db migrate` on a large SQLite envdesk: 10,000 environments and 1 GB of bundles
 * (1,024 pieces of 1 MiB, the way uploads store them), copied into a fresh PostgreSQL database
 * by the real command in its own process. Prints the time and the command's peak memory, beside
 * the floor for moving the same bytes on this disk (copying the SQLite file). Goal: peak memory
 * bounded (≤ 256 MB) whatever the bundles weigh: the copy streams rows in batches of ≤ 8 MB.
 *
 *   npm run bench:db-migrate [-- --environments 10000 --megabytes 1024]
 *   (PostgreSQL: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres)
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { NO_BUNDLE_SOURCE } from '@envdesk/domain';
import { newGuid, systemClock, timestamp } from '../apps/server/src/clock.js';
import { openDatabase } from '../apps/server/src/db/database.js';
import { createStore } from '../apps/server/src/db/store.js';
import { type ScratchDatabase, createScratchDatabase } from '../apps/server/src/test/scratch-database.js';
import { seedEnvironments } from './lib/seed-environments.js';

const GOAL_PEAK_MB = 256;
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const { values: options } = parseArgs({ options: { environments: { type: 'string', default: '10000' }, megabytes: { type: 'string', default: '1024' } } });
const environmentCount = Number(options.environments);
const megabytes = Number(options.megabytes);
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const say = (text: string) => process.stdout.write(`${text}\n`);

/** A SQLite envdesk with the environments, and content whose bundles weigh `megabytes` in 1 MiB pieces. */
async function seed(dataDir: string): Promise<void> {
  const connection = await openDatabase({ dataDir });
  try {
    await seedEnvironments(connection, environmentCount);
    const store = createStore(connection);
    const now = timestamp(systemClock);
    const owner = await store.users.insert(newGuid(), { username: 'bench-owner', email: '', first_name: '', last_name: '', user_role: 'publisher' }, null, now);
    const contentGuid = newGuid();
    await store.content.insert(contentGuid, owner.id, 'bench-content', {}, now);
    const content = (await store.content.findByGuid(contentGuid))!;
    // Bundles of 64 MiB each (the last one smaller), random bytes: what compresses is already compressed.
    for (let left = megabytes, index = 0; left > 0; index++) {
      const pieces = Math.min(64, left);
      left -= pieces;
      const uploadKey = `bench-${index}`;
      await store.bundles.startUpload(uploadKey, now);
      for (let seq = 0; seq < pieces; seq++) await store.bundles.stageChunk(uploadKey, seq, randomBytes(1024 * 1024));
      await store.bundles.insert(
        content.id,
        { ...NO_BUNDLE_SOURCE, created_by: owner.user.guid, size: pieces * 1024 * 1024, archive_md5: '0'.repeat(32), archive_sha1: '0'.repeat(40), manifest: { version: 1, metadata: { appmode: 'static' } } as never },
        uploadKey,
        now,
      );
    }
  } finally {
    await connection.close();
  }
}

/** Runs the built command; answers its wall time and its own report of peak memory. */
function migrate(dataDir: string, url: string): Promise<{ seconds: number; peakMb: number; output: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(repoRoot, 'apps/server/dist/cli/envdesk.js'), 'db', 'migrate', '--from', dataDir, '--to', url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', () => undefined);
    child.on('exit', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const peak = /peak memory (\d+) MB/.exec(output);
      if (code !== 0 || !peak) reject(new Error(`the command failed (${code}):\n${output}`));
      else resolve({ seconds, peakMb: Number(peak[1]), output });
    });
  });
}

const folder = await mkdtemp(path.join(tmpdir(), 'envdesk-bench-migrate-'));
let target: ScratchDatabase | null = null;
try {
  const dataDir = path.join(folder, 'data');
  let started = performance.now();
  await seed(dataDir);
  const file = path.join(dataDir, 'envdesk.db');
  const size = (await stat(file)).size;
  say(`seeded ${environmentCount} environments and ${megabytes} MiB of bundles (SQLite file ${(size / 1e9).toFixed(2)} GB) in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  started = performance.now();
  await copyFile(file, path.join(folder, 'copy.db'));
  const floor = (performance.now() - started) / 1000;
  await rm(path.join(folder, 'copy.db'));

  target = await createScratchDatabase(serverUrl, 'envdesk_bench_migrate');
  const moved = await migrate(dataDir, target.url);
  say(`\nenvdesk db migrate   ${moved.seconds.toFixed(1)} s, peak memory ${moved.peakMb} MB (${moved.output.split('\n')[0]})`);
  say(`copying the SQLite file (the floor for moving its bytes on this disk): ${floor.toFixed(1)} s`);
  say(`\npeak memory          ${moved.peakMb} MB   goal ≤ ${GOAL_PEAK_MB} MB   ${moved.peakMb <= GOAL_PEAK_MB ? 'PASS' : 'MISS'}`);
} finally {
  await target?.drop().catch(() => undefined);
  await rm(folder, { recursive: true, force: true });
}
