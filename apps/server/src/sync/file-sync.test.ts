import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { EnvironmentSchema, ErrorCode, SyncStatusSchema } from '@envdesk/domain';
import { pino } from 'pino';
import { afterEach, expect, it } from 'vitest';
import { newGuid, rfc3339, systemClock } from '../clock.js';
import { fieldsForCreate } from '../environments/environments-service.js';
import { billionLaughs, configMapVolume, tempFolder } from '../test/files.js';
import { describeEachDialect } from '../test/test-database.js';
import { type TestServer, type TestServerOptions, startTestServer } from '../test/test-server.js';
import { createFileSync } from './file-sync.js';

const R44 = 'ghcr.io/my-org/connect-runtime:r4.4-py3.11';
const R43 = 'ghcr.io/my-org/connect-runtime:r4.3-py3.10';
const entry = (name: string, extra: Record<string, unknown> = {}) => ({ name, title: name.split(':')[1], ...extra });

describeEachDialect('declarative file sync on %s', (dialect) => {
  let server: TestServer | undefined;
  let folder: ReturnType<typeof tempFolder>;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    folder.cleanup();
  });

  async function start(content: unknown, sync?: TestServerOptions['sync']) {
    folder = tempFolder();
    const file = folder.write('environments.yaml', content);
    server = await startTestServer({ dialect, environmentsFile: file, sync });
    return file;
  }

  /** Waits for a condition the sync loop brings about on its own timers (generous: the machine may be busy). */
  async function until<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const environments = async () => {
    const response = await server!.request('GET', '/__api__/v1/environments');
    return (response.body as unknown[]).map((item) => EnvironmentSchema.parse(item));
  };
  const byName = async (name: string) => (await environments()).filter((environment) => environment.name === name);
  /** Everything a sync could touch, to compare before and after. */
  const dump = async () => {
    const db = server!.database.connection.db;
    return JSON.stringify([
      await db.selectFrom('environments').selectAll().orderBy('guid').execute(),
      await db.selectFrom('environment_permissions').selectAll().orderBy('guid').execute(),
    ]);
  };

  it('creates file-managed environments at start, read-only in the API but open to permission changes', async () => {
    const file = await start({ executionEnvironments: [entry(R44), entry(R43)] });
    const [managed] = await byName(R44);
    expect(managed).toMatchObject({ managed_by: 'config-file', title: 'r4.4-py3.11' });
    const put = await server!.request('PUT', `/__api__/v1/environments/${managed!.guid}`, { body: { title: 'x' } });
    expect(put.status).toBe(409);
    expect(put.body).toMatchObject({ code: ErrorCode.EnvironmentIsConfigManaged, payload: { file } });
    expect(put.body.error).toContain(file);
    const publisher = await server!.addUser('publisher');
    const grant = await server!.request('POST', `/__api__/v1/environments/${managed!.guid}/permissions`, { body: { user_guid: publisher.guid } });
    expect(grant.status).toBe(200);
  });

  it('applies an edited file on the next poll and reports what changed', async () => {
    await start([entry(R44), entry(R43)]);
    folder.write('environments.yaml', [entry(R44, { title: 'Renamed', matching: 'exact' })]);
    await server!.fileSync!.pollNow();
    expect((await byName(R44))[0]).toMatchObject({ title: 'Renamed', matching: 'exact' });
    expect(await byName(R43)).toEqual([]);
    const status = await server!.request('GET', '/__api__/v1/environments/sync');
    expect(SyncStatusSchema.safeParse(status.body).success).toBe(true);
    expect(status.body).toMatchObject({ enabled: true, last_error: null, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(status.body.last_changes.map((change: { kind: string; fields: string[] }) => [change.kind, change.fields])).toEqual([
      ['update', ['title', 'matching']],
      ['delete', []],
    ]);
  });

  it('adopts an unmanaged environment by name, keeping its GUID and permissions; leaves others alone', async () => {
    folder = tempFolder();
    const file = folder.write('environments.yaml', []);
    server = await startTestServer({ dialect, environmentsFile: file, sync: { removeGraceMs: 0 } });
    const made = (await server.request('POST', '/__api__/v1/environments', { body: { name: R44, title: 'Made in the UI' } })).body;
    const other = (await server.request('POST', '/__api__/v1/environments', { body: { name: 'ghcr.io/org/untouched:1' } })).body;
    const publisher = await server.addUser('publisher');
    await server.request('POST', `/__api__/v1/environments/${made.guid}/permissions`, { body: { user_guid: publisher.guid } });

    folder.write('environments.yaml', [entry(R44)]);
    await server.fileSync!.pollNow();
    const [adopted] = await byName(R44);
    expect(adopted).toMatchObject({ guid: made.guid, managed_by: 'config-file', title: 'r4.4-py3.11' });
    expect((await server.request('GET', `/__api__/v1/environments/${made.guid}/permissions`)).body).toHaveLength(1);
    expect((await server.request('GET', `/__api__/v1/environments/${other.guid}`)).body).toEqual(other);

    folder.write('environments.yaml', []);
    await server.fileSync!.pollNow();
    expect(await byName(R44)).toEqual([]);
    expect((await server.request('GET', `/__api__/v1/environments/${other.guid}`)).status).toBe(200);
  });

  it('creates an entry with a GUID under that GUID, beside an unmanaged one of the same image', async () => {
    folder = tempFolder();
    const file = folder.write('environments.yaml', []);
    server = await startTestServer({ dialect, environmentsFile: file });
    const unmanaged = (await server.request('POST', '/__api__/v1/environments', { body: { name: R44 } })).body;
    const guid = newGuid();
    folder.write('environments.yaml', [{ guid, ...entry(R44) }]);
    await server.fileSync!.pollNow();
    const both = await byName(R44);
    expect(both.map((environment) => [environment.guid, environment.managed_by]).sort()).toEqual(
      [[guid, 'config-file'], [unmanaged.guid, null]].sort(),
    );
  });

  it('fails, listing the GUIDs, when several unmanaged environments share the name, and changes nothing', async () => {
    folder = tempFolder();
    const file = folder.write('environments.yaml', []);
    server = await startTestServer({ dialect, environmentsFile: file });
    const a = (await server.request('POST', '/__api__/v1/environments', { body: { name: R44 } })).body;
    const b = (await server.request('POST', '/__api__/v1/environments', { body: { name: R44 } })).body;
    const before = await dump();
    folder.write('environments.yaml', [entry(R44)]);
    await server.fileSync!.pollNow();
    expect(await dump()).toBe(before);
    const { last_error } = (await server.request('GET', '/__api__/v1/environments/sync')).body;
    expect(last_error.message).toContain(a.guid);
    expect(last_error.message).toContain(b.guid);
  });

  it('leaves the database identical when the file turns invalid, shows the error, and recovers', async () => {
    await start([entry(R44), entry(R43)]);
    const publisher = await server!.addUser('publisher');
    const [managed] = await byName(R44);
    await server!.request('POST', `/__api__/v1/environments/${managed!.guid}/permissions`, { body: { user_guid: publisher.guid } });
    const before = await dump();

    // One good change and one bad entry: the good change must not land either.
    folder.write('environments.yaml', [entry(R44, { title: 'Would change' }), { name: R43, matching: 'sometimes' }]);
    await server!.fileSync!.pollNow();
    expect(await dump()).toBe(before);
    const status = (await server!.request('GET', '/__api__/v1/environments/sync')).body;
    expect(status.last_error).toMatchObject({ problems: [{ entry: 1, field: 'matching' }] });
    expect(status.last_error.message).toContain('entry 2, matching');

    folder.write('environments.yaml', 'executionEnvironments: [unclosed');
    await server!.fileSync!.pollNow();
    expect(await dump()).toBe(before);
    expect((await server!.request('GET', '/__api__/v1/environments/sync')).body.last_error.message).toContain('not valid YAML');

    folder.write('environments.yaml', [entry(R44, { title: 'Fixed' }), entry(R43)]);
    await server!.fileSync!.pollNow();
    expect((await server!.request('GET', '/__api__/v1/environments/sync')).body.last_error).toBeNull();
    expect((await byName(R44))[0]?.title).toBe('Fixed');
  });

  it('removes the file-managed environments of an emptied file only after the grace period, saying so meanwhile', async () => {
    await start([entry(R44), entry(R43)], { removeGraceMs: 1_500, pollMs: 50 });
    const unmanaged = (await server!.request('POST', '/__api__/v1/environments', { body: { name: 'ghcr.io/org/ui:1' } })).body;
    const emptied = Date.now();
    folder.write('environments.yaml', '');
    await server!.fileSync!.pollNow();
    const pending = (await server!.request('GET', '/__api__/v1/environments/sync')).body;
    expect(SyncStatusSchema.parse(pending).pending_removal).toMatchObject({ reason: 'empty', environments: 2 });
    // Times are to the second, as Connect writes them.
    const graceShown = Date.parse(pending.pending_removal.at) - Date.parse(pending.pending_removal.since);
    expect(graceShown).toBeGreaterThanOrEqual(1_000);
    expect(graceShown).toBeLessThanOrEqual(2_000);
    expect(await environments()).toHaveLength(3);

    // The seed's rule still holds once the grace period has passed.
    await until(async () => (await environments()).length === 1);
    expect(Date.now() - emptied).toBeGreaterThanOrEqual(1_400);
    expect((await environments()).map((environment) => environment.guid)).toEqual([unmanaged.guid]);
    const after = (await server!.request('GET', '/__api__/v1/environments/sync')).body;
    expect(after.pending_removal).toBeNull();
    expect(after.last_changes.map((change: { kind: string }) => change.kind)).toEqual(['delete', 'delete']);
  });

  it('says a removal is pending when the file is removed, and removes them when the grace period ends', async () => {
    const file = await start([entry(R44)], { removeGraceMs: 800, pollMs: 50 });
    rmSync(file);
    await server!.fileSync!.pollNow();
    expect(server!.fileSync!.status().pending_removal).toMatchObject({ reason: 'missing', environments: 1 });
    expect(await byName(R44)).toHaveLength(1);
    await until(async () => (await byName(R44)).length === 0);
    expect(server!.fileSync!.status().pending_removal).toBeNull();
  });

  it('starts on an empty file without removing anything before the grace period', async () => {
    const file = await start([entry(R44)]);
    await server!.fileSync!.stop();
    // A restart that finds the file emptied (a ConfigMap being remounted, say).
    writeFileSync(file, '');
    const restarted = createFileSync({ store: server!.store, logger: pino({ level: 'silent' }), clock: systemClock, path: file, pollMs: 3_600_000, watch: false });
    await restarted.start();
    try {
      expect(restarted.status().pending_removal).toMatchObject({ reason: 'empty', environments: 1 });
      expect(await byName(R44)).toHaveLength(1);
    } finally {
      await restarted.stop();
    }
  });

  it('changes nothing, not a GUID nor a permission, when the file is absent for 1.2 s', async () => {
    const file = await start([entry(R44), entry(R43)], { pollMs: 50, watch: true });
    const publisher = await server!.addUser('publisher');
    for (const environment of await environments()) {
      await server!.request('POST', `/__api__/v1/environments/${environment.guid}/permissions`, { body: { user_guid: publisher.guid } });
    }
    const before = await dump();
    const text = readFileSync(file, 'utf8');
    rmSync(file);
    await until(() => server!.fileSync!.status().pending_removal?.reason === 'missing');
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    writeFileSync(file, text);
    await until(() => server!.fileSync!.status().pending_removal === null);
    await server!.fileSync!.pollNow();
    expect(await dump()).toBe(before);
  });

  it('applies new content only once it has settled: a write in two parts is applied whole', async () => {
    const file = await start([entry(R44, { title: 'First' })], { pollMs: 20, watch: true, settleMs: 1_000 });
    const [environment] = await byName(R44);
    const titles = new Set<string>();
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const current = await server!.request('GET', `/__api__/v1/environments/${environment!.guid}`);
        titles.add(current.body.title);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    // In place, not atomically: first a whole but unfinished version, then the finished one.
    writeFileSync(file, readFileSync(file, 'utf8').replace('First', 'Unfinished'));
    await new Promise((resolve) => setTimeout(resolve, 150));
    writeFileSync(file, readFileSync(file, 'utf8').replace('Unfinished', 'Finished'));
    await until(async () => (await byName(R44))[0]?.title === 'Finished');
    sampling = false;
    await sampler;
    expect(titles.has('First')).toBe(true);
    expect(titles.has('Unfinished')).toBe(false);
  });

  /** What a content item or a team relies on: each GUID, id and creation time, and every permission. */
  const identities = async () => {
    const db = server!.database.connection.db;
    return {
      environments: await db.selectFrom('environments').select(['guid', 'id', 'name', 'created_time', 'managed_by']).orderBy('guid').execute(),
      permissions: await db.selectFrom('environment_permissions').selectAll().orderBy('guid').execute(),
    };
  };
  const grantAll = async (...principals: Array<{ user_guid: string } | { group_guid: string }>) => {
    for (const environment of await environments()) {
      for (const principal of principals) {
        const grant = await server!.request('POST', `/__api__/v1/environments/${environment.guid}/permissions`, { body: principal });
        expect(grant.status).toBe(200);
      }
    }
  };
  const tombstoneCount = async () =>
    Number((await server!.database.connection.db.selectFrom('environment_tombstones').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('restores an environment taken out of the file and put back, with its GUID, id and permissions, as a restore', async () => {
    await start([entry(R44), entry(R43)], { removeGraceMs: 0 });
    const publisher = await server!.addUser('publisher');
    const group = (await server!.request('POST', '/__api__/v1/groups', { body: { name: 'analysts' } })).body;
    await grantAll({ user_guid: publisher.guid }, { group_guid: group.guid });
    const before = await identities();

    folder.write('environments.yaml', [entry(R44)]);
    await server!.fileSync!.pollNow();
    expect(await byName(R43)).toEqual([]);
    expect(await tombstoneCount()).toBe(1);

    folder.write('environments.yaml', [entry(R44), entry(R43)]);
    await server!.fileSync!.pollNow();
    expect(await identities()).toEqual(before);
    const status = SyncStatusSchema.parse((await server!.request('GET', '/__api__/v1/environments/sync')).body);
    expect(status.last_changes).toEqual([expect.objectContaining({ kind: 'restore', name: R43, guid: (await byName(R43))[0]!.guid })]);
    // A restored tombstone is spent.
    expect(await tombstoneCount()).toBe(0);
  });

  it('restores after the whole file was emptied past the grace period, skipping grants of users deleted meanwhile', async () => {
    await start([entry(R44), entry(R43)], { removeGraceMs: 0 });
    const staying = await server!.addUser('publisher');
    const leaving = await server!.addUser('publisher');
    await grantAll({ user_guid: staying.guid }, { user_guid: leaving.guid });
    const before = await identities();
    folder.write('environments.yaml', '');
    await server!.fileSync!.pollNow();
    expect(await environments()).toEqual([]);
    await server!.database.connection.db.deleteFrom('users').where('guid', '=', leaving.guid).execute();

    folder.write('environments.yaml', [entry(R43), entry(R44)]);
    await server!.fileSync!.pollNow();
    const after = await identities();
    expect(after.environments).toEqual(before.environments);
    expect(after.permissions).toEqual(before.permissions.filter((permission) => permission.user_guid !== leaving.guid));
  });

  it('gives an entry that names a tombstone\'s GUID its permissions back', async () => {
    await start([entry(R44)], { removeGraceMs: 0 });
    const publisher = await server!.addUser('publisher');
    await grantAll({ user_guid: publisher.guid });
    const before = await identities();
    const guid = before.environments[0]!.guid;
    folder.write('environments.yaml', [entry(R43)]);
    await server!.fileSync!.pollNow();
    folder.write('environments.yaml', [entry(R43), { guid, ...entry(R44) }]);
    await server!.fileSync!.pollNow();
    expect((await identities()).permissions).toEqual(before.permissions);
    expect(server!.fileSync!.status().last_changes?.map((change) => [change.kind, change.guid])).toEqual([['restore', guid]]);
  });

  it('forgets tombstones older than the tombstone days: an entry back after that is new', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const clock = { now: () => new Date(now) };
    folder = tempFolder();
    const file = folder.write('environments.yaml', [entry(R44), entry(R43)]);
    server = await startTestServer({ dialect, environmentsFile: file, clock, sync: { removeGraceMs: 0, tombstoneDays: 30 } });
    const [removed] = await byName(R43);
    folder.write('environments.yaml', [entry(R44)]);
    await server.fileSync!.pollNow();
    now += 31 * 86_400_000;
    folder.write('environments.yaml', [entry(R44, { title: 'A later edit' })]);
    await server.fileSync!.pollNow();
    expect(await tombstoneCount()).toBe(0);
    folder.write('environments.yaml', [entry(R44), entry(R43)]);
    await server.fileSync!.pollNow();
    const [back] = await byName(R43);
    expect(back!.guid).not.toBe(removed!.guid);
    expect(server.fileSync!.status().last_changes?.map((change) => change.kind)).toEqual(['update', 'create']);
  });

  /** A file of `count` entries, as YAML under `executionEnvironments:`. */
  const manyEntries = (count: number) => ({
    executionEnvironments: Array.from({ length: count }, (_, i) =>
      entry(`ghcr.io/my-org/runtime-${i}:r4.4`, { python: { installations: [{ version: `3.${8 + (i % 4)}.1`, path: `/opt/python/3.${8 + (i % 4)}/bin/python3` }] } }),
    ),
  });

  /**
   * Rewrites the file in place as `cat > file` over a slow link would: truncate, write the text up to
   * `cut`, pause 400 ms, write the rest; then waits until the sync has applied the whole text.
   */
  async function tornWrite(file: string, text: string, cut: number) {
    truncateSync(file, 0);
    appendFileSync(file, text.slice(0, cut));
    await new Promise((resolve) => setTimeout(resolve, 400));
    appendFileSync(file, text.slice(cut));
    const hash = createHash('sha256').update(text).digest('hex');
    await until(() => { const status = server!.fileSync!.status(); return status.hash === hash && status.last_error === null; });
    await server!.fileSync!.pollNow();
  }

  it('keeps every GUID and permission through a torn write (truncate, half, 400 ms, the rest)', async () => {
    const file = await start(manyEntries(40), { pollMs: 50, watch: true });
    const publisher = await server!.addUser('publisher');
    const group = (await server!.request('POST', '/__api__/v1/groups', { body: { name: 'modellers' } })).body;
    await grantAll({ user_guid: publisher.guid }, { group_guid: group.guid });
    const before = await identities();
    const text = readFileSync(file, 'utf8');
    await tornWrite(file, text, Math.floor(text.length / 2));
    expect(await identities()).toEqual(before);
  });

  it('keeps every GUID and permission when the torn half is a valid file cut between entries', async () => {
    const file = await start(manyEntries(40), { pollMs: 50, watch: true });
    const publisher = await server!.addUser('publisher');
    await grantAll({ user_guid: publisher.guid });
    const before = await identities();
    const text = readFileSync(file, 'utf8');
    // The start of entry 20: the first half alone is a valid file of 20 entries, and it settles.
    const cut = text.indexOf('\n  - name: ghcr.io/my-org/runtime-20:') + 1;
    expect(cut).toBeGreaterThan(0);
    await tornWrite(file, text, cut);
    expect(await identities()).toEqual(before);
    // The half was applied (settling cannot wait 400 ms out), and the tombstones brought the rest back.
    const changes = server!.fileSync!.status().last_changes ?? [];
    expect(changes).toHaveLength(20);
    expect(changes.every((change) => change.kind === 'restore')).toBe(true);
  });

  it('follows a ConfigMap-style symlink swap', async () => {
    folder = tempFolder();
    const volume = configMapVolume(folder.dir, 'environments.yaml');
    volume.publish([entry(R44)]);
    server = await startTestServer({ dialect, environmentsFile: volume.file });
    expect(await byName(R44)).toHaveLength(1);
    volume.publish([entry(R43)]);
    await server.fileSync!.pollNow();
    expect(await byName(R44)).toEqual([]);
    expect(await byName(R43)).toHaveLength(1);
  });

  it('refuses to start on an invalid file, naming the entry and field, with nothing written', async () => {
    folder = tempFolder();
    const file = folder.write('environments.yaml', [entry(R44), { name: R43, python: { installations: [{ version: '3.10', path: 'python' }] } }]);
    await expect(startTestServer({ dialect, environmentsFile: file })).rejects.toThrow(/entry 2, python\.installations\[0\]\.path/);
    const missing = folder.path('absent.yaml');
    await expect(startTestServer({ dialect, environmentsFile: missing })).rejects.toThrow(/does not exist/);
  });

  it('refuses to start, promptly, on a YAML alias bomb or a file over the size limit', async () => {
    folder = tempFolder();
    const bomb = folder.write('environments.yaml', billionLaughs());
    await expect(startTestServer({ dialect, environmentsFile: bomb })).rejects.toThrow(/aliases expand it by more than 1000000 values/);
    const large = folder.write('large.yaml', [entry(R44, { description: 'x'.repeat(2_000) })]);
    await expect(startTestServer({ dialect, environmentsFile: large, sync: { maxBytes: 1_024 } })).rejects.toThrow(
      /over the limit of 1024 bytes \(ENVDESK_ENVIRONMENTS_MAX_BYTES\)/,
    );
  });

  it('leaves the database as it was on a bomb or an oversized file while running, and shows why', async () => {
    const file = await start([entry(R44), entry(R43)], { maxBytes: 4_096 });
    const before = await dump();
    const lastError = async () => (await server!.request('GET', '/__api__/v1/environments/sync')).body.last_error?.message as string | undefined;

    writeFileSync(file, billionLaughs());
    await server!.fileSync!.pollNow();
    expect(await lastError()).toMatch(/aliases expand it by more than 1000000 values/);
    expect(await dump()).toBe(before);

    folder.write('environments.yaml', [entry(R44, { description: 'x'.repeat(5_000) })]);
    await server!.fileSync!.pollNow();
    expect(await lastError()).toContain('over the limit of 4096 bytes (ENVDESK_ENVIRONMENTS_MAX_BYTES)');
    expect(await dump()).toBe(before);

    folder.write('environments.yaml', [entry(R44, { title: 'Back' })]);
    await server!.fileSync!.pollNow();
    expect(await lastError()).toBeUndefined();
    expect((await byName(R44))[0]?.title).toBe('Back');
  });

  it('rejects access control in the file', async () => {
    folder = tempFolder();
    const file = folder.write('environments.yaml', [entry(R44, { permissions: [{ group_guid: newGuid() }] })]);
    await expect(startTestServer({ dialect, environmentsFile: file })).rejects.toThrow(/entry 1, permissions: access control is not supported/);
  });

  it('reads a saved API response as the file, ignoring its read-only fields', async () => {
    folder = tempFolder();
    const saved = { ...fieldsForCreate({ name: R44, title: 'Saved' }), id: '7', guid: newGuid(), created_time: rfc3339(new Date()), updated_time: rfc3339(new Date()), cluster_name: 'Kubernetes', environment_type: 'Kubernetes', managed_by: null };
    const file = folder.write('environments.json', JSON.stringify([saved]));
    server = await startTestServer({ dialect, environmentsFile: file });
    expect((await byName(R44))[0]).toMatchObject({ guid: saved.guid, title: 'Saved', managed_by: 'config-file' });
  });
});
