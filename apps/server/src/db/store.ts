import { type Kysely, sql } from 'kysely';
import { createAuditStore } from '../audit/audit-store.js';
import { createCredentialsStore } from '../auth/credentials-store.js';
import { createSignInFailuresStore } from '../auth/sign-in-failures-store.js';
import { createBundlesStore } from '../bundles/bundles-store.js';
import { createContentEnvironmentStore } from '../content/content-environment-store.js';
import { createContentPermissionsStore } from '../content/content-permissions-store.js';
import { createContentStore } from '../content/content-store.js';
import { createEnvironmentsStore } from '../environments/environments-store.js';
import { createRuntimeStore } from '../runtime/runtime-store.js';
import { createTombstonesStore } from '../sync/tombstones-store.js';
import { createRepositoryStore } from '../repository/repository-store.js';
import { createTagsStore } from '../tags/tags-store.js';
import { createTasksStore } from '../tasks/tasks-store.js';
import { createGroupsStore } from '../users/groups-store.js';
import { createUsersStore } from '../users/users-store.js';
import { createVanitiesStore } from '../vanities/vanities-store.js';
import type { DatabaseConnection, Dialect } from './database.js';
import type { ChangeMark } from './kept-reads.js';
import { type ReadRows, readRows } from './precompiled.js';
import type { Database } from './schema.js';

/** The one store interface; the same queries run on SQLite and PostgreSQL. */
export interface Store {
  readonly dialect: Dialect;
  readonly environments: ReturnType<typeof createEnvironmentsStore>;
  readonly users: ReturnType<typeof createUsersStore>;
  readonly groups: ReturnType<typeof createGroupsStore>;
  readonly credentials: ReturnType<typeof createCredentialsStore>;
  readonly content: ReturnType<typeof createContentStore>;
  readonly contentEnvironment: ReturnType<typeof createContentEnvironmentStore>;
  readonly contentPermissions: ReturnType<typeof createContentPermissionsStore>;
  readonly bundles: ReturnType<typeof createBundlesStore>;
  readonly tasks: ReturnType<typeof createTasksStore>;
  readonly tombstones: ReturnType<typeof createTombstonesStore>;
  readonly signInFailures: ReturnType<typeof createSignInFailuresStore>;
  readonly tags: ReturnType<typeof createTagsStore>;
  readonly vanities: ReturnType<typeof createVanitiesStore>;
  readonly repositories: ReturnType<typeof createRepositoryStore>;
  readonly runtime: ReturnType<typeof createRuntimeStore>;
  readonly audit: ReturnType<typeof createAuditStore>;
  /** Says which audit events were appended, once their transaction has committed (in any process on PostgreSQL). */
  readonly feed: EventFeed;
  /** Runs `work` in one transaction: everything it writes lands, or nothing does. Nested calls join it. */
  transaction<T>(work: (store: Store) => Promise<T>): Promise<T>;
  /**
   * Inside a transaction: waits until no other process holds the same lock, and holds it until the
   * transaction ends, so replicas doing the same work run one after the other.
   */
  lock(name: keyof typeof LOCK_KEYS): Promise<void>;
  /** Resolves once the database answers a trivial query: what readiness means. */
  ping(): Promise<void>;
}

/** PostgreSQL advisory lock keys (any fixed 64-bit numbers; they only need to differ). */
const LOCK_KEYS = { 'environment-sync': 7_331_001, tags: 7_331_002, vanities: 7_331_003 } as const;

/** Audit event ids as runs `[first, last]`: a sync appends thousands in a row. */
export type IdRanges = ReadonlyArray<readonly [number, number]>;

/**
 * `appended`: these events are committed. `catch-up`: the feed may have missed some (it has just
 * (re)connected to the database): read whatever is newer than what was seen.
 */
export type FeedSignal = { readonly kind: 'appended'; readonly ranges: IdRanges } | { readonly kind: 'catch-up' };

export interface EventFeed {
  subscribe(listener: (signal: FeedSignal) => void): () => void;
}

/** The NOTIFY channel; only ids travel on it, each process reads the events from the table. */
const EVENTS_CHANNEL = 'envdesk_events';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
const MAX_PAYLOAD = 7_900;

export function rangesOf(ids: readonly number[]): IdRanges {
  const sorted = [...ids].sort((a, b) => a - b);
  const ranges: Array<[number, number]> = [];
  for (const id of sorted) {
    const last = ranges.at(-1);
    if (last && id <= last[1] + 1) last[1] = Math.max(last[1], id);
    else ranges.push([id, id]);
  }
  return ranges;
}

function encodeRanges(ranges: IdRanges): string {
  const text = ranges.map(([first, last]) => (first === last ? `${first}` : `${first}-${last}`)).join(',');
  // Too many runs for one payload (interleaved writers): one run spanning them all; readers skip ids they have seen.
  return text.length <= MAX_PAYLOAD ? text : `${ranges[0]![0]}-${ranges.at(-1)![1]}`;
}

/** Anyone who may connect to the database may NOTIFY: a payload that is not ours is ignored. */
export function decodeRanges(payload: string): IdRanges {
  const ranges: Array<[number, number]> = [];
  for (const part of payload.split(',')) {
    const match = /^(\d{1,15})(?:-(\d{1,15}))?$/.exec(part);
    if (!match) return [];
    const first = Number(match[1]);
    const last = Number(match[2] ?? match[1]);
    if (last < first) return [];
    ranges.push([first, last]);
  }
  return ranges;
}

interface Feed extends EventFeed {
  /** Whether appends are announced through PostgreSQL's NOTIFY (every process hears them) or in this process only. */
  readonly notifies: boolean;
  emit(signal: FeedSignal): void;
}

function createFeed(connection: Pick<DatabaseConnection, 'dialect' | 'listen'>): Feed {
  const listeners = new Set<(signal: FeedSignal) => void>();
  let listening = false;
  const notifies = connection.dialect === 'postgres' && connection.listen !== undefined;
  const emit = (signal: FeedSignal) => {
    for (const listener of listeners) listener(signal);
  };
  return {
    notifies,
    emit,
    subscribe(listener) {
      listeners.add(listener);
      if (notifies && !listening) {
        listening = true;
        connection.listen!(
          EVENTS_CHANNEL,
          (payload) => {
            const ranges = decodeRanges(payload);
            if (ranges.length > 0) emit({ kind: 'appended', ranges });
          },
          () => emit({ kind: 'catch-up' }),
        );
      }
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

/** What a transaction runs once it has committed (null outside a transaction: at once). */
type AfterCommit = Array<() => void> | null;

function storeOver(db: Kysely<Database>, dialect: Dialect, feed: Feed, afterCommit: AfterCommit, read: ReadRows, changeMark?: ChangeMark): Store {
  const inTransaction = afterCommit !== null;
  /**
   * Announces appended events: on PostgreSQL a NOTIFY in the appending transaction, which the
   * database delivers to every listening process only if and when it commits; on SQLite (one
   * process) the announcement waits for the commit here.
   */
  async function announce(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    const ranges = rangesOf(ids);
    if (feed.notifies) {
      await sql`select pg_notify(${EVENTS_CHANNEL}, ${encodeRanges(ranges)})`.execute(db);
    } else if (afterCommit) {
      afterCommit.push(() => feed.emit({ kind: 'appended', ranges }));
    } else {
      feed.emit({ kind: 'appended', ranges });
    }
  }
  const store: Store = {
    dialect,
    environments: createEnvironmentsStore(db, dialect, read),
    users: createUsersStore(db),
    groups: createGroupsStore(db),
    credentials: createCredentialsStore(db, read, changeMark),
    content: createContentStore(db),
    contentEnvironment: createContentEnvironmentStore(db),
    contentPermissions: createContentPermissionsStore(db),
    bundles: createBundlesStore(db),
    tasks: createTasksStore(db),
    tombstones: createTombstonesStore(db),
    signInFailures: createSignInFailuresStore(db),
    tags: createTagsStore(db),
    vanities: createVanitiesStore(db),
    repositories: createRepositoryStore(db),
    runtime: createRuntimeStore(db),
    audit: createAuditStore(db, announce),
    feed,
    transaction: async (work) => {
      if (inTransaction) return work(store);
      const hooks: Array<() => void> = [];
      const result = await runTransaction(db, (trx) => work(storeOver(trx, dialect, feed, hooks, readRows(trx))));
      for (const hook of hooks) hook();
      return result;
    },
    async lock(name) {
      if (!inTransaction) throw new Error('lock() is only meaningful inside a transaction');
      if (dialect === 'postgres') {
        await sql`select pg_advisory_xact_lock(${LOCK_KEYS[name]})`.execute(db);
      } else {
        // SQLite has one writer at a time: a write as the first statement takes that lock now
        // (waiting up to busy_timeout) instead of failing later when the transaction upgrades.
        await sql`update revisions set value = value where name = 'environments'`.execute(db);
      }
    },
    async ping() {
      await sql`select 1`.execute(db);
    },
  };
  return store;
}

/**
 * Kysely's `transaction().execute()` rethrows the rollback's error when the rollback fails too,
 * hiding why the transaction failed: SQLite rolls back by itself on SQLITE_FULL, so the explicit
 * rollback then says "cannot rollback - no transaction is active", and a dead PostgreSQL connection
 * says "not queryable". The first error is the one that explains what happened (a full disk, a lost
 * connection), so it is the one thrown; the connection is released either way.
 */
async function runTransaction<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  const trx = await db.startTransaction().execute();
  let result: T;
  try {
    result = await work(trx);
    await trx.commit().execute();
  } catch (error) {
    await trx.rollback().execute().catch(() => undefined);
    throw error;
  }
  return result;
}

export function createStore(connection: Pick<DatabaseConnection, 'db' | 'dialect'> & Partial<Pick<DatabaseConnection, 'listen' | 'readAtOnce' | 'changeMark'>>): Store {
  return storeOver(connection.db, connection.dialect, createFeed(connection), null, readRows(connection.db, connection.readAtOnce), connection.changeMark);
}
