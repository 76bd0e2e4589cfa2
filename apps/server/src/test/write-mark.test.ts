import { sql } from 'kysely';
import { afterEach, expect } from 'vitest';
import { type TestDatabase, itEachDialect, openTestDatabase } from './test-database.js';
import { writeMark } from './write-mark.js';

// The fuzz suite trusts an unmoved mark to mean "nothing was written": if a write could leave it in
// place, a refused request that changed the database would pass unnoticed.
let database: TestDatabase | null = null;
afterEach(async () => {
  await database?.cleanup();
  database = null;
});

itEachDialect('on %s the write mark stays for reads and moves for every kind of write, rolled back too', async (dialect) => {
  database = await openTestDatabase(dialect);
  const { db } = database.connection;
  const mark = () => writeMark(database!.connection);
  const insertTag = (name: string) => sql`insert into tags (name, created_time, updated_time) values (${name}, ${'2026-01-01T00:00:00Z'}, ${'2026-01-01T00:00:00Z'})`.execute(db);

  const start = await mark();
  await sql`select * from tags`.execute(db);
  expect(await mark()).toBe(start);

  await insertTag('one');
  const inserted = await mark();
  expect(inserted).not.toBe(start);

  await sql`update tags set name = ${'two'} where name = ${'one'}`.execute(db);
  const updated = await mark();
  expect(updated).not.toBe(inserted);

  await db
    .transaction()
    .execute(async (trx) => {
      await sql`delete from tags`.execute(trx);
      throw new Error('refused');
    })
    .catch(() => undefined);
  expect(Number((await sql<{ n: unknown }>`select count(*) as n from tags`.execute(db)).rows[0]?.n)).toBe(1);
  expect(await mark()).not.toBe(updated);
});
