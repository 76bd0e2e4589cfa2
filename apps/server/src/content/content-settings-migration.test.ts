import { defaultContentSettings } from '@envdesk/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { createStore } from '../db/store.js';
import { type TestDatabase, describeEachDialect, openTestDatabase } from '../test/test-database.js';

const NOW = '2026-01-15T10:00:00Z';
const CONTENT_GUID = 'c0ffee00-0000-4000-8000-000000000009';

describeEachDialect('migration 0009-content-settings on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(dialect, { migrateUpTo: '0007-sign-in-throttle' });
  });
  afterAll(() => database.cleanup());

  it('gives content stored before it Connect’s defaults, and keeps what it had', async () => {
    const { db } = database.connection;
    const owner = await createStore(database.connection).users.insert(
      'b3c1a1d0-0000-4000-8000-000000000009',
      { username: 'owner', email: '', first_name: '', last_name: '', user_role: 'publisher' },
      null,
      NOW,
    );
    // The row as the schema before 0009 holds it.
    await db
      .insertInto('content')
      .values({ guid: CONTENT_GUID, name: 'legacy', title: 'Legacy', owner_id: owner.id, default_image_name: 'ghcr.io/org/img:1', created_time: NOW })
      .execute();

    const migrated = await openDatabase(database.options);
    try {
      const record = await createStore(migrated).content.findByGuid(CONTENT_GUID);
      expect(record).toMatchObject({ ...defaultContentSettings, name: 'legacy', title: 'Legacy', default_image_name: 'ghcr.io/org/img:1' });
      expect(record?.access_type).toBe('acl');
      expect(record?.min_processes).toBeNull();
    } finally {
      await migrated.close();
    }
  });
});
