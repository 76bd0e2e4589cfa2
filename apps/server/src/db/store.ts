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

function storeOver(db: Kysely<Database>, dialect: Dialect, inTransaction: boolean): Store {
  const store: Store = {
    dialect,
    environments: createEnvironmentsStore(db, dialect),
    users: createUsersStore(db),
    groups: createGroupsStore(db),
    credentials: createCredentialsStore(db),
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
    audit: createAuditStore(db),
    transaction: (work) => (inTransaction ? work(store) : runTransaction(db, (trx) => work(storeOver(trx, dialect, true)))),
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

export function createStore(connection: Pick<DatabaseConnection, 'db' | 'dialect'>): Store {
  return storeOver(connection.db, connection.dialect, false);
}
