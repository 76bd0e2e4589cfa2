import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import {
  AddGroupMemberInputSchema,
  AuditLogsQuerySchema,
  AuditSearchQuerySchema,
  ContentTagInputSchema,
  ContentPackagesQuerySchema,
  CreateApiKeyInputSchema,
  CreateContentInputSchema,
  CreateContentPermissionInputSchema,
  CreateEnvironmentInputSchema,
  CreateEnvironmentPermissionInputSchema,
  CreateGroupInputSchema,
  CreateTagInputSchema,
  CreateUserInputSchema,
  DeleteRuntimeCacheInputSchema,
  DeployInputSchema,
  EnvironmentVariablesInputSchema,
  EnvironmentHistoryQuerySchema,
  EventsQuerySchema,
  ExplainSelectionInputSchema,
  InspectImageInputSchema,
  ExportEnvironmentsInputSchema,
  ImportDocumentInputSchema,
  LegacyApplicationsQuerySchema,
  ListContentQuerySchema,
  ListGroupsQuerySchema,
  ListTagsQuerySchema,
  ListUsersQuerySchema,
  LockUserInputSchema,
  LoginInputSchema,
  ManifestSchema,
  PatchContentRepositoryInputSchema,
  PutContentRepositoryInputSchema,
  SearchContentQuerySchema,
  PackagesQuerySchema,
  TaskQuerySchema,
  UpdateContentInputSchema,
  UpdateContentPermissionInputSchema,
  UpdateEnvironmentInputSchema,
  UpdateTagInputSchema,
  UpdateUserInputSchema,
  VanityInputSchema,
} from '@envdesk/domain';
import { aCreateEnvironmentInput } from '@envdesk/domain/testing';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as z from 'zod/mini';
import type { Dialect } from '../db/database.js';
import type { RouteSpec } from '../http/routes.js';
import { bundleArchive, cookbookManifest } from './bundles.js';
import { type DeriveOptions, derive, encodedBody, hostileValue, mutated, pathParameter, queryString } from './request-arbitraries.js';
import { tarGz } from './tar.js';
import { describeOnDialect } from './test-database.js';
import { type TestServer, type TestUser, startTestServer } from './test-server.js';
import { writeMark } from './write-mark.js';

/**
 * Every API route, fed requests derived from its schema and mutated (issue 9 § 3): on both
 * databases no answer is a 5xx, every refusal is Connect's JSON, and a refused request changes
 * nothing in the database. Each route runs under a fixed seed (the same cases on every run) and
 * one random seed; fast-check prints the seed and the shrunk request of a failure, and
 * ENVDESK_FUZZ_SEED=<seed> runs that seed again.
 */
const FIXED_SEED = 20_261_129;
const RANDOM_SEED = Number(process.env.ENVDESK_FUZZ_SEED) || Math.floor(Math.random() * 2 ** 31);
/** Cases per route and seed; CI's default keeps each database's suite near a minute. */
const RUNS = Number(process.env.ENVDESK_FUZZ_RUNS) || 25;

/** What each route reads from its body and query string; routes not listed get arbitrary JSON and queries (and must ignore them). */
const inputs: Record<string, { body?: z.ZodMiniType; query?: z.ZodMiniType }> = {
  'POST /v1/auth/login': { body: LoginInputSchema },
  'POST /v1/user/keys': { body: CreateApiKeyInputSchema },
  'GET /v1/users': { query: ListUsersQuerySchema },
  'POST /v1/users': { body: CreateUserInputSchema },
  'PUT /v1/users/:guid': { body: UpdateUserInputSchema },
  'POST /v1/users/:guid/lock': { body: LockUserInputSchema },
  'GET /v1/groups': { query: ListGroupsQuerySchema },
  'GET /v1/events': { query: EventsQuerySchema },
  'POST /v1/groups': { body: CreateGroupInputSchema },
  'GET /v1/groups/:guid/members': { query: ListGroupsQuerySchema },
  'POST /v1/groups/:guid/members': { body: AddGroupMemberInputSchema },
  'GET /v1/audit_logs': { query: AuditLogsQuerySchema },
  'GET /v1/search/auditlogs': { query: AuditSearchQuerySchema },
  'POST /v1/environments': { body: CreateEnvironmentInputSchema },
  'PUT /v1/environments/:guid': { body: UpdateEnvironmentInputSchema },
  'POST /v1/environments/:guid/permissions': { body: CreateEnvironmentPermissionInputSchema },
  // Restores read only their path (and If-Match): whatever body or query comes is ignored.
  'GET /v1/environments/summary': {},
  'GET /v1/environments/deleted': {},
  'POST /v1/environments/deleted/:guid/restore': {},
  'GET /v1/environments/:guid/history': { query: EnvironmentHistoryQuerySchema },
  'POST /v1/environments/:guid/history/:id/restore': {},
  'GET /v1/content': { query: ListContentQuerySchema },
  'GET /applications': { query: LegacyApplicationsQuerySchema },
  'POST /v1/content': { body: CreateContentInputSchema },
  'PATCH /v1/content/:guid': { body: UpdateContentInputSchema },
  'POST /v1/content/:guid/deploy': { body: DeployInputSchema },
  'PATCH /v1/content/:guid/environment': { body: EnvironmentVariablesInputSchema },
  'PUT /v1/content/:guid/environment': { body: EnvironmentVariablesInputSchema },
  'POST /v1/content/:guid/permissions': { body: CreateContentPermissionInputSchema },
  'PUT /v1/content/:guid/permissions/:permission': { body: UpdateContentPermissionInputSchema },
  'GET /v1/tasks/:id': { query: TaskQuerySchema },
  'GET /v1/tags': { query: ListTagsQuerySchema },
  'POST /v1/tags': { body: CreateTagInputSchema },
  'PATCH /v1/tags/:id': { body: UpdateTagInputSchema },
  'POST /v1/content/:guid/tags': { body: ContentTagInputSchema },
  'PUT /v1/content/:guid/vanity': { body: VanityInputSchema },
  'PUT /v1/content/:guid/repository': { body: PutContentRepositoryInputSchema },
  'PATCH /v1/content/:guid/repository': { body: PatchContentRepositoryInputSchema },
  'GET /v1/search/content': { query: SearchContentQuerySchema },
  'DELETE /v1/system/caches/runtime': { body: DeleteRuntimeCacheInputSchema },
  'GET /v1/packages': { query: PackagesQuerySchema },
  'GET /v1/content/:guid/packages': { query: ContentPackagesQuerySchema },
  // The manifest as a bundle carries it, so that selection runs on most cases rather than refusing the shape.
  'POST /v1/environments/inspect': { body: InspectImageInputSchema },
  'POST /v1/environments/export': { body: ExportEnvironmentsInputSchema },
  'POST /v1/environments/import/plan': { body: ImportDocumentInputSchema },
  'POST /v1/environments/import': { body: ImportDocumentInputSchema },
  'POST /v1/environments/select': { body: z.extend(ExplainSelectionInputSchema, { manifest: z.optional(ManifestSchema) }) },
};

/** The bundle upload reads bytes, not JSON: small archives, good and broken, raw or in multipart (kept small: it is the slowest route). */
const BUNDLE_UPLOAD = 'POST /v1/content/:guid/bundles';
const bundleBody = fc
  .tuple(
    fc.constantFrom('archive', 'cut archive', 'random bytes', 'gzip of junk', 'hostile manifest', 'empty'),
    fc.constantFrom('', 'application/gzip', 'application/x-tar', 'application/json', 'multipart/form-data; boundary=fuzz', 'multipart/form-data'),
    fc.uint8Array({ maxLength: 512 }),
    hostileValue,
  )
  .map(([kind, type, random, bad]) => {
    const archive =
      kind === 'archive'
        ? bundleArchive()
        : kind === 'cut archive'
          ? bundleArchive().subarray(0, 100 + random.length)
          : kind === 'random bytes'
            ? Buffer.from(random)
            : kind === 'gzip of junk'
              ? tarGz([{ path: './junk', content: Buffer.from(random) }]).subarray(0, 10 + random.length)
              : kind === 'hostile manifest'
                ? bundleArchive(cookbookManifest({ metadata: bad, python: bad }))
                : Buffer.alloc(0);
    const bytes = type.startsWith('multipart/form-data; boundary=fuzz')
      ? Buffer.concat([
          Buffer.from('--fuzz\r\nContent-Disposition: form-data; name="archive"; filename="bundle.tar.gz"\r\n\r\n'),
          archive,
          Buffer.from('\r\n--fuzz--\r\n'),
        ])
      : archive;
    return { bytes, headers: type ? { 'content-type': type } : ({} as Record<string, string>), label: `${kind} as ${type || 'no type'}` };
  });

type Caller = 'administrator' | 'publisher' | 'viewer' | 'anonymous' | 'invalid key' | 'session' | 'session without CSRF token' | 'unreadable cookie';
const callers: Caller[] = ['administrator', 'publisher', 'viewer', 'anonymous', 'invalid key', 'session', 'session without CSRF token', 'unreadable cookie'];
const unreadableCookies = ['envdesk_session=%', 'envdesk_session=%00', 'envdesk_session=%E0%A4%A', `envdesk_session=${'a'.repeat(4_000)}`, 'envdesk_session', '=;;=;', 'envdesk_session="x"; envdesk_session=%zz'];

/** Header values a client can send (visible ASCII), some of them odd. */
const headerText = fc.oneof(
  fc.constantFrom('*', '"x"', 'W/"2026-01-01T00:00:00Z"', ',,,', '"', ''),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 40 }),
);

interface FuzzRequest {
  readonly path: string;
  readonly query: string;
  readonly caller: Caller;
  readonly cookie: string;
  readonly ifMatch: string | null;
  readonly csrf: string | null;
  readonly body: { bytes: Buffer | null; headers: Record<string, string>; label: string };
}

/**
 * Cases this suite does not send, each with the reason and where its fix belongs. They are counted
 * and printed with the figures, never dropped silently.
 */
const exclusions: ReadonlyArray<{ readonly reason: string; readonly applies: (route: string, request: FuzzRequest, dialect: Dialect) => boolean }> = [
  {
    // Its answers to administrators' valid input are tested against a local registry in inspection/inspect-router.test.ts.
    reason: "an administrator's valid inspect request would read the registry it names, on the internet",
    applies: (route, request) => route === 'POST /v1/environments/inspect' && (request.caller === 'administrator' || request.caller === 'session') && mightInspect(request.body.bytes),
  },
];

/** Whether a body, read as the server might decode it, is an inspect request it would accept. */
function mightInspect(bytes: Buffer | null): boolean {
  if (bytes === null) return false;
  const decoders = [(raw: Buffer) => raw, gunzipSync, brotliDecompressSync, inflateSync];
  return decoders.some((decode) => {
    try {
      return InspectImageInputSchema.safeParse(JSON.parse(decode(bytes).toString('utf8'))).success;
    } catch {
      return false;
    }
  });
}

interface Tally {
  routes: number;
  cases: number;
  excluded: Record<string, number>;
  byClass: Record<string, number>;
  fiveHundreds: number;
  changedOnRejection: number;
}

/** Every route under hostile requests on one database; http/fuzz-sqlite.test.ts and http/fuzz-postgres.test.ts run it. */
export function fuzzEveryRoute(dialect: Dialect): void {
describeOnDialect(dialect, 'every API route under hostile requests on %s', (dialect) => {
  let server: TestServer;
  let publisher: TestUser;
  let viewer: TestUser;
  /** Each caller's API key; a fuzzed DELETE /v1/user/keys/:id may revoke one, and it is then replaced. */
  const keys: Partial<Record<Caller, string>> = { 'invalid key': 'not-a-key' };
  let session: { cookie: string; csrf: string };
  let tables: string[];
  let lastDump = '';
  const tally: Tally = { routes: 0, cases: 0, excluded: {}, byClass: {}, fiveHundreds: 0, changedOnRejection: 0 };

  beforeAll(async () => {
    // Refused sign-ins are throttled (and recorded): limits high enough that the suite's own
    // sign-ins, which open the sessions it fuzzes with, are never the ones refused.
    server = await startTestServer({ dialect, signInLimits: { windowMs: 60_000, maxFailuresPerUser: 1_000_000, maxFailuresPerAddress: 1_000_000 } });
    publisher = await server.addUser('publisher');
    viewer = await server.addUser('viewer');
    session = { cookie: 'envdesk_session=none', csrf: '' };
    await signIn();
    expect(session.csrf).not.toBe('');
    Object.assign(keys, { administrator: server.admin.key, publisher: publisher.key, viewer: viewer.key });
    // Left out: `sign_in_failures`, where a refused sign-in is recorded on purpose (the throttle counts it).
    tables = (await server.database.connection.db.introspection.getTables())
      .map((table) => table.name)
      .filter((name) => name !== 'sign_in_failures')
      .sort();
  });

  afterAll(async () => {
    const { routes, cases, excluded, byClass, fiveHundreds, changedOnRejection } = tally;
    console.log(
      `fuzz on ${dialect}: ${routes} routes, ${cases} requests (${RUNS} per route and seed, seeds ${FIXED_SEED} and ${RANDOM_SEED}; ` +
        `the bundle upload ${Math.ceil(RUNS / 2)}); answers ${JSON.stringify(byClass)}; 5xx: ${fiveHundreds}; ` +
        `database changes on a refused request: ${changedOnRejection}; cases not sent: ${JSON.stringify(excluded)}`,
    );
    await server?.close();
  });

  /**
   * Every table, rows in a stable order. One column is left out: an API key's `last_used_time`,
   * which authentication writes (at most once a minute) whatever the request's answer, as Connect does.
   */
  async function dump(): Promise<string> {
    const db = server.database.connection.db;
    const contents = await Promise.all(
      tables.map(async (table) => {
        const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
        const kept = rows.map((row) => JSON.stringify(table === 'api_keys' ? { ...row, last_used_time: null } : row));
        return [table, kept.sort()];
      }),
    );
    return JSON.stringify(contents);
  }

  /**
   * The database as it is now. Dumping every table after every request made this the longest suite
   * of all; when the mark has not moved since the last dump, nothing was written and that dump holds.
   */
  let lastMark = '';
  async function current(): Promise<string> {
    const mark = await writeMark(server.database.connection);
    if (mark === lastMark && lastDump !== '') return lastDump;
    const contents = await dump();
    // Read after the dump as well: a write that lands during it must not leave a stale dump trusted.
    const after = await writeMark(server.database.connection);
    lastMark = after === mark ? mark : '';
    return contents;
  }

  async function signIn(): Promise<void> {
    const admin = server.admin;
    const response = await server.request('POST', '/__api__/v1/auth/login', {
      as: null,
      headers: { origin: server.url },
      body: { username: admin.username, password: admin.password },
    });
    const cookie = response.headers.get('set-cookie')?.split(';')[0];
    if (response.status !== 200 || !cookie) return;
    const csrf = (await server.request('GET', '/__api__/v1/auth/csrf', { as: null, headers: { cookie } })).body.token as string;
    session = { cookie, csrf };
  }

  /** Gives each caller a working key and session again, should the previous route have revoked one. */
  async function renewCredentials(): Promise<void> {
    if ((await server.request('GET', '/__api__/v1/user', { as: null, headers: { cookie: session.cookie } })).status !== 200) await signIn();
    for (const [caller, user] of [['administrator', server.admin], ['publisher', publisher], ['viewer', viewer]] as const) {
      if ((await server.request('GET', '/__api__/v1/user', { key: keys[caller]! })).status === 200) continue;
      const record = (await server.store.users.findByGuid(user.guid))!;
      keys[caller] = (await server.app.services.auth.createKey(record, 'fuzz')).key;
    }
  }

  /** Records for the route's path parameters, made anew for each route so that one route's DELETE does not starve the next. */
  async function fixtures(): Promise<Record<string, string>> {
    await renewCredentials();
    const as = (user: TestUser) => ({ key: keys[user.role]! });
    const admin = { key: keys.administrator! };
    const environment = (await server.request('POST', '/__api__/v1/environments', { ...admin, body: aCreateEnvironmentInput({ name: `ghcr.io/fuzz/e${Date.now()}:1` }) })).body;
    const member = await server.addUser('publisher');
    const group = (await server.request('POST', '/__api__/v1/groups', { ...admin, body: { name: `fuzz-${member.username}` } })).body;
    await server.request('POST', `/__api__/v1/groups/${group.guid}/members`, { ...admin, body: { user_guid: member.guid } });
    const permission = (await server.request('POST', `/__api__/v1/environments/${environment.guid}/permissions`, { ...admin, body: { user_guid: publisher.guid } })).body;
    const [event] = (await server.request('GET', `/__api__/v1/environments/${environment.guid}/history`, admin)).body;
    const buried = (await server.request('POST', '/__api__/v1/environments', { ...admin, body: aCreateEnvironmentInput({ name: `ghcr.io/fuzz/d${Date.now()}:1` }) })).body;
    await server.request('DELETE', `/__api__/v1/environments/${buried.guid}`, admin);
    const content = (await server.request('POST', '/__api__/v1/content', { ...as(publisher), body: {} })).body;
    const contentPermission = (
      await server.request('POST', `/__api__/v1/content/${content.guid}/permissions`, { ...as(publisher), body: { principal_guid: group.guid, principal_type: 'group', role: 'viewer' } })
    ).body;
    const bundle = (
      await server.request('POST', `/__api__/v1/content/${content.guid}/bundles`, { ...as(publisher), rawBody: bundleArchive(), headers: { 'content-type': 'application/gzip' } })
    ).body;
    const task = (await server.request('POST', `/__api__/v1/content/${content.guid}/deploy`, { ...as(publisher), body: { bundle_id: bundle.id } })).body;
    await server.app.services.taskRunner.settle();
    const key = (await server.request('POST', '/__api__/v1/user/keys', { ...admin, body: { name: 'fuzz' } })).body;
    const category = (await server.request('POST', '/__api__/v1/tags', { ...admin, body: { name: `fuzz-${Date.now()}` } })).body;
    const tag = (await server.request('POST', '/__api__/v1/tags', { ...admin, body: { name: 'tag', parent_id: category.id } })).body;
    await server.request('POST', `/__api__/v1/content/${content.guid}/tags`, { ...admin, body: { tag_id: tag.id } });
    await server.request('PUT', `/__api__/v1/content/${content.guid}/vanity`, { ...admin, body: { path: `fuzz-${content.guid}` } });
    await server.request('PUT', `/__api__/v1/content/${content.guid}/repository`, { ...admin, body: { repository: 'https://example.org/fuzz.git' } });
    const [job] = (await server.request('GET', `/__api__/v1/content/${content.guid}/jobs`, admin)).body;
    const [variant] = (await server.request('GET', `/__api__/applications/${content.guid}/variants`, admin)).body;
    for (const [name, value] of Object.entries({ environment, event, buried, group, permission, content, contentPermission, bundle, task, key, tag, job, variant })) {
      if (!value || typeof value !== 'object') throw new Error(`could not make the ${name} fixture`);
    }
    return {
      environment: environment.guid,
      event: String(event.id),
      deleted: buried.guid,
      user: member.guid,
      group: group.guid,
      permission: permission.guid,
      content: content.guid,
      contentPermission: contentPermission.id,
      bundle: bundle.id,
      task: task.task_id,
      key: key.id,
      tag: tag.id,
      job: job.key,
      variant: String(variant.id),
    };
  }

  /** The real record each path parameter names, by the route's resource. */
  function validParameter(path: string, name: string, records: Record<string, string>): string {
    if (name === 'permission') return path.startsWith('/v1/content') ? records.contentPermission! : records.permission!;
    if (name === 'user') return records.user!;
    if (name === 'key') return records.job!;
    if (name === 'id' && path.startsWith('/applications')) return records.content!;
    if (name === 'id' && path.includes('/history/')) return records.event!;
    if (path.startsWith('/v1/environments/deleted/')) return records.deleted!;
    if (name === 'id') {
      if (path.startsWith('/v1/tags') || path.startsWith('/v1/content/:guid/tags')) return records.tag!;
      return path.startsWith('/v1/user/keys') ? records.key! : path.startsWith('/v1/tasks') ? records.task! : path.startsWith('/variants') ? records.variant! : records.bundle!;
    }
    if (path.startsWith('/applications')) return records.content!;
    const resource = path.split('/')[2];
    return resource === 'users' ? records.user! : resource === 'groups' ? records.group! : resource === 'content' ? records.content! : records.environment!;
  }

  function requestsFor(route: RouteSpec, records: Record<string, string>): fc.Arbitrary<FuzzRequest> {
    const key = `${route.method.toUpperCase()} ${route.path}`;
    const options: DeriveOptions = { guids: Object.values(records).filter((value) => /^[0-9a-f-]{36}$/.test(value)) };
    const names = [...route.path.matchAll(/:(\w+)/g)].map((match) => match[1]!);
    const parameters = fc.tuple(...names.map((name) => pathParameter(validParameter(route.path, name, records))));
    const schemas = inputs[key] ?? {};
    const body = key === BUNDLE_UPLOAD ? bundleBody : encodedBody(schemas.body ? mutated(derive(schemas.body, options)) : fc.jsonValue({ maxDepth: 2 }));
    return fc.record({
      path: parameters.map((values) => names.reduce((path, name, index) => path.replace(`:${name}`, values[index]!), route.path)),
      query: queryString(schemas.query, options),
      caller: fc.oneof({ weight: 6, arbitrary: fc.constant<Caller>('administrator') }, { weight: 4, arbitrary: fc.constantFrom(...callers) }),
      cookie: fc.constantFrom(...unreadableCookies),
      ifMatch: fc.option(headerText, { freq: 3 }),
      csrf: fc.option(headerText, { freq: 6 }),
      body,
    });
  }

  function headersOf(request: FuzzRequest): Record<string, string> {
    const headers: Record<string, string> = { ...request.body.headers };
    const key = keys[request.caller];
    if (key) headers.authorization = `Key ${key}`;
    if (request.caller === 'session') Object.assign(headers, { cookie: session.cookie, 'x-csrf-token': session.csrf });
    if (request.caller === 'session without CSRF token') headers.cookie = session.cookie;
    if (request.caller === 'unreadable cookie') headers.cookie = request.cookie;
    if (request.ifMatch !== null) headers['if-match'] = request.ifMatch;
    if (request.csrf !== null && request.caller !== 'session') headers['x-csrf-token'] = request.csrf;
    return headers;
  }

  it('derives inputs only for routes that exist, so a renamed route cannot lose its schema unnoticed', () => {
    const registered = new Set(server.app.routes.map((route) => `${route.method.toUpperCase()} ${route.path}`));
    expect([...Object.keys(inputs), BUNDLE_UPLOAD].filter((key) => !registered.has(key))).toEqual([]);
  });

  // The routes are the App's own list, read when the server exists; a failure names its route.
  it('answers every route without a 5xx, and changes nothing when it refuses', { timeout: 600_000 }, async () => {
    // Records are made anew for a route only when the routes before it wrote something: a route whose
    // every case read or was refused leaves them as they were made (and making them is most of the
    // suite's time on PostgreSQL).
    let records: Record<string, string> | null = null;
    let madeAt = '';
    for (const route of server.app.routes) {
      if (records === null || (await writeMark(server.database.connection)) !== madeAt) {
        records = await fixtures();
        await server.app.services.taskRunner.settle();
        madeAt = await writeMark(server.database.connection);
      }
      lastDump = await current();
      tally.routes += 1;
      const routeKey = `${route.method.toUpperCase()} ${route.path}`;
      const property = fc.asyncProperty(requestsFor(route, records), async (request) => {
        const exclusion = exclusions.find(({ applies }) => applies(routeKey, request, dialect));
        if (exclusion) {
          tally.excluded[exclusion.reason] = (tally.excluded[exclusion.reason] ?? 0) + 1;
          return;
        }
        const before = lastDump;
        const url = `${server.url}/__api__${request.path}${request.query ? `?${request.query}` : ''}`;
        const response = await fetch(url, {
          method: route.method.toUpperCase(),
          headers: headersOf(request),
          body: request.body.bytes && route.method !== 'get' ? new Uint8Array(request.body.bytes) : undefined,
        });
        // An accepted event stream never ends: its status and type are the answer, the stream is closed.
        const streaming = response.status === 200 && (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
        const text = streaming ? (await response.body?.cancel(), '') : await response.text();
        await server.app.services.taskRunner.settle();
        lastDump = await current();
        tally.cases += 1;
        const statusClass = `${Math.floor(response.status / 100)}xx`;
        tally.byClass[statusClass] = (tally.byClass[statusClass] ?? 0) + 1;
        if (response.status >= 500) tally.fiveHundreds += 1;
        const where = `${route.method.toUpperCase()} ${route.path} as ${request.caller}, body ${request.body.label}: ${response.status} ${text.slice(0, 300)}`;
        expect(response.status, where).toBeLessThan(500);
        if (response.status >= 400) {
          if (lastDump !== before) tally.changedOnRejection += 1;
          expect(lastDump === before, `${where}\nchanged the database`).toBe(true);
          const body = JSON.parse(text) as unknown;
          expect(body, where).toMatchObject({ code: expect.any(Number), error: expect.any(String) });
          expect(Object.keys(body as object).sort(), where).toEqual(['code', 'error', 'payload']);
        }
      });
      for (const seed of [FIXED_SEED, RANDOM_SEED]) {
        await fc.assert(property, { seed, numRuns: routeKey === BUNDLE_UPLOAD ? Math.ceil(RUNS / 2) : RUNS });
      }
    }
  });
});
}
