import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type TestDatabase, describeEachDialect, openTestDatabase } from '../test/test-database.js';
import { precompiled } from './precompiled.js';

describeEachDialect('a query compiled once, on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
  });
  afterAll(() => database.cleanup());

  it('runs with each call’s parameters, not the placeholders it was compiled with', async () => {
    const { db } = database.connection;
    const byName = precompiled((name: string) => db.selectFrom('revisions').select(['name', 'value']).where('name', '=', name), 'placeholder');
    const [row] = (await db.executeQuery(byName('environments'))).rows;
    expect(row?.name).toBe('environments');
    expect((await db.executeQuery(byName('no such revision'))).rows).toEqual([]);
  });

  it('refuses a query that does not bind its placeholders in order', () => {
    const { db } = database.connection;
    const inlined = precompiled((name: string) => db.selectFrom('revisions').select('value').where(sql<boolean>`name = ${sql.lit(name)}`), 'environments');
    expect(() => inlined('environments')).toThrow(/must bind its placeholders/);
    const swapped = precompiled((a: string, b: string) => db.selectFrom('revisions').select('value').where('name', 'in', [b, a]), 'first', 'second');
    expect(() => swapped('x', 'y')).toThrow(/must bind its placeholders/);
  });
});
