import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { readRows } from '../db/precompiled.js';
import { createStore } from '../db/store.js';
import { databaseBuilders } from '../test/builders.js';
import { type TestDatabase, describeEachDialect, openTestDatabase } from '../test/test-database.js';
import { createCredentialsStore } from './credentials-store.js';

/**
 * The parts of `query`'s plan that read a whole table or a whole index rather than looking rows up.
 * SQLite says SCAN. PostgreSQL picks a sequential scan for small tables whatever the indexes, so
 * those are forbidden here; it then reads an index whose leading column the condition does not name
 * from end to end, which its plan shows only as the index and the condition, so those are told apart
 * by the index's first column.
 */
async function scansIn(database: TestDatabase, query: CompiledQuery): Promise<string[]> {
  const { db, dialect } = database.connection;
  if (dialect === 'sqlite') {
    const { rows } = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]));
    return rows.map((row) => row.detail).filter((line) => /^SCAN\b/.test(line));
  }
  const plan = await db.connection().execute(async (connection) => {
    await connection.executeQuery(CompiledQuery.raw('set enable_seqscan = off'));
    const { rows } = await connection.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${query.sql}`, [...query.parameters]));
    await connection.executeQuery(CompiledQuery.raw('reset enable_seqscan'));
    return rows.map((row) => row['QUERY PLAN'].trim());
  });
  const found: string[] = [];
  for (const [index, line] of plan.entries()) {
    if (line.includes('Seq Scan')) found.push(line);
    const usesIndex = /Index (?:Only )?Scan using (\S+) on/.exec(line);
    const condition = /^Index Cond: \((\w+) =/.exec(plan[index + 1] ?? '');
    if (!usesIndex?.[1] || !condition?.[1]) continue;
    const { rows } = await db.executeQuery<{ attname: string }>(
      CompiledQuery.raw(
        'select a.attname from pg_index i join pg_class c on c.oid = i.indexrelid join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0] where c.relname = $1',
        [usesIndex[1]],
      ),
    );
    if (rows[0]?.attname !== condition[1]) found.push(`${line} (${plan[index + 1]})`);
  }
  return found;
}

describeEachDialect('the credential read every request makes, on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
  });
  afterAll(() => database.cleanup());

  it('finds the caller, their key or session and their groups through indexes, however many memberships there are', async () => {
    const store = createStore(database.connection);
    const build = databaseBuilders(store);
    const caller = await build.aUser();
    const others = await Promise.all(Array.from({ length: 40 }, () => build.aUser()));
    await build.aGroup({ members: [caller, ...others] });
    await build.aGroup({ members: others });

    const queries: CompiledQuery[] = [];
    const read = readRows(database.connection.db);
    const credentials = createCredentialsStore(database.connection.db, (query) => {
      queries.push(query);
      return read(query);
    });
    await credentials.insertApiKey(caller.id, 'laptop', 'key-hash', '2026-01-01T00:00:00Z');
    await credentials.insertSession(caller.id, 'token-hash', 'csrf', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z');

    const byKey = await credentials.findApiKeyOwner('key-hash');
    const bySession = await credentials.findSession('token-hash');
    expect(byKey?.owner.groupGuids).toHaveLength(1);
    expect(bySession?.owner.groupGuids).toEqual(byKey?.owner.groupGuids);
    expect(queries).toHaveLength(2);
    for (const query of queries) expect(await scansIn(database, query), query.sql).toEqual([]);
  });

  it('answers a credential from memory only while nothing is written: a revoked key, a locked owner, an ended session count at once', async () => {
    const store = createStore(database.connection);
    const owner = await databaseBuilders(store).aUser({ username: 'kept-owner' });
    const key = await store.credentials.insertApiKey(owner.id, 'laptop', 'kept-key', '2026-01-01T00:00:00Z');
    await store.credentials.insertSession(owner.id, 'kept-token', 'csrf', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z');
    expect((await store.credentials.findApiKeyOwner('kept-key'))?.owner.user.locked).toBe(false);
    const session = await store.credentials.findSession('kept-token');
    expect(session).toBeDefined();

    // Another connection to the same database: the envdesk command on the same file, or another replica.
    const other = await openDatabase(database.options);
    try {
      const elsewhere = createStore(other);
      await elsewhere.users.setLocked(owner.user.guid, true);
      expect((await store.credentials.findApiKeyOwner('kept-key'))?.owner.user.locked).toBe(true);
      await elsewhere.credentials.removeApiKey(owner.id, Number(key.id));
      expect(await store.credentials.findApiKeyOwner('kept-key')).toBeUndefined();
    } finally {
      await other.close();
    }
    // This process.
    await store.credentials.removeSession(session!.id);
    expect(await store.credentials.findSession('kept-token')).toBeUndefined();
  });

  it('reads a credential once between two writes where the database can say it is unchanged (SQLite), every time elsewhere', async () => {
    const store = createStore(database.connection);
    const owner = await databaseBuilders(store).aUser({ username: 'counted-owner' });
    await store.credentials.insertApiKey(owner.id, 'laptop', 'counted-key', '2026-01-01T00:00:00Z');
    let reads = 0;
    const read = readRows(database.connection.db, database.connection.readAtOnce);
    const credentials = createCredentialsStore(
      database.connection.db,
      (query) => {
        reads += 1;
        return read(query);
      },
      database.connection.changeMark,
    );
    for (let i = 0; i < 3; i += 1) expect((await credentials.findApiKeyOwner('counted-key'))?.owner.user.guid).toBe(owner.user.guid);
    await store.users.setLocked(owner.user.guid, true);
    expect((await credentials.findApiKeyOwner('counted-key'))?.owner.user.locked).toBe(true);
    expect(reads).toBe(dialect === 'sqlite' ? 2 : 4);
  });
});
