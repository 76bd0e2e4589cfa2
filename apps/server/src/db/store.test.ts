import { aCreateEnvironmentInput } from '@envdesk/domain/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newGuid } from '../clock.js';
import { fieldsForCreate } from '../environments/environments-service.js';
import { type TestDatabase, openTestDatabase, describeEachDialect } from '../test/test-database.js';
import { openDatabase } from './database.js';
import { isUniqueViolation } from './errors.js';
import { type Store, createStore } from './store.js';

const NOW = '2026-01-15T10:00:00Z';
const fields = (overrides: Parameters<typeof aCreateEnvironmentInput>[0] = {}) => fieldsForCreate(aCreateEnvironmentInput(overrides));

describeEachDialect('store on %s', (dialect) => {
  let database: TestDatabase;
  let store: Store;

  beforeAll(async () => {
    database = await openTestDatabase(dialect);
    store = createStore(database.connection);
  });
  afterAll(() => database.cleanup());

  it('migrates an existing database again without harm', async () => {
    const second = await openDatabase(database.options);
    expect(await createStore(second).environments.count()).toBe(await store.environments.count());
    await second.close();
  });

  it('round-trips an environment with its structured fields', async () => {
    const written = fields({
      title: 'Round trip',
      volume_mounts: [{ source: { volume_type: 'nfs', nfs_host: 'nas', nfs_export_path: '/data' }, target: { path: '/mnt/data', read_only: true } }],
    });
    const guid = newGuid();
    const inserted = await store.environments.insert(guid, written, NOW);
    expect(await store.environments.findByGuid(guid)).toEqual(inserted);
    expect(inserted).toMatchObject({ guid, volume_mounts: written.volume_mounts, python: written.python, created_time: NOW });
    expect(typeof (await store.environments.count())).toBe('number');
  });

  it('bumps the revision on every write to environments or their permissions', async () => {
    const start = await store.environments.revision();
    const guid = newGuid();
    await store.environments.insert(guid, fields(), NOW);
    await store.environments.update(guid, { title: 'changed' }, NOW);
    const permission = await store.environments.insertPermission(newGuid(), guid, { user_guid: newGuid(), group_guid: null }, NOW);
    await store.environments.removePermission(permission.guid);
    await store.environments.remove(guid);
    expect(await store.environments.revision()).toBe(start + 5);
  });

  it('rolls back everything a failed transaction wrote', async () => {
    const countBefore = await store.environments.count();
    const revisionBefore = await store.environments.revision();
    await expect(
      store.transaction(async (tx) => {
        await tx.environments.insert(newGuid(), fields(), NOW);
        await tx.environments.insert(newGuid(), fields(), NOW);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.environments.count()).toBe(countBefore);
    expect(await store.environments.revision()).toBe(revisionBefore);
  });

  it('keeps concurrent transactions apart', async () => {
    const before = await store.environments.count();
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        store.transaction(async (tx) => {
          await tx.environments.insert(newGuid(), fields({ title: `concurrent ${i}` }), NOW);
          if (i % 3 === 0) throw new Error('this one fails');
        }),
      ),
    );
    expect(results.filter((result) => result.status === 'rejected')).toHaveLength(2);
    expect(await store.environments.count()).toBe(before + 4);
  });

  it('reports unique violations the same way on both dialects', async () => {
    const user = { username: 'unique-user', email: '', first_name: '', last_name: '', user_role: 'viewer' as const };
    await store.users.insert(newGuid(), user, null, NOW);
    const error = await store.users.insert(newGuid(), { ...user, username: 'UNIQUE-user' }, null, NOW).catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
  });

  it('removes the permissions of a deleted environment with it', async () => {
    const guid = newGuid();
    const permissionRows = () => database.connection.db.selectFrom('environment_permissions').select('guid').execute();
    const before = (await permissionRows()).length;
    await store.environments.insert(guid, fields(), NOW);
    const permission = await store.environments.insertPermission(newGuid(), guid, { user_guid: null, group_guid: newGuid() }, NOW);
    expect(await permissionRows()).toHaveLength(before + 1);
    await store.environments.remove(guid);
    expect((await permissionRows()).map((row) => row.guid)).not.toContain(permission.guid);
    expect(await permissionRows()).toHaveLength(before);
  });

  it('pages and filters users, counting matches', async () => {
    for (const name of ['ana', 'anabel', 'bob']) {
      await store.users.insert(newGuid(), { username: `page-${name}`, email: '', first_name: name, last_name: '', user_role: 'publisher' }, null, NOW);
    }
    const { records, total } = await store.users.list({ prefix: 'ana', offset: 0, limit: 1 });
    expect(total).toBe(2);
    expect(records.map((record) => record.user.first_name)).toEqual(['ana']);
  });
});
