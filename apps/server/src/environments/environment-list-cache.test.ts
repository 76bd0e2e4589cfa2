import { type Environment, buildInstallationIndex } from '@envdesk/domain';
import { aCreateEnvironmentInput, anActor } from '@envdesk/domain/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newGuid } from '../clock.js';
import { type Store, createStore } from '../db/store.js';
import { type TestDatabase, describeEachDialect, openTestDatabase } from '../test/test-database.js';
import { createEnvironmentListCache } from './environment-list-cache.js';
import { fieldsForCreate } from './environments-service.js';

const NOW = '2026-01-15T10:00:00Z';
const admin = anActor({ role: 'administrator' });

describeEachDialect('the environment list cache on %s', (dialect) => {
  let database: TestDatabase;
  let store: Store;
  const publisher = anActor({ role: 'publisher' });
  const team = newGuid();
  const member = anActor({ role: 'publisher', groupGuids: [team] });

  beforeAll(async () => {
    database = await openTestDatabase(dialect);
    store = createStore(database.connection);
    // Titles beyond ASCII: the per-environment slices of the serialised list are counted in bytes.
    const titles = ['Ünïcödé runtime ✓', 'GPU 訓練', 'plain', 'emoji 🚀 image', 'granted to a team'];
    for (const title of titles) await store.environments.insert(newGuid(), fieldsForCreate(aCreateEnvironmentInput({ title })), NOW);
    const [first, , , fourth, fifth] = await store.environments.list();
    await store.environments.insertPermission(newGuid(), first!.guid, { user_guid: publisher.guid, group_guid: null }, NOW);
    await store.environments.insertPermission(newGuid(), fourth!.guid, { user_guid: publisher.guid, group_guid: null }, NOW);
    await store.environments.insertPermission(newGuid(), fifth!.guid, { user_guid: null, group_guid: team }, NOW);
  });
  afterAll(() => database.cleanup());

  const parsed = (body: Buffer) => JSON.parse(body.toString('utf8')) as Environment[];

  it('serves each caller the environments they may see, cut out of the one serialised list', async () => {
    const cache = createEnvironmentListCache(store);
    const everything = await store.environments.list();
    expect(parsed(await cache.listJson(admin))).toEqual(JSON.parse(JSON.stringify(everything)));
    // An environment without grants is open to every publisher; one with grants only to those named.
    const titles = async (actor: typeof admin) => parsed(await cache.listJson(actor)).map((environment) => environment.title);
    expect(await titles(publisher)).toEqual(['Ünïcödé runtime ✓', 'GPU 訓練', 'plain', 'emoji 🚀 image']);
    expect(await titles(member)).toEqual(['GPU 訓練', 'plain', 'granted to a team']);
    expect(await titles(anActor({ role: 'publisher' }))).toEqual(['GPU 訓練', 'plain']);
  });

  it('indexes for selection the same records after the list was served as before, and knows every grant', async () => {
    const rows = await store.environments.listWithGrants();
    const expected = buildInstallationIndex(JSON.parse(JSON.stringify(rows)) as typeof rows);

    const listedFirst = createEnvironmentListCache(store);
    await listedFirst.listJson(admin);
    expect(await listedFirst.selectionIndex()).toEqual(expected);

    const indexedFirst = createEnvironmentListCache(store);
    expect(JSON.parse(JSON.stringify(await indexedFirst.selectionIndex()))).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(parsed(await indexedFirst.listJson(admin))).toHaveLength(rows.length);

    const grants = await listedFirst.grantsByGuid();
    for (const row of rows) expect(grants.get(row.environment.guid)).toEqual(row.grants);
  });

  it('follows every write: a change made after the list was served is in the next one', async () => {
    const cache = createEnvironmentListCache(store);
    const before = parsed(await cache.listJson(admin));
    const added = newGuid();
    await store.environments.insert(added, fieldsForCreate(aCreateEnvironmentInput({ title: 'added later' })), NOW);
    const after = parsed(await cache.listJson(admin));
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)).toMatchObject({ guid: added, title: 'added later' });
    expect((await cache.selectionIndex()).environments.map((entry) => entry.environment.guid)).toContain(added);
  });
});
