import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { createStore } from '../db/store.js';
import { bundleArchive } from '../test/bundles.js';
import { type TestDatabase, openTestDatabase, describeEachDialect } from '../test/test-database.js';

const NOW = '2026-01-15T10:00:00Z';

describeEachDialect('migration 0006-bundle-storage on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(dialect, { migrateUpTo: '0005-environment-edits' });
  });
  afterAll(() => database.cleanup());

  it('keeps the archives of bundles stored before it, downloadable as they were', async () => {
    const { db } = database.connection;
    // The schema as 0005 left it: bundles held their archive in one column.
    const store = createStore(database.connection);
    const owner = await store.users.insert('b3c1a1d0-0000-4000-8000-000000000001', { username: 'owner', email: '', first_name: '', last_name: '', user_role: 'publisher' }, null, NOW);
    await store.content.insert('c0ffee00-0000-4000-8000-000000000001', owner.id, 'legacy', {}, NOW);
    // The row, not the store's record: the store reads columns later migrations add.
    const content = await db.selectFrom('content').select('id').where('guid', '=', 'c0ffee00-0000-4000-8000-000000000001').executeTakeFirstOrThrow();
    const archive = bundleArchive();
    const inserted = await sql<{ id: number }>`insert into bundles (content_id, created_time, size, archive_md5, archive_sha1, manifest, archive)
      values (${content.id}, ${NOW}, ${archive.length}, 'md5', 'sha1', '{}', ${archive}) returning id`.execute(db);
    const bundleId = inserted.rows[0]!.id;

    const migrated = await openDatabase(database.options);
    try {
      const pieces: Buffer[] = [];
      for await (const piece of createStore(migrated).bundles.archive(bundleId)) pieces.push(piece);
      expect(Buffer.concat(pieces).equals(archive)).toBe(true);
      expect(await createStore(migrated).bundles.find(content.id, bundleId)).toMatchObject({ size: archive.length });
    } finally {
      await migrated.close();
    }
  });
});
