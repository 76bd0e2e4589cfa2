import { ApiError, ErrorCode, NO_BUNDLE_SOURCE } from '@envdesk/domain';
import { aCreateEnvironmentInput } from '@envdesk/domain/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newGuid } from '../clock.js';
import { fieldsForCreate } from '../environments/environments-service.js';
import { databaseBuilders } from '../test/builders.js';
import { type TestDatabase, openTestDatabase, describeEachDialect } from '../test/test-database.js';
import { StoredDataError } from './columns.js';
import { openDatabase } from './database.js';
import { type Store, createStore } from './store.js';

const NOW = '2026-01-15T10:00:00Z';
const fields = (overrides: Parameters<typeof aCreateEnvironmentInput>[0] = {}) => fieldsForCreate(aCreateEnvironmentInput(overrides));

describeEachDialect('store on %s', (dialect) => {
  let database: TestDatabase;
  let store: Store;
  let build: ReturnType<typeof databaseBuilders>;

  beforeAll(async () => {
    database = await openTestDatabase(dialect);
    store = createStore(database.connection);
    build = databaseBuilders(store);
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

  it('answers a read made while a transaction is open with committed data only, whichever way it is run', async () => {
    const before = await store.environments.revision();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let wrote!: () => void;
    const written = new Promise<void>((resolve) => (wrote = resolve));
    const transaction = store.transaction(async (tx) => {
      await tx.environments.insert(newGuid(), fields(), NOW);
      wrote();
      await held;
      throw new Error('rolled back');
    });
    await written;
    // On SQLite this read cannot run at once (the one connection is inside the transaction): it waits, then sees none of it.
    const during = store.environments.revision();
    release();
    await expect(transaction).rejects.toThrow('rolled back');
    expect(await during).toBe(before);
    expect(await store.environments.revision()).toBe(before);
  });

  it("finds an API key's and a session's owner with all their groups in one read", async () => {
    const { aUser, aGroup } = build;
    const member = await aUser({ role: 'publisher' });
    const groups = [await aGroup({ members: [member] }), await aGroup({ members: [member] })];
    await store.credentials.insertApiKey(member.id, 'laptop', `hash-${member.user.guid}`, NOW);
    await store.credentials.insertSession(member.id, `token-${member.user.guid}`, 'csrf', NOW, '2999-01-01T00:00:00Z');
    const byKey = await store.credentials.findApiKeyOwner(`hash-${member.user.guid}`);
    const bySession = await store.credentials.findSession(`token-${member.user.guid}`);
    for (const owner of [byKey?.owner, bySession?.owner]) {
      expect(owner?.user.guid).toBe(member.user.guid);
      expect([...(owner?.groupGuids ?? [])].sort()).toEqual(groups.map((group) => group.group.guid).sort());
    }
    const loner = await aUser({ role: 'viewer' });
    await store.credentials.insertApiKey(loner.id, 'laptop', `hash-${loner.user.guid}`, NOW);
    expect((await store.credentials.findApiKeyOwner(`hash-${loner.user.guid}`))?.owner.groupGuids).toEqual([]);
    expect(await store.credentials.findApiKeyOwner('no such hash')).toBeUndefined();
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

  /** The error a write throws, as the API would answer it. */
  const refusal = (write: Promise<unknown>) =>
    write.then(
      () => expect.unreachable('the write was accepted'),
      (error: unknown) => {
        expect(error).toBeInstanceOf(ApiError);
        return (error as ApiError).toJSON();
      },
    );

  it("answers a taken username, group name or content name with the domain's DuplicateName", async () => {
    const user = { username: 'unique-user', email: '', first_name: '', last_name: '', user_role: 'viewer' as const };
    const first = await store.users.insert(newGuid(), user, null, NOW);
    expect(await refusal(store.users.insert(newGuid(), { ...user, username: 'UNIQUE-user' }, null, NOW))).toEqual({
      code: ErrorCode.DuplicateName,
      error: 'A user with that username already exists.',
      payload: { field: 'username' },
    });
    const other = await store.users.insert(newGuid(), { ...user, username: 'other-user' }, null, NOW);
    expect(await refusal(store.users.update(other.user.guid, { username: 'Unique-User' }, NOW))).toMatchObject({ code: ErrorCode.DuplicateName });

    await store.groups.insert(newGuid(), 'Unique group', null, NOW);
    expect(await refusal(store.groups.insert(newGuid(), 'unique GROUP', null, NOW))).toEqual({
      code: ErrorCode.DuplicateName,
      error: 'A group with that name already exists.',
      payload: { field: 'name' },
    });

    await store.content.insert(newGuid(), first.id, 'report', {}, NOW);
    const second = newGuid();
    await store.content.insert(second, first.id, 'report-2', {}, NOW);
    const taken = { code: ErrorCode.DuplicateName, error: 'You already have content named "report".', payload: { field: 'name' } };
    expect(await refusal(store.content.insert(newGuid(), first.id, 'report', {}, NOW))).toEqual(taken);
    expect(await refusal(store.content.update(second, { name: 'report' }))).toEqual(taken);
    // Unique per owner: another owner may use the name.
    await store.content.insert(newGuid(), other.id, 'report', {}, NOW);
  });

  it('answers a second permission for the same user or group with DuplicateEnvironmentPermission', async () => {
    const guid = newGuid();
    await store.environments.insert(guid, fields(), NOW);
    const grant = { user_guid: newGuid(), group_guid: null };
    await store.environments.insertPermission(newGuid(), guid, grant, NOW);
    expect(await refusal(store.environments.insertPermission(newGuid(), guid, grant, NOW))).toEqual({
      code: ErrorCode.DuplicateEnvironmentPermission,
      error: 'That user already has a permission on this environment.',
      payload: { field: 'user_guid' },
    });
  });

  it('rolls back a transaction refused for a duplicate, leaving the database usable', async () => {
    const before = await store.users.count();
    const user = { username: 'in-a-transaction', email: '', first_name: '', last_name: '', user_role: 'viewer' as const };
    await expect(
      store.transaction(async (tx) => {
        await tx.users.insert(newGuid(), user, null, NOW);
        await tx.users.insert(newGuid(), user, null, NOW);
      }),
    ).rejects.toMatchObject({ code: ErrorCode.DuplicateName });
    expect(await store.users.count()).toBe(before);
    await store.users.insert(newGuid(), user, null, NOW);
  });

  it('loads a user as an actor: role and every group they belong to', async () => {
    const { aUser, aGroup } = build;
    const member = await aUser({ role: 'publisher' });
    const [a, b] = [await aGroup({ members: [member] }), await aGroup({ members: [member] })];
    await aGroup();
    const actor = await store.users.actorOf(member.id);
    expect(actor).toEqual({ guid: member.user.guid, role: 'publisher', groupGuids: expect.arrayContaining([a.group.guid, b.group.guid]) });
    expect(actor.groupGuids).toHaveLength(2);
    expect(await store.users.actorOf((await aUser({ role: 'viewer' })).id)).toMatchObject({ role: 'viewer', groupGuids: [] });
  });

  it('returns booleans and parsed logs for tasks, content and bundles', async () => {
    const { aContent } = build;
    const content = await aContent();
    expect(content).toMatchObject({ parameterized: false, needs_rebuild: false, default_r_environment_management: null, bundle_id: null });
    await store.content.update(content.guid, { default_py_environment_management: false, needs_rebuild: true });
    expect(await store.content.findByGuid(content.guid)).toMatchObject({ default_py_environment_management: false, needs_rebuild: true });

    await store.tasks.insert({ id: 'task-record', userId: content.owner.id, contentId: content.id, owner: 'here', heartbeatTime: NOW }, NOW);
    await store.tasks.finish('task-record', { code: 0, error: '', result: { ok: 1 }, output: ['one', 'two'] }, NOW);
    expect(await store.tasks.find('task-record')).toMatchObject({ finished: true, output: ['one', 'two'], result: { ok: 1 }, content_id: content.id });
  });

  it('reports a stored JSON value its schema rejects, naming the record and field, instead of passing it on', async () => {
    const guid = newGuid();
    const environment = await store.environments.insert(guid, fields(), NOW);
    const { db } = database.connection;
    await db.updateTable('environments').set({ python: JSON.stringify({ installations: [{ version: 'three', path: '/usr/bin/python3' }] }) }).where('guid', '=', guid).execute();
    const error = await store.environments.findByGuid(guid).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoredDataError);
    expect((error as Error).message).toBe(
      `The stored environments ${environment.id} python does not match its schema: installations[0].version: must be a version like 3.11.9.`,
    );

    await db.updateTable('environments').set({ python: '{"installations": [' }).where('guid', '=', guid).execute();
    await expect(store.environments.list()).rejects.toThrow(new RegExp(`^The stored environments ${environment.id} python is not JSON`));
    await store.environments.remove(guid);

    const { aUser } = build;
    await store.tasks.insert({ id: 'task-bad-log', userId: (await aUser()).id, contentId: null, owner: 'here', heartbeatTime: NOW }, NOW);
    await sql`update tasks set output = '[1]' where id = 'task-bad-log'`.execute(db);
    await expect(store.tasks.find('task-bad-log')).rejects.toThrow(/^The stored tasks task-bad-log output does not match its schema: \[0\]: /);
  });

  it('gives a bundle whose stored manifest no longer passes the manifest schema, with what is wrong, not a bundle that looks fine', async () => {
    const { aContent } = build;
    const content = await aContent();
    const uploadKey = newGuid();
    await store.bundles.startUpload(uploadKey, NOW);
    const manifest = { metadata: { appmode: 'python-api' }, python: { version: '3.11.9' } };
    const bundle = await store.bundles.insert(content.id, { created_by: null, size: 1, archive_md5: 'md5', archive_sha1: 'sha1', manifest, ...NO_BUNDLE_SOURCE }, uploadKey, NOW);
    expect(bundle).toMatchObject({ active: false, manifest: { ok: true, value: manifest }, build_plan: null });

    await database.connection.db.updateTable('bundles').set({ manifest: JSON.stringify({ metadata: {} }) }).where('id', '=', bundle.id).execute();
    expect((await store.bundles.find(content.id, bundle.id))?.manifest).toEqual({
      ok: false,
      error: 'manifest.json is not valid: metadata.appmode: is required.',
    });
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
