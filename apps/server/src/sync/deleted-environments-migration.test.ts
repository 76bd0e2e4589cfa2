import { type FileEntry, definitionFrom } from '@envdesk/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { createStore } from '../db/store.js';
import { type TestDatabase, describeEachDialect, openTestDatabase } from '../test/test-database.js';
import { applySync } from './apply-sync.js';

const GUID = 'a0a0a0a0-0000-4000-8000-000000000015';
const IMAGE = 'ghcr.io/org/buried-before:1';
const clock = { now: () => new Date('2026-01-20T00:00:00Z') };

describeEachDialect('migration 0015-deleted-environments on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(dialect, { migrateUpTo: '0014-audit-events' });
  });
  afterAll(() => database.cleanup());

  it('keeps tombstones written before it as the file-managed ones they are: listed as such, and a returning entry gets its GUID and id back', async () => {
    // As the sync wrote them before: no state, no manager.
    await database.connection.db
      .insertInto('environment_tombstones')
      .values({ guid: GUID, environment_id: 41, name: IMAGE, created_time: '2026-01-01T00:00:00Z', permissions: '[]', removed_time: '2026-01-15T00:00:00Z', file: 'environments.yaml' })
      .execute();

    const migrated = await openDatabase(database.options);
    try {
      const store = createStore(migrated);
      expect(await store.tombstones.list('2026-01-01T00:00:00Z')).toEqual([{ guid: GUID, name: IMAGE, removed_time: '2026-01-15T00:00:00Z', hand_deleted: false }]);
      expect(await store.tombstones.listDeleted('2026-01-01T00:00:00Z')).toEqual([expect.objectContaining({ guid: GUID, managed_by: 'config-file', state: null })]);
      const entry: FileEntry = { guid: null, definition: definitionFrom({ name: IMAGE }) };
      const synced = await applySync(store, [entry], clock, { file: 'environments.yaml' });
      expect(synced.ok && synced.value.changes).toEqual([expect.objectContaining({ kind: 'restore', guid: GUID })]);
      expect(await store.environments.findByGuid(GUID)).toMatchObject({ id: '41', managed_by: 'config-file' });
    } finally {
      await migrated.close();
    }
  });
});
