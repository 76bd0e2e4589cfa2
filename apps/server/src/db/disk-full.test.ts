import { ErrorCode } from '@envdesk/domain';
import { aCreateEnvironmentInput } from '@envdesk/domain/testing';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../test/memory-logger.js';
import { type TestServer, startTestServer } from '../test/test-server.js';

const diskFull = { status: 507, body: { code: ErrorCode.InternalFailure, error: expect.stringMatching(/disk is full/), payload: null } };

describe('SQLite disk full', () => {
  let server: TestServer | undefined;
  afterEach(() => server?.close());

  it('answers 507 saying the disk is full, logs SQLITE_FULL, keeps nothing half-written, and writes again once there is room', async () => {
    const { logger, lines } = memoryLogger();
    server = await startTestServer({ logger });
    const { db } = server.database.connection;
    // A real SQLITE_FULL: the database may not grow past a few more pages than it has now.
    const { rows: pages } = await sql<{ page_count: number }>`pragma page_count`.execute(db);
    const { rows: limit } = await sql<{ max_page_count: number }>`pragma max_page_count`.execute(db);
    await sql.raw(`pragma max_page_count = ${pages[0]!.page_count + 4}`).execute(db);

    // Content items until the database is full. For this write SQLite rolls the transaction back
    // itself, so the explicit rollback fails too ("cannot rollback - no transaction is active"):
    // the answer and the log must still tell the first error, the full disk.
    const created: string[] = [];
    let refused: { status: number; body: unknown } | undefined;
    for (let i = 0; i < 2_000 && !refused; i++) {
      const response = await server.request('POST', '/__api__/v1/content', { body: { name: `content-${i}`, title: `Report ${i} ${'t'.repeat(400)}` } });
      if (response.status === 200) created.push(response.body.guid);
      else refused = { status: response.status, body: response.body };
    }
    expect(created.length).toBeGreaterThan(0);
    expect(refused).toMatchObject(diskFull);
    const logged = lines.filter((line) => /disk full/.test(String(line.msg)));
    expect(logged[0]).toMatchObject({ level: 50, err: { code: 'SQLITE_FULL' }, method: 'POST', path: '/__api__/v1/content' });
    expect(lines.filter((line) => /cannot rollback/.test(JSON.stringify(line)))).toEqual([]);
    // That rollback does fail here: a plain Kysely transaction reports its error instead.
    const fill = (tx: typeof db) => sql`insert into revisions (name, value) values (${`filler-${'x'.repeat(3_000)}`}, 0)`.execute(tx);
    await expect(db.transaction().execute(fill)).rejects.toThrow(/cannot rollback/);

    // Nothing half-written: what the API lists is exactly what was answered 200, and so is the table.
    const listed = (await server.request('GET', '/__api__/v1/content')).body as Array<{ guid: string }>;
    const stored = await db.selectFrom('content').select('guid').execute();
    expect(listed.map((item) => item.guid).sort()).toEqual([...created].sort());
    expect(stored.map((item) => item.guid).sort()).toEqual([...created].sort());

    // Room again: the same writes work, on the same connection.
    await sql.raw(`pragma max_page_count = ${limit[0]!.max_page_count}`).execute(db);
    expect((await server.request('POST', '/__api__/v1/content', { body: { name: 'content-after' } })).status).toBe(200);
    const again = await server.request('POST', '/__api__/v1/environments', { body: aCreateEnvironmentInput({ name: 'ghcr.io/org/full:1' }) });
    expect(again.status).toBe(200);
    expect((await server.request('GET', `/__api__/v1/environments/${again.body.guid}`)).status).toBe(200);
  });
});
