import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { createStore } from '../db/store.js';
import { type TestDatabase, describeEachDialect, openTestDatabase } from '../test/test-database.js';

const NOW = '2026-01-15T10:00:00Z';
const IMAGE = 'ghcr.io/org/runtime:r4.3-py3.11';

describeEachDialect('migration 0013-runtime-caches-jobs on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(dialect, { migrateUpTo: '0010-bundle-metadata' });
  });
  afterAll(() => database.cleanup());

  it('lists the caches of bundles built before it, so clearing them reaches content deployed until now', async () => {
    const { db } = database.connection;
    const owner = await createStore(database.connection).users.insert(
      'b3c1a1d0-0000-4000-8000-000000000013',
      { username: 'owner', email: '', first_name: '', last_name: '', user_role: 'publisher' },
      null,
      NOW,
    );
    const content = await db
      .insertInto('content')
      .values({ guid: 'c0ffee00-0000-4000-8000-000000000013', name: 'legacy', owner_id: owner.id, created_time: NOW })
      .returning('id')
      .executeTakeFirstOrThrow();
    const bundle = (built: Record<string, unknown>, created_time = NOW) => ({
      content_id: content.id,
      created_time,
      created_by: null,
      size: 3,
      archive_md5: 'md5',
      archive_sha1: 'sha1',
      manifest: '{"metadata":{"appmode":"shiny"}}',
      build_plan: null,
      ...built,
    });
    await db
      .insertInto('bundles')
      .values([
        // Built twice on the same image: one cache per language.
        bundle({ image_name: IMAGE, r_version: '4.3.3', r_environment_management: 1, py_version: '3.11.3', py_environment_management: 1 }),
        bundle({ image_name: IMAGE, r_version: '4.3.3', r_environment_management: 1, py_version: '3.11.3', py_environment_management: 1 }, '2026-02-01T00:00:00Z'),
        // Python packages not restored: no Python cache.
        bundle({ image_name: 'ghcr.io/org/other:1', py_version: '3.10.12', py_environment_management: 0 }),
        // Never built.
        bundle({}),
      ])
      .execute();

    const migrated = await openDatabase(database.options);
    try {
      expect(await createStore(migrated).runtime.listCaches()).toEqual([
        { language: 'Python', version: '3.11.3', image_name: IMAGE },
        { language: 'R', version: '4.3.3', image_name: IMAGE },
      ]);
    } finally {
      await migrated.close();
    }
  });
});
