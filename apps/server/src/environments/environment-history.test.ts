import {
  type AuditEvent,
  type DeletedEnvironment,
  type Environment,
  EnvironmentSchema,
  type EnvironmentSummary,
  ErrorCode,
  type FileEntry,
  definitionFrom,
} from '@envdesk/domain';
import { aCreateEnvironmentInput } from '@envdesk/domain/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newGuid, systemClock, timestamp } from '../clock.js';
import { applySync } from '../sync/apply-sync.js';
import { describeEachDialect } from '../test/test-database.js';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';

const fileEntry = (name: string, guid: string | null = null): FileEntry => ({ guid, definition: definitionFrom({ name, title: 'From the file' }) });

describeEachDialect('environment history and restore on %s', (dialect) => {
  let server: TestServer;
  let publisher: TestUser;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    publisher = await server.addUser('publisher');
  });
  afterAll(() => server.close());

  const create = async (name: string): Promise<Environment> => {
    const response = await server.request('POST', '/__api__/v1/environments', { body: aCreateEnvironmentInput({ name, title: 'Before' }) });
    expect(response.status).toBe(200);
    return EnvironmentSchema.parse(response.body);
  };
  const historyOf = async (guid: string): Promise<AuditEvent[]> => {
    const response = await server.request('GET', `/__api__/v1/environments/${guid}/history`);
    expect(response.status).toBe(200);
    return response.body as AuditEvent[];
  };
  const deleted = async (): Promise<DeletedEnvironment[]> => (await server.request('GET', '/__api__/v1/environments/deleted')).body as DeletedEnvironment[];
  const restoreDeleted = (guid: string) => server.request('POST', `/__api__/v1/environments/deleted/${guid}/restore`);

  it('pages a long history, newest first: limit at a time, then older than the last one seen, until it runs out', async () => {
    const created = await create(`ghcr.io/org/long-history-${dialect}:1`);
    for (let n = 1; n <= 6; n += 1) {
      expect((await server.request('PUT', `/__api__/v1/environments/${created.guid}`, { body: { title: `Version ${n}` } })).status).toBe(200);
    }
    const everything = await historyOf(created.guid);
    expect(everything).toHaveLength(7);
    const page = (query: string) => server.request('GET', `/__api__/v1/environments/${created.guid}/history?${query}`);

    const seen: AuditEvent[] = [];
    let before: number | undefined;
    for (;;) {
      const answer = await page(`limit=3${before === undefined ? '' : `&before=${before}`}`);
      expect(answer.status).toBe(200);
      const events = answer.body as AuditEvent[];
      seen.push(...events);
      if (events.length < 3) break;
      before = events.at(-1)!.id;
    }
    expect(seen.map((event) => event.id)).toEqual(everything.map((event) => event.id));
    expect(seen.at(-1)).toMatchObject({ action: 'add_environment' });

    for (const bad of ['limit=0', 'limit=501', 'limit=two', 'before=-1', 'before=1e3', 'before=%00']) {
      const refused = await page(bad);
      expect(refused.status, bad).toBe(400);
      expect(refused.body.payload?.field ?? refused.body.error, bad).toMatch(/limit|before/);
    }
  });

  it('puts a hand-made environment back as it was at an earlier event, as a new event, honouring If-Match', async () => {
    const created = await create(`ghcr.io/org/restorable-${dialect}:1`);
    const path = `/__api__/v1/environments/${created.guid}`;
    expect((await server.request('PUT', path, { body: { title: 'After', matching: 'exact', description: 'Changed' } })).status).toBe(200);
    const [update, creation] = await historyOf(created.guid);
    expect([update!.action, creation!.action]).toEqual(['update_environment', 'add_environment']);

    const stale = await server.request('POST', `${path}/history/${creation!.id}/restore`, { headers: { 'if-match': environmentEtagOf(created) } });
    expect(stale.status).toBe(412);
    const current = await server.request('GET', path);
    const restored = await server.request('POST', `${path}/history/${creation!.id}/restore`, { headers: { 'if-match': current.headers.get('etag')! } });
    expect(restored.status).toBe(200);
    expect(restored.headers.get('etag')).toMatch(/^"/);
    expect(restored.body).toMatchObject({ guid: created.guid, id: created.id, title: 'Before', matching: 'any', description: null, managed_by: null });

    const [restore] = await historyOf(created.guid);
    expect(restore).toMatchObject({ action: 'restore_environment', user_guid: server.admin.guid, via: 'api' });
    expect(restore!.event_description).toContain(`as it was on ${creation!.time}`);
    expect(restore!.changes.map((change) => change.field)).toEqual(['title', 'description', 'matching']);
  });

  it('answers 404 for an event of another environment, one without a state, or an id that names none', async () => {
    const mine = await create(`ghcr.io/org/mine-${dialect}:1`);
    const theirs = await create(`ghcr.io/org/theirs-${dialect}:1`);
    const granted = await server.request('POST', `/__api__/v1/environments/${mine.guid}/permissions`, { body: { user_guid: publisher.guid } });
    expect(granted.status).toBe(200);
    const [permissionEvent] = await historyOf(mine.guid);
    const [theirEvent] = await historyOf(theirs.guid);
    expect(permissionEvent!.state).toBeNull();
    const restore = (id: string, guid = mine.guid) => server.request('POST', `/__api__/v1/environments/${guid}/history/${id}/restore`);
    for (const id of [String(theirEvent!.id), String(permissionEvent!.id), '0', '-1', '1e3', 'abc', '99999999999999999999', '1.5', '%20']) {
      const response = await restore(id);
      expect(response.status, id).toBe(404);
    }
    expect((await restore(String(theirEvent!.id), 'not-a-guid')).status).toBe(404);
    expect((await restore('1', '%00')).status).toBe(400);
    expect((await server.request('GET', `/__api__/v1/environments/${newGuid()}/history`)).status).toBe(404);
    expect((await server.request('GET', '/__api__/v1/environments/%00/history')).status).toBe(400);
    // Nothing was written by any of them.
    expect((await historyOf(mine.guid)).map((event) => event.action)).toEqual(['add_environment_permission', 'add_environment']);
  });

  it('brings a deleted environment back with its GUID, id and the grants whose user or group still exists', async () => {
    const created = await create(`ghcr.io/org/undeleted-${dialect}:1`);
    const leaving = await server.addUser('publisher');
    const group = await server.store.groups.insert(newGuid(), `undeleters-${dialect}`, null, timestamp(systemClock));
    for (const body of [{ user_guid: publisher.guid }, { user_guid: leaving.guid }, { group_guid: group.group.guid }]) {
      expect((await server.request('POST', `/__api__/v1/environments/${created.guid}/permissions`, { body })).status).toBe(200);
    }
    const permissions = (await server.request('GET', `/__api__/v1/environments/${created.guid}/permissions`)).body as Array<{ guid: string; user_guid: string | null }>;
    expect((await server.request('DELETE', `/__api__/v1/environments/${created.guid}`)).status).toBe(204);
    expect((await server.request('GET', `/__api__/v1/environments/${created.guid}`)).status).toBe(404);
    await server.database.connection.db.deleteFrom('users').where('guid', '=', leaving.guid).execute();

    const listed = (await deleted()).find((entry) => entry.guid === created.guid);
    expect(listed).toMatchObject({ name: created.name, title: 'Before', managed_by: null, file: null, removed_by: { user_guid: server.admin.guid, via: 'api' } });
    expect(listed!.removed_by!.user_description).toContain(server.admin.username);
    // A deleted environment's history stays readable.
    expect((await historyOf(created.guid))[0]!.action).toBe('delete_environment');

    const restored = await restoreDeleted(created.guid);
    expect(restored.status).toBe(200);
    expect(restored.body).toEqual(expect.objectContaining({ guid: created.guid, id: created.id, created_time: created.created_time, title: 'Before', managed_by: null }));
    const after = (await server.request('GET', `/__api__/v1/environments/${created.guid}/permissions`)).body as Array<{ guid: string }>;
    expect(after.map((permission) => permission.guid).sort()).toEqual(permissions.filter((permission) => permission.user_guid !== leaving.guid).map((permission) => permission.guid).sort());
    const [restore] = await historyOf(created.guid);
    expect(restore).toMatchObject({ action: 'restore_environment', user_guid: server.admin.guid });
    expect(restore!.changes.find((change) => change.field === 'permissions')!.after).toHaveLength(2);
    expect((await deleted()).some((entry) => entry.guid === created.guid)).toBe(false);
    // Once back, there is nothing left to restore.
    expect((await restoreDeleted(created.guid)).status).toBe(404);
  });

  it('refuses restores of file-managed environments with 409 and code 265: the file decides', async () => {
    const name = `ghcr.io/org/file-owned-${dialect}:1`;
    expect((await applySync(server.store, [fileEntry(name)], systemClock, { file: 'environments.yaml' })).ok).toBe(true);
    const managed = (await server.store.environments.list()).find((environment) => environment.name === name)!;
    const [creation] = await historyOf(managed.guid);
    const refused = await server.request('POST', `/__api__/v1/environments/${managed.guid}/history/${creation!.id}/restore`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: ErrorCode.EnvironmentIsConfigManaged });

    expect((await applySync(server.store, [], systemClock, { file: 'environments.yaml' })).ok).toBe(true);
    const listed = (await deleted()).find((entry) => entry.guid === managed.guid);
    expect(listed).toMatchObject({ managed_by: 'config-file', file: 'environments.yaml', removed_by: { via: 'file' } });
    const undelete = await restoreDeleted(managed.guid);
    expect(undelete.status).toBe(409);
    expect(undelete.body).toMatchObject({ code: ErrorCode.EnvironmentIsConfigManaged });
    // The file still gets it back, with the same GUID, from the very same tombstone.
    await applySync(server.store, [fileEntry(name)], systemClock, { file: 'environments.yaml' });
    expect((await server.store.environments.findByGuid(managed.guid))?.managed_by).toBe('config-file');
    expect((await deleted()).some((entry) => entry.guid === managed.guid)).toBe(false);
  });

  it('keeps a hand-deleted environment out of a new file entry of its image, but gives it to an entry naming its GUID', async () => {
    const name = `ghcr.io/org/hand-deleted-${dialect}:1`;
    const first = await create(name);
    const second = await create(`ghcr.io/org/hand-deleted-named-${dialect}:1`);
    await server.request('DELETE', `/__api__/v1/environments/${first.guid}`);
    await server.request('DELETE', `/__api__/v1/environments/${second.guid}`);

    expect((await applySync(server.store, [fileEntry(name), fileEntry(second.name, second.guid)], systemClock, { file: null })).ok).toBe(true);
    const fromFile = (await server.store.environments.list()).filter((environment) => environment.name === name);
    expect(fromFile.map((environment) => environment.guid)).not.toContain(first.guid);
    expect(fromFile).toHaveLength(1);
    expect((await deleted()).map((entry) => entry.guid)).toContain(first.guid);
    expect(await server.store.environments.findByGuid(second.guid)).toMatchObject({ id: second.id, managed_by: 'config-file' });
    expect((await deleted()).map((entry) => entry.guid)).not.toContain(second.guid);

    // Restored by hand next to the file's own, it stays hand-made and the next sync leaves it be.
    expect((await restoreDeleted(first.guid)).status).toBe(200);
    const again = await applySync(server.store, [fileEntry(name), fileEntry(second.name, second.guid)], systemClock, { file: null });
    expect(again.ok && again.value.changes).toEqual([]);
    expect(await server.store.environments.findByGuid(first.guid)).toMatchObject({ managed_by: null });
  });

  it('forgets deleted environments after the tombstone days', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const clock = { now: () => new Date(now) };
    const aged = await startTestServer({ dialect, clock, sync: { tombstoneDays: 2 } });
    try {
      const made = EnvironmentSchema.parse((await aged.request('POST', '/__api__/v1/environments', { body: { name: 'ghcr.io/org/aging:1' } })).body);
      await aged.request('DELETE', `/__api__/v1/environments/${made.guid}`);
      expect(((await aged.request('GET', '/__api__/v1/environments/deleted')).body as DeletedEnvironment[]).map((entry) => entry.guid)).toEqual([made.guid]);
      now += 3 * 86_400_000;
      expect((await aged.request('GET', '/__api__/v1/environments/deleted')).body).toEqual([]);
      expect((await aged.request('POST', `/__api__/v1/environments/deleted/${made.guid}/restore`)).status).toBe(404);
    } finally {
      await aged.close();
    }
  });

  it('summarises who changed each environment last and how much content uses it', async () => {
    const used = await create(`ghcr.io/org/used-${dialect}:1`);
    await server.request('POST', '/__api__/v1/content', { as: publisher, body: { name: `summary-uses-${dialect}`, default_environment_guid: used.guid } });
    await server.request('POST', '/__api__/v1/content', { as: publisher, body: { name: `summary-unrelated-${dialect}` } });
    const response = await server.request('GET', '/__api__/v1/environments/summary');
    expect(response.status).toBe(200);
    const summary = (response.body as EnvironmentSummary[]).find((entry) => entry.guid === used.guid);
    expect(summary).toMatchObject({ content_count: 1, last_changed: { user_guid: server.admin.guid, via: 'api' } });
    for (const path of ['summary', 'deleted', `${used.guid}/history`]) {
      expect((await server.request('GET', `/__api__/v1/environments/${path}`, { as: publisher })).status, path).toBe(403);
    }
  });
});

function environmentEtagOf(environment: Environment): string {
  return `"${environment.updated_time}-stale"`;
}
