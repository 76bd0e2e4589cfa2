import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { createStore } from '../db/store.js';
import { type TestDatabase, describeEachDialect, openTestDatabase } from '../test/test-database.js';

const NOW = '2026-01-15T10:00:00Z';

describeEachDialect('migration 0008-content-environment-variables on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(dialect, { migrateUpTo: '0007-sign-in-throttle' });
  });
  afterAll(() => database.cleanup());

  it('gives content stored before it variables, which go when the content goes', async () => {
    const { db } = database.connection;
    // Plain SQL: the schema as 0007 left it, whatever later migrations add to these tables.
    await sql`insert into users (guid, username, username_key, user_role, created_time, updated_time)
              values ('b3c1a1d0-0000-4000-8000-000000000008', 'owner', 'owner', 'publisher', ${NOW}, ${NOW})`.execute(db);
    await sql`insert into content (guid, name, owner_id, created_time)
              select 'c0ffee00-0000-4000-8000-000000000008', 'legacy', id, ${NOW} from users where username = 'owner'`.execute(db);

    const migrated = await openDatabase(database.options);
    try {
      const store = createStore(migrated);
      const content = (await store.content.findByGuid('c0ffee00-0000-4000-8000-000000000008'))!;
      expect(await store.contentEnvironment.names(content.id)).toEqual([]);
      await store.transaction((tx) => tx.contentEnvironment.put(content.id, [{ name: 'TOKEN', sealed: 'c2VhbGVk', keyId: '0123456789abcdef' }], NOW));
      expect(await store.contentEnvironment.names(content.id)).toEqual(['TOKEN']);
      await store.transaction((tx) => tx.content.remove(content.guid));
      const left = await migrated.db.selectFrom('content_environment_variables').selectAll().execute();
      expect(left).toEqual([]);
    } finally {
      await migrated.close();
    }
  });
});
