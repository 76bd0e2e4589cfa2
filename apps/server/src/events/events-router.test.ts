import { EnvironmentSchema, ErrorCode, type LiveEvent, LiveEventSchema } from '@envdesk/domain';
import { aCreateEnvironmentInput } from '@envdesk/domain/testing';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { type EventStream, type StreamMessage, openEventStream } from '../test/event-stream.js';
import { tempFolder } from '../test/files.js';
import { describeEachDialect, itOnPostgres } from '../test/test-database.js';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';

const live = (message: StreamMessage): LiveEvent => LiveEventSchema.parse(JSON.parse(message.data));
const about = (guid: string, action?: string) => (message: StreamMessage) =>
  message.event === 'message' && live(message).subject_guid === guid && (action === undefined || live(message).action === action);

function streamOf(server: TestServer, user: TestUser, options: { headers?: Record<string, string>; query?: string } = {}): Promise<EventStream> {
  return openEventStream(`${server.url}/__api__/v1/events${options.query ?? ''}`, { authorization: `Key ${user.key}`, ...options.headers });
}

describeEachDialect('the live event stream on %s', (dialect) => {
  let server: TestServer;
  let publisher: TestUser;
  let viewer: TestUser;
  const streams: EventStream[] = [];
  const open = async (...args: Parameters<typeof streamOf> extends [TestServer, ...infer Rest] ? Rest : never) => {
    const stream = await streamOf(server, ...args);
    streams.push(stream);
    return stream;
  };

  beforeAll(async () => {
    server = await startTestServer({ dialect, eventsHeartbeatMs: 100 });
    publisher = await server.addUser('publisher');
    viewer = await server.addUser('viewer');
  });
  afterEach(() => {
    for (const stream of streams.splice(0)) stream.close();
  });
  afterAll(() => server.close());

  async function create(name: string, grantTo?: TestUser) {
    const response = await server.request('POST', '/__api__/v1/environments', { body: aCreateEnvironmentInput({ name }) });
    expect(response.status).toBe(200);
    const environment = EnvironmentSchema.parse(response.body);
    if (grantTo) {
      const granted = await server.request('POST', `/__api__/v1/environments/${environment.guid}/permissions`, { body: { user_guid: grantTo.guid } });
      expect(granted.status).toBe(200);
    }
    return environment;
  }

  it('sends an administrator every change as it commits, each with its audit id and who made it', async () => {
    const stream = await open(server.admin);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.headers.get('cache-control')).toBe('no-store');
    const environment = await create('ghcr.io/org/live-admin:1');
    const created = await stream.next(about(environment.guid, 'add_environment'));
    expect(created.id).toBe(String(live(created).id));
    expect(live(created)).toMatchObject({ subject_type: 'environment', user_guid: server.admin.guid, via: 'api' });
    expect(live(created).user_description).toContain(server.admin.username);
    await server.request('PUT', `/__api__/v1/environments/${environment.guid}`, { body: { title: 'Renamed' } });
    await server.request('DELETE', `/__api__/v1/environments/${environment.guid}`);
    await stream.next(about(environment.guid, 'delete_environment'));
    const actions = stream.messages.filter(about(environment.guid)).map((message) => live(message).action);
    expect(actions).toEqual(['add_environment', 'update_environment', 'delete_environment']);
    // Ids only grow, so a reconnect's Last-Event-ID resumes after the last one seen.
    const ids = stream.messages.map((message) => Number(message.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  it('sends a publisher the changes of environments permitted to them only, including losing and regaining one', async () => {
    const other = await server.addUser('publisher');
    const stream = await open(publisher);
    const open_ = await create('ghcr.io/org/live-open:1');
    const theirs = await create('ghcr.io/org/live-theirs:1', publisher);
    const hidden = await create('ghcr.io/org/live-hidden:1', other);
    await server.request('PUT', `/__api__/v1/environments/${hidden.guid}`, { body: { title: 'Secret' } });
    await server.request('PUT', `/__api__/v1/environments/${theirs.guid}`, { body: { title: 'Theirs, renamed' } });
    await server.request('DELETE', `/__api__/v1/environments/${theirs.guid}`);
    // A marker the publisher may see, after everything above: whatever was to arrive has.
    const marker = await create('ghcr.io/org/live-marker:1');
    await stream.next(about(marker.guid));

    expect(stream.messages.some(about(open_.guid, 'add_environment'))).toBe(true);
    expect(stream.messages.filter(about(theirs.guid)).map((message) => live(message).action)).toEqual(
      expect.arrayContaining(['add_environment_permission', 'update_environment', 'delete_environment']),
    );
    // Its creation may reach them (with no grants yet, every publisher may use it); nothing after it is granted away.
    expect(stream.messages.filter(about(hidden.guid)).map((message) => live(message).action)).not.toEqual(
      expect.arrayContaining(['add_environment_permission']),
    );
    expect(stream.messages.filter(about(hidden.guid, 'update_environment'))).toEqual([]);
    expect(stream.messages.some((message) => message.data.includes('Secret'))).toBe(false);
  });

  it('ends the stream of a caller who may no longer read it: demoted or locked at once, a revoked key at the next heartbeat', async () => {
    const demoted = await server.addUser('administrator');
    const locked = await server.addUser('publisher');
    const revoked = await server.addUser('publisher');
    const [asDemoted, asLocked, asRevoked, bystander] = await Promise.all([open(demoted), open(locked), open(revoked), open(publisher)]);
    expect([asDemoted, asLocked, asRevoked].map((stream) => stream.status)).toEqual([200, 200, 200]);

    expect((await server.request('PUT', `/__api__/v1/users/${demoted.guid}`, { body: { user_role: 'viewer' } })).status).toBe(200);
    await asDemoted.ended();
    expect((await server.request('POST', `/__api__/v1/users/${locked.guid}/lock`, { body: { locked: true } })).status).toBeLessThan(300);
    await asLocked.ended();
    const keys = await server.request('GET', '/__api__/v1/user/keys', { as: revoked });
    expect((await server.request('DELETE', `/__api__/v1/user/keys/${keys.body[0].id}`, { as: revoked })).status).toBe(204);
    await asRevoked.ended(2_000);

    // What comes after reaches none of them, and their EventSource's reconnect is refused.
    const later = await create('ghcr.io/org/live-after-demotion:1');
    await bystander.next(about(later.guid));
    for (const stream of [asDemoted, asLocked, asRevoked]) expect(stream.messages.some(about(later.guid))).toBe(false);
    expect((await open(demoted)).status).toBe(403);
    expect((await open(locked)).status).toBe(401);
    expect((await open(revoked)).status).toBe(401);
    expect((await open(publisher)).status).toBe(200);
  });

  it("follows a publisher's groups while the stream is open: joining one brings its environments' changes, leaving it stops them", async () => {
    const member = await server.addUser('publisher');
    const stream = await open(member);
    const group = (await server.request('POST', '/__api__/v1/groups', { body: { name: `live-${dialect}-${member.username}` } })).body;
    const environment = await create('ghcr.io/org/live-group-only:1');
    expect((await server.request('POST', `/__api__/v1/environments/${environment.guid}/permissions`, { body: { group_guid: group.guid } })).status).toBe(200);

    expect((await server.request('POST', `/__api__/v1/groups/${group.guid}/members`, { body: { user_guid: member.guid } })).status).toBeLessThan(300);
    await server.request('PUT', `/__api__/v1/environments/${environment.guid}`, { body: { title: 'Seen as a member' } });
    await stream.next((message) => about(environment.guid, 'update_environment')(message) && message.data.includes('Seen as a member'));

    expect((await server.request('DELETE', `/__api__/v1/groups/${group.guid}/members/${member.guid}`)).status).toBe(204);
    await server.request('PUT', `/__api__/v1/environments/${environment.guid}`, { body: { title: 'Changed after leaving' } });
    const marker = await create('ghcr.io/org/live-group-marker:1');
    await stream.next(about(marker.guid));
    expect(stream.messages.some((message) => message.data.includes('Changed after leaving'))).toBe(false);
  });

  it('refuses viewers and anonymous callers with the usual JSON errors', async () => {
    const asViewer = await open(viewer);
    expect(asViewer.status).toBe(403);
    expect(JSON.parse(await asViewer.text())).toMatchObject({ code: ErrorCode.PermissionDenied });
    const anonymous = await openEventStream(`${server.url}/__api__/v1/events`);
    expect(anonymous.status).toBe(401);
    await anonymous.text();
  });

  it('replays what a reconnecting client missed after its Last-Event-ID, header or query, then goes on live', async () => {
    const first = await open(server.admin);
    const before = await create('ghcr.io/org/live-before:1');
    const seen = await first.next(about(before.guid));
    first.close();
    const missed = [await create('ghcr.io/org/live-missed-1:1'), await create('ghcr.io/org/live-missed-2:1')];

    const resumed = await open(server.admin, { headers: { 'last-event-id': seen.id! } });
    await resumed.next(about(missed[1]!.guid));
    expect(resumed.messages.map((message) => live(message).subject_guid)).toEqual(missed.map((environment) => environment.guid));
    const after = await create('ghcr.io/org/live-after:1');
    await resumed.next(about(after.guid));

    const byQuery = await open(server.admin, { query: `?lastEventId=${seen.id}` });
    await byQuery.next(about(after.guid));
    expect(byQuery.messages.filter(about(missed[0]!.guid))).toHaveLength(1);

    // A publisher's replay is filtered like the live stream.
    const hidden = await create('ghcr.io/org/live-replay-hidden:1', server.admin);
    const marker = await create('ghcr.io/org/live-replay-marker:1');
    const publisherReplay = await open(publisher, { headers: { 'last-event-id': seen.id! } });
    await publisherReplay.next(about(marker.guid));
    expect(publisherReplay.messages.filter(about(hidden.guid))).toEqual([]);
  });

  it('answers a malformed Last-Event-ID with a 400, not a stream', async () => {
    for (const options of [{ headers: { 'last-event-id': 'abc' } }, { query: '?lastEventId=-1' }, { query: '?lastEventId=1&lastEventId=2' }]) {
      const stream = await open(server.admin, options);
      expect(stream.status).toBe(400);
      expect(JSON.parse(await stream.text())).toMatchObject({ code: ErrorCode.BadRequest });
    }
  });

  it('sends heartbeat comments while nothing happens, so proxies keep the stream open', async () => {
    const stream = await open(publisher);
    await stream.waitForComments(4, 3_000);
    expect(stream.messages).toEqual([]);
  });

  it('forgets a stream its client closed, and ends every stream when the server stops, so clients reconnect elsewhere', async () => {
    const other = await startTestServer({ dialect });
    const gone = await streamOf(other, other.admin);
    expect(other.app.services.events.connections()).toBe(1);
    gone.close();
    await expect.poll(() => other.app.services.events.connections()).toBe(0);
    const stream = await streamOf(other, other.admin);
    expect(other.app.services.events.connections()).toBe(1);
    await other.close();
    expect(other.app.services.events.connections()).toBe(0);
    stream.close();
  });
});

describeEachDialect('the failed-sync banner on the stream on %s', (dialect) => {
  let folder: ReturnType<typeof tempFolder>;
  let server: TestServer;
  beforeAll(async () => {
    folder = tempFolder();
    const file = folder.write('environments.yaml', [{ name: 'ghcr.io/org/from-file:1' }]);
    server = await startTestServer({ dialect, environmentsFile: file, sync: { settleMs: 0 } });
  });
  afterAll(async () => {
    await server.close();
    folder.cleanup();
  });

  it('tells administrators when the sync starts and stops failing, and publishers nothing of it', async () => {
    const publisher = await server.addUser('publisher');
    const admin = await streamOf(server, server.admin);
    const theirs = await streamOf(server, publisher);
    folder.write('environments.yaml', 'entries: [unclosed');
    await server.fileSync!.pollNow();
    const failed = await admin.next((message) => message.event === 'sync_status');
    expect(failed.id).toBeNull();
    expect(JSON.parse(failed.data)).toEqual({ failed: true, pending_removal: false });
    folder.write('environments.yaml', [{ name: 'ghcr.io/org/from-file:1' }, { name: 'ghcr.io/org/from-file:2' }]);
    await server.fileSync!.pollNow();
    await admin.next((message) => message.event === 'sync_status' && JSON.parse(message.data).failed === false);
    // The environment the file added reaches the publisher; the banner does not.
    await theirs.next((message) => message.event === 'message' && live(message).subject_name.includes('from-file:2'));
    expect(theirs.messages.filter((message) => message.event === 'sync_status')).toEqual([]);
    expect(live(theirs.messages.at(-1)!)).toMatchObject({ via: 'file', user_guid: null });
    admin.close();
    theirs.close();
  });
});

itOnPostgres('a change made on one replica reaches a stream open on another, through LISTEN/NOTIFY', async () => {
  const a = await startTestServer({ dialect: 'postgres' });
  const b = await startTestServer({ replicaOf: a });
  try {
    const stream = await streamOf(b, a.admin);
    // The stream is open before B's LISTEN may be: a change now must still arrive (B catches up when it listens).
    const created = await a.request('POST', '/__api__/v1/environments', { body: aCreateEnvironmentInput({ name: 'ghcr.io/org/across-replicas:1' }) });
    const started = performance.now();
    const message = await stream.next(about(created.body.guid, 'add_environment'));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(live(message).user_guid).toBe(a.admin.guid);
    const updated = await a.request('PUT', `/__api__/v1/environments/${created.body.guid}`, { body: { title: 'Changed on A' } });
    expect(updated.status).toBe(200);
    await stream.next(about(created.body.guid, 'update_environment'));
    expect(stream.messages.filter(about(created.body.guid))).toHaveLength(2);
    stream.close();
  } finally {
    await b.close();
    await a.close();
  }
});

itOnPostgres('a replica whose LISTEN connection is cut opens another and delivers what was announced meanwhile', async () => {
  const a = await startTestServer({ dialect: 'postgres' });
  const b = await startTestServer({ replicaOf: a });
  try {
    const stream = await streamOf(b, a.admin);
    const first = await a.request('POST', '/__api__/v1/environments', { body: aCreateEnvironmentInput({ name: 'ghcr.io/org/before-cut:1' }) });
    await stream.next(about(first.body.guid));
    // Every LISTEN connection on this database is cut; B's is replaced.
    const { sql } = await import('kysely');
    const cut = await sql<{ cut: boolean }>`select pg_terminate_backend(pid) as cut from pg_stat_activity where datname = current_database() and query ilike 'listen%'`.execute(a.database.connection.db);
    expect(cut.rows).toEqual([{ cut: true }]);
    const during = await a.request('POST', '/__api__/v1/environments', { body: aCreateEnvironmentInput({ name: 'ghcr.io/org/during-cut:1' }) });
    await stream.next(about(during.body.guid), 10_000);
    stream.close();
  } finally {
    await b.close();
    await a.close();
  }
}, 20_000);
