import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachingStatements } from './statement-cache.js';

interface Rows {
  items: { id: number; name: string };
}

describe('prepared statements kept per query text (SQLite)', () => {
  let sqlite: SQLite.Database;
  let db: Kysely<Rows>;

  beforeEach(async () => {
    sqlite = new SQLite(':memory:');
    db = new Kysely<Rows>({ dialect: new SqliteDialect({ database: cachingStatements(sqlite, 3) }) });
    await sql`create table items (id integer primary key, name text not null)`.execute(db);
    await db.insertInto('items').values([{ id: 1, name: 'one' }, { id: 2, name: 'two' }, { id: 3, name: 'three' }]).execute();
  });
  afterEach(() => db.destroy());

  const nameOf = async (id: number) => (await db.selectFrom('items').select('name').where('id', '=', id).executeTakeFirst())?.name;

  it('answers a repeated query with each run’s own parameters', async () => {
    expect([await nameOf(1), await nameOf(2), await nameOf(3), await nameOf(4)]).toEqual(['one', 'two', 'three', undefined]);
  });

  it('sees rows written since the statement was first prepared', async () => {
    expect(await nameOf(1)).toBe('one');
    await db.updateTable('items').set({ name: 'uno' }).where('id', '=', 1).execute();
    expect(await nameOf(1)).toBe('uno');
  });

  it('keeps working after the schema changes under a kept statement', async () => {
    expect(await nameOf(2)).toBe('two');
    await sql`alter table items add column extra text`.execute(db);
    expect(await nameOf(2)).toBe('two');
    expect(await db.selectFrom('items').selectAll().where('id', '=', 2).executeTakeFirst()).toEqual({ id: 2, name: 'two', extra: null });
  });

  it('gives a query still being iterated’s text a statement of its own', () => {
    // Kysely runs one query at a time on SQLite's one connection; whoever iterates by hand must not see a busy statement.
    const statements = cachingStatements(sqlite);
    const text = 'select name from items order by id';
    const first = statements.prepare(text);
    const iterating = first.iterate([]);
    expect(iterating.next().value).toEqual({ name: 'one' });
    const second = statements.prepare(text);
    expect(second).not.toBe(first);
    expect(second.all([])).toEqual([{ name: 'one' }, { name: 'two' }, { name: 'three' }]);
    expect(iterating.next().value).toEqual({ name: 'two' });
    iterating.return?.();
    expect(statements.prepare(text)).toBe(first);
  });

  it('keeps only as many statements as it was told, and still answers the ones it let go', async () => {
    for (let round = 0; round < 2; round += 1) {
      for (let columns = 1; columns <= 5; columns += 1) {
        const rows = await sql<{ total: number }>`select ${sql.raw(Array.from({ length: columns }, () => 'id').join(' + '))} as total from items where id = ${2}`.execute(db);
        expect(rows.rows).toEqual([{ total: 2 * columns }]);
      }
    }
  });

  it('a failing statement leaves the next query unharmed', async () => {
    await expect(db.insertInto('items').values({ id: 1, name: 'again' }).execute()).rejects.toThrow(/UNIQUE/);
    await expect(db.insertInto('items').values({ id: 1, name: 'again' }).execute()).rejects.toThrow(/UNIQUE/);
    expect(await nameOf(1)).toBe('one');
  });
});
