import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBuilders } from './builders.js';
import { type TestDatabase, openTestDatabase } from './test-database.js';
import { type Store, createStore } from '../db/store.js';

describe('database builders', () => {
  let database: TestDatabase;
  let store: Store;
  let build: ReturnType<typeof databaseBuilders>;
  beforeAll(async () => {
    database = await openTestDatabase('sqlite');
    store = createStore(database.connection);
    build = databaseBuilders(store);
  });
  afterAll(() => database.cleanup());

  it('gives content without an owner a new publisher who owns it', async () => {
    const content = await build.aContent();
    const owner = await store.users.findByGuid(content.owner.guid);
    expect(owner?.user.user_role).toBe('publisher');
  });

  it('keeps the owner it is given', async () => {
    const owner = await build.aUser({ role: 'administrator' });
    expect((await build.aContent({ owner })).owner.guid).toBe(owner.user.guid);
  });

  it('gives a permission without an environment or a group both, and grants the group', async () => {
    const permission = await build.anEnvironmentPermission();
    const environment = await store.environments.findByGuid(permission.environment_guid);
    expect(environment).toBeDefined();
    expect(await store.groups.findByGuid(permission.group_guid!)).toBeDefined();
    expect(await store.environments.listPermissions(permission.environment_guid)).toEqual([permission]);
  });

  it('puts the members it is given in the group', async () => {
    const member = await build.aUser();
    const group = await build.aGroup({ members: [member] });
    expect(await store.groups.isMember(group.id, member.id)).toBe(true);
  });
});
