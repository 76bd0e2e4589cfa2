import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bundleStream } from '../test/bundles.js';
import { ADMIN_KEY, call, serverEnv, urlOf } from '../test/deploy-in-flight.js';
import { type ServerProcess, spawnServer } from '../test/server-process.js';
import { type TestDatabase, openTestDatabase, describeEachDialect } from '../test/test-database.js';

const MiB = 1024 * 1024;

/** Resident memory of a process (VmRSS), in bytes. */
function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]) * 1024;
}

function upload(url: string, body: Readable): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { authorization: `Key ${ADMIN_KEY}`, 'content-type': 'application/gzip' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    pipeline(body, req).catch(reject);
  });
}

// The full figure (8 × 190 MiB, under 400 MB) is bench:uploads'; this is its small, fast cousin.
describeEachDialect('upload memory on %s', (dialect) => {
  let database: TestDatabase;
  let server: ServerProcess;
  let url: string;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
    server = spawnServer(serverEnv(database));
    url = await urlOf(server);
  }, 90_000);
  afterAll(async () => {
    await server.stop('SIGKILL');
    await database.cleanup();
  });

  it('keeps two concurrent 96 MiB uploads out of memory: the server grows by well under their 192 MiB', async () => {
    const guid = (await call(url, 'POST', '/v1/content', {})).body.guid as string;
    const target = `${url}/__api__/v1/content/${guid}/bundles`;
    expect(await upload(target, bundleStream(2 * MiB))).toBe(200);
    const pid = server.child.pid!;
    const before = residentBytes(pid);
    // Sampled, not VmHWM: the process's start may have peaked higher than anything measured here.
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, residentBytes(pid));
    }, 20);
    const statuses = await Promise.all([upload(target, bundleStream(96 * MiB)), upload(target, bundleStream(96 * MiB))]).finally(() => clearInterval(sampler));
    expect(statuses).toEqual([200, 200]);
    const growth = peak - before;
    // Buffered, the two bodies alone would be 192 MiB (and a body parser copies them once more).
    // Streamed, the growth is the pieces in flight, SQLite's page cache and garbage not yet
    // collected: 55-70 MiB measured whatever the uploads' size, so the bound leaves room for both.
    expect(growth).toBeLessThan(128 * MiB);
  }, 120_000);
});
