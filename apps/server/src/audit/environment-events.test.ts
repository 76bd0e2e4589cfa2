import { type AuditEvent, EnvironmentSchema, type FileEntry, definitionFrom } from '@envdesk/domain';
import { aCreateEnvironmentInput } from '@envdesk/domain/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemClock } from '../clock.js';
import { applySync } from '../sync/apply-sync.js';
import { describeEachDialect } from '../test/test-database.js';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';

const fileEntry = (name: string, overrides: Partial<FileEntry['definition']> = {}, guid: string | null = null): FileEntry => ({
  guid,
  definition: { ...definitionFrom({ name }), ...overrides },
});

describeEachDialect('environment changes are recorded on %s', (dialect) => {
  let server: TestServer;
  let publisher: TestUser;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    publisher = await server.addUser('publisher');
  });
  afterAll(() => server.close());

  const historyOf = (guid: string): Promise<AuditEvent[]> => server.store.audit.listForSubject('environment', guid);
  const create = async (name: string, headers: Record<string, string> = {}, as?: TestUser | null) => {
    const response = await server.request('POST', '/__api__/v1/environments', { body: aCreateEnvironmentInput({ name, title: 'Before' }), headers, as });
    expect(response.status).toBe(200);
    return EnvironmentSchema.parse(response.body);
  };

  async function signIn(user: TestUser) {
    const login = await server.request('POST', '/__api__/v1/auth/login', { as: null, body: { username: user.username, password: user.password } });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const csrf = (await server.request('GET', '/__api__/v1/auth/csrf', { as: null, headers: { cookie } })).body.token as string;
    return { cookie, 'x-csrf-token': csrf };
  }

  it('records a creation, an update field by field and a deletion, each saying who and through the API', async () => {
    const created = await create('ghcr.io/org/audited:1');
    const updated = await server.request('PUT', `/__api__/v1/environments/${created.guid}`, { body: { title: 'After', matching: 'exact' } });
    expect(updated.status).toBe(200);
    expect((await server.request('DELETE', `/__api__/v1/environments/${created.guid}`)).status).toBe(204);

    const [deletion, update, creation] = await historyOf(created.guid);
    expect(creation).toMatchObject({ action: 'add_environment', via: 'api', user_guid: server.admin.guid, subject_name: 'Before (ghcr.io/org/audited:1)' });
    expect(creation!.user_description).toContain(server.admin.username);
    expect(creation!.state).toMatchObject({ name: 'ghcr.io/org/audited:1', title: 'Before', managed_by: null });
    expect(update).toMatchObject({ action: 'update_environment', event_description: 'Updated environment After (ghcr.io/org/audited:1) (title, matching)' });
    expect(update!.changes).toEqual([
      { field: 'title', before: 'Before', after: 'After' },
      { field: 'matching', before: 'any', after: 'exact' },
    ]);
    expect(update!.state).toMatchObject({ title: 'After', matching: 'exact' });
    // A deletion keeps what was deleted: that is what a restore puts back.
    expect(deletion).toMatchObject({ action: 'delete_environment', state: { title: 'After' } });
    expect(deletion!.changes.find((change) => change.field === 'title')).toEqual({ field: 'title', before: 'After', after: null });
  });

  it('says a change came from the tab when a browser session made it', async () => {
    const session = await signIn(server.admin);
    const created = await create('ghcr.io/org/from-the-tab:1', session, null);
    const [event] = await historyOf(created.guid);
    expect(event).toMatchObject({ action: 'add_environment', via: 'tab', user_guid: server.admin.guid });
  });

  it('records permissions granted and taken away, naming the user', async () => {
    const created = await create('ghcr.io/org/granted:1');
    const granted = await server.request('POST', `/__api__/v1/environments/${created.guid}/permissions`, { body: { user_guid: publisher.guid } });
    expect(granted.status).toBe(200);
    expect((await server.request('DELETE', `/__api__/v1/environments/${created.guid}/permissions/${granted.body.guid}`)).status).toBe(204);
    const [removed, added] = await historyOf(created.guid);
    expect(added).toMatchObject({ action: 'add_environment_permission', event_description: expect.stringContaining(`user ${publisher.username}`) });
    expect(added!.changes).toEqual([{ field: 'permissions', before: null, after: { user_guid: publisher.guid, group_guid: null } }]);
    expect(removed).toMatchObject({ action: 'remove_environment_permission' });
  });

  it('records on each environment the permission a deleted group took with it, in the same change as the deletion', async () => {
    const first = await create('ghcr.io/org/group-granted-a:1');
    const second = await create('ghcr.io/org/group-granted-b:1');
    const untouched = await create('ghcr.io/org/group-not-granted:1');
    const group = (await server.request('POST', '/__api__/v1/groups', { body: { name: `leaving-${dialect}` } })).body;
    for (const environment of [first, second]) {
      expect((await server.request('POST', `/__api__/v1/environments/${environment.guid}/permissions`, { body: { group_guid: group.guid } })).status).toBe(200);
    }
    expect((await server.request('DELETE', `/__api__/v1/groups/${group.guid}`)).status).toBe(204);

    for (const environment of [first, second]) {
      const [removed] = await historyOf(environment.guid);
      expect(removed).toMatchObject({ action: 'remove_environment_permission', user_guid: server.admin.guid, event_description: expect.stringContaining(`group leaving-${dialect}`) });
      expect(removed!.changes).toEqual([{ field: 'permissions', before: { user_guid: null, group_guid: group.guid }, after: null }]);
      expect((await server.request('GET', `/__api__/v1/environments/${environment.guid}/permissions`)).body).toEqual([]);
    }
    expect((await historyOf(untouched.guid)).map((event) => event.action)).toEqual(['add_environment']);
    const [deletion] = await server.store.audit.listForSubject('group', group.guid);
    expect(deletion).toMatchObject({ action: 'delete_group' });
    // One change: the permissions' events and the group's were written together, in that order.
    const [removedLast] = await historyOf(second.guid);
    expect(deletion!.id).toBeGreaterThan(removedLast!.id);
    expect(deletion!.time).toBe(removedLast!.time);
  });

  it('records nothing for a change that was refused', async () => {
    const created = await create('ghcr.io/org/refused:1');
    const stale = await server.request('PUT', `/__api__/v1/environments/${created.guid}`, { body: { title: 'Lost' }, headers: { 'if-match': '"stale"' } });
    expect(stale.status).toBe(412);
    const asPublisher = await server.request('DELETE', `/__api__/v1/environments/${created.guid}`, { as: publisher });
    expect(asPublisher.status).toBe(403);
    const bad = await server.request('PUT', `/__api__/v1/environments/${created.guid}`, { body: { matching: 'sometimes' } });
    expect(bad.status).toBe(400);
    expect((await historyOf(created.guid)).map((event) => event.action)).toEqual(['add_environment']);
  });

  it('records each environment a file sync creates, changes, adopts and removes, naming the file', async () => {
    const file = '/etc/envdesk/environments.yaml';
    const response = await server.request('POST', '/__api__/v1/environments', { body: { name: 'ghcr.io/org/adopted-by-file:1', title: 'Hand-made' } });
    const handMade = EnvironmentSchema.parse(response.body);
    const first = await applySync(server.store, [fileEntry('ghcr.io/org/synced:1'), fileEntry('ghcr.io/org/adopted-by-file:1', { title: 'Adopted' })], systemClock, { file });
    expect(first.ok).toBe(true);
    const synced = (await server.store.environments.listForSync()).find((environment) => environment.name === 'ghcr.io/org/synced:1')!;
    await applySync(server.store, [fileEntry('ghcr.io/org/synced:1', { matching: 'none' }), fileEntry('ghcr.io/org/adopted-by-file:1', { title: 'Adopted' })], systemClock, { file });
    await applySync(server.store, [fileEntry('ghcr.io/org/adopted-by-file:1', { title: 'Adopted' })], systemClock, { file });

    const syncedHistory = await historyOf(synced.guid);
    expect(syncedHistory.map((event) => event.action)).toEqual(['delete_environment', 'update_environment', 'add_environment']);
    for (const event of syncedHistory) expect(event).toMatchObject({ via: 'file', file, user_guid: null, user_description: `environments file ${file}` });
    expect(syncedHistory[1]!.changes).toEqual([{ field: 'matching', before: 'any', after: 'none' }]);

    const [adoption] = await historyOf(handMade.guid);
    expect(adoption).toMatchObject({ action: 'adopt_environment', via: 'file' });
    expect(adoption!.changes.map((change) => change.field)).toEqual(['title', 'managed_by']);
  });

  it('writes a sync\'s events with its changes: a sync that fails planning records nothing', async () => {
    const before = await server.database.connection.db.selectFrom('audit_events').select(({ fn }) => fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    const failed = await applySync(server.store, [fileEntry('ghcr.io/org/twice:1'), fileEntry('ghcr.io/org/twice:1')], systemClock, { file: null });
    expect(failed.ok).toBe(false);
    const after = await server.database.connection.db.selectFrom('audit_events').select(({ fn }) => fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    expect(Number(after.count)).toBe(Number(before.count));
  });
});
