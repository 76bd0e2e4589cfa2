import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { LocalInstallations, UserRole } from '@envdesk/domain';
import { type Logger, pino } from 'pino';
import { type App, createApp, decideContinue } from '../app.js';
import { hashPassword } from '../auth/secrets.js';
import type { SignInLimits } from '../auth/sign-in-throttle.js';
import { type Clock, newGuid, systemClock, timestamp } from '../clock.js';
import { type Dialect, openDatabase } from '../db/database.js';
import { type Store, createStore } from '../db/store.js';
import type { TrustProxy } from '../http/trust-proxy.js';
import type { InspectionSettings } from '../inspection/inspect-service.js';
import { type FileSync, type FileSyncOptions, createFileSync } from '../sync/file-sync.js';
import { type TestDatabase, openTestDatabase } from './test-database.js';

export interface TestUser {
  readonly guid: string;
  readonly username: string;
  readonly password: string;
  readonly key: string;
  readonly role: UserRole;
}

export interface TestServer {
  readonly url: string;
  readonly store: Store;
  readonly app: App;
  readonly database: TestDatabase;
  readonly admin: TestUser;
  /** The declarative file's sync, when started with `environmentsFile` (polled by hand: `pollNow()`). */
  readonly fileSync: FileSync | null;
  /** Adds a user with a password and an API key, straight through the store. */
  addUser(role: UserRole, overrides?: { username?: string; locked?: boolean }): Promise<TestUser>;
  /** fetch against the server, JSON in and out, as a given user (or anonymous). */
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
  close(): Promise<void>;
}

export interface RequestOptions {
  readonly as?: TestUser | null;
  readonly key?: string;
  readonly body?: unknown;
  readonly rawBody?: string | Uint8Array;
  readonly headers?: Record<string, string>;
}

export interface TestResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed body, or undefined when it is empty. */
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
}

let userCounter = 0;

export interface TestServerOptions {
  readonly dialect?: Dialect;
  readonly clock?: Clock;
  /** Sync this declarative file; the server is started only after its first sync succeeds. */
  readonly environmentsFile?: string;
  /** Where the server logs (silent when absent). */
  readonly logger?: Logger;
  /** ENVDESK_TASK_STALE_MS for the task runner (30 s when absent). */
  readonly taskStaleMs?: number;
  /** ENVDESK_BUNDLE_MAX_BYTES (200 MiB when absent). */
  readonly bundleMaxBytes?: number;
  /** The file sync's timings; by default a poll that never fires (tests call pollNow()) and the production settle and grace. */
  readonly sync?: Partial<Pick<FileSyncOptions, 'pollMs' | 'watch' | 'settleMs' | 'removeGraceMs' | 'tombstoneDays' | 'maxBytes'>>;
  /** The failed sign-in throttle's limits (the production defaults when absent). */
  readonly signInLimits?: SignInLimits;
  /** ENVDESK_TRUST_PROXY (loopback when absent, so tests can send X-Forwarded-* headers). */
  readonly trustProxy?: TrustProxy;
  /** ENVDESK_LOCAL_PYTHON / _R / _QUARTO, parsed (no local execution when absent). */
  readonly localInstallations?: LocalInstallations;
  /** Image inspection's caps and registry access (the production defaults, no credentials, https only when absent). */
  readonly inspection?: InspectionSettings;
  /** The event streams' heartbeat interval (15 s when absent). */
  readonly eventsHeartbeatMs?: number;
  /** A second replica: its own connection (and LISTEN connection) to this server's database, which it leaves in place when closed. */
  readonly replicaOf?: TestServer;
}

/** Another connection to `database`, as a second process would open it; closing it leaves the database. */
async function replicaDatabase(database: TestDatabase): Promise<TestDatabase> {
  const connection = await openDatabase(database.options);
  return { connection, options: database.options, cleanup: () => connection.close() };
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const database = options.replicaOf ? await replicaDatabase(options.replicaOf.database) : await openTestDatabase(options.dialect ?? 'sqlite');
  const store = createStore(database.connection);
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? pino({ level: 'silent' });
  const environmentsFile = options.environmentsFile ?? null;
  // A long poll interval: tests call pollNow() so they never wait on a timer.
  const fileSync = environmentsFile
    ? createFileSync({ store, logger, clock, path: environmentsFile, pollMs: 3_600_000, ...options.sync })
    : null;
  if (fileSync) {
    await fileSync.start().catch(async (error: unknown) => {
      await database.cleanup();
      throw error;
    });
  }
  const app = createApp({ store, logger, clock, webDir: null, version: 'test', fileSync, environmentsFile, tombstoneDays: options.sync?.tombstoneDays, tasks: { staleMs: options.taskStaleMs }, signInLimits: options.signInLimits, trustProxy: options.trustProxy, bundleMaxBytes: options.bundleMaxBytes, localInstallations: options.localInstallations, inspection: options.inspection, secretKey: randomBytes(32), eventsHeartbeatMs: options.eventsHeartbeatMs });
  const server: Server = await new Promise((resolve) => {
    const listening = app.app.listen(0, '127.0.0.1', () => resolve(listening));
    decideContinue(listening, app.app);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function addUser(role: UserRole, overrides: { username?: string; locked?: boolean } = {}): Promise<TestUser> {
    const username = overrides.username ?? `${role}${++userCounter}`;
    const password = `pw-${username}-secret`;
    const record = await store.users.insert(
      newGuid(),
      { username, email: `${username}@example.org`, first_name: username, last_name: 'Test', user_role: role },
      await hashPassword(password),
      timestamp(clock),
    );
    const { key } = await app.services.auth.createKey(record, 'test');
    if (overrides.locked) await store.users.setLocked(record.user.guid, true);
    return { guid: record.user.guid, username, password, key, role };
  }

  const admin = options.replicaOf ? options.replicaOf.admin : await addUser('administrator', { username: 'admin' });

  async function request(method: string, path: string, opts: RequestOptions = {}): Promise<TestResponse> {
    const key = opts.key ?? (opts.as === null ? undefined : (opts.as ?? admin).key);
    const headers: Record<string, string> = { ...opts.headers };
    if (key) headers.authorization = `Key ${key}`;
    let body: string | Uint8Array | undefined = opts.rawBody;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${url}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, text, body: parsed };
  }

  return {
    url,
    store,
    app,
    database,
    admin,
    fileSync,
    addUser,
    request,
    async close() {
      await fileSync?.stop();
      app.services.events.close();
      app.services.taskRunner.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.cleanup();
    },
  };
}
