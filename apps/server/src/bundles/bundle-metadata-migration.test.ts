import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { createStore } from '../db/store.js';
import { type TestDatabase, describeEachDialect, openTestDatabase } from '../test/test-database.js';

const NOW = '2026-01-15T10:00:00Z';

describeEachDialect('migration 0010-bundle-metadata on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(dialect, { migrateUpTo: '0009-content-settings' });
  });
  afterAll(() => database.cleanup());

  it('keeps bundles uploaded before it, saying nothing of their source', async () => {
    const { db } = database.connection;
    const owner = await createStore(database.connection).users.insert(
      'b3c1a1d0-0000-4000-8000-000000000010',
      { username: 'owner', email: '', first_name: '', last_name: '', user_role: 'publisher' },
      null,
      NOW,
    );
    const content = await db
      .insertInto('content')
      .values({ guid: 'c0ffee00-0000-4000-8000-000000000010', name: 'legacy', owner_id: owner.id, created_time: NOW })
      .returning('id')
      .executeTakeFirstOrThrow();
    // The row as the schema before 0010 holds it.
    const bundle = await db
      .insertInto('bundles')
      .values({ content_id: content.id, created_time: NOW, created_by: null, size: 3, archive_md5: 'md5', archive_sha1: 'sha1', manifest: '{"metadata":{"appmode":"static"}}', build_plan: null })
      .returning('id')
      .executeTakeFirstOrThrow();

    const migrated = await openDatabase(database.options);
    try {
      const record = await createStore(migrated).bundles.find(content.id, bundle.id);
      expect(record).toMatchObject({ size: 3, archive_md5: 'md5' });
      expect(record?.origin).toEqual({ source: null, source_repo: null, source_branch: null, source_commit: null });
    } finally {
      await migrated.close();
    }
  });
});
