import { can } from '@envdesk/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { createStore } from '../db/store.js';
import { type TestDatabase, describeEachDialect, openTestDatabase } from '../test/test-database.js';
import { contentSubject } from './content-service.js';

const NOW = '2026-01-15T10:00:00Z';

describeEachDialect('migration 0011-content-permissions on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(dialect, { migrateUpTo: '0010-bundle-metadata' });
  });
  afterAll(() => database.cleanup());

  it('keeps content made before it, shared with no one: its access type alone decides who else sees it', async () => {
    const store = createStore(database.connection);
    const user = (guid: string, username: string) =>
      store.users.insert(guid, { username, email: '', first_name: '', last_name: '', user_role: 'publisher' }, null, NOW);
    const owner = await user('b3c1a1d0-0000-4000-8000-000000000011', 'owner');
    const other = await user('b3c1a1d0-0000-4000-8000-000000000012', 'other');
    const { db } = database.connection;
    for (const [n, name, access_type] of [[1, 'private', 'acl'], [2, 'open', 'logged_in']] as const) {
      await db.insertInto('content').values({ guid: `c0ffee00-0000-4000-8000-00000000001${n}`, name, owner_id: owner.id, created_time: NOW, access_type }).execute();
    }

    const migrated = await openDatabase(database.options);
    try {
      const records = await createStore(migrated).content.list({});
      expect(records.map((record) => [record.name, record.permissions])).toEqual([
        ['private', []],
        ['open', []],
      ]);
      const otherActor = { guid: other.user.guid, role: 'publisher' as const, groupGuids: [] };
      expect(records.map((record) => can(otherActor, 'content:read', contentSubject(record)))).toEqual([false, true]);
    } finally {
      await migrated.close();
    }
  });
});
