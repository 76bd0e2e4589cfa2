import type { Kysely } from 'kysely';
import { createCredentialsStore } from '../auth/credentials-store.js';
import { createEnvironmentsStore } from '../environments/environments-store.js';
import { createGroupsStore } from '../users/groups-store.js';
import { createUsersStore } from '../users/users-store.js';
import type { DatabaseConnection, Dialect } from './database.js';
import type { Database } from './schema.js';

/** The one store interface; the same queries run on SQLite and PostgreSQL. */
export interface Store {
  readonly dialect: Dialect;
  readonly environments: ReturnType<typeof createEnvironmentsStore>;
  readonly users: ReturnType<typeof createUsersStore>;
  readonly groups: ReturnType<typeof createGroupsStore>;
  readonly credentials: ReturnType<typeof createCredentialsStore>;
  /** Runs `work` in one transaction: everything it writes lands, or nothing does. Nested calls join it. */
  transaction<T>(work: (store: Store) => Promise<T>): Promise<T>;
}

function storeOver(db: Kysely<Database>, dialect: Dialect, inTransaction: boolean): Store {
  const store: Store = {
    dialect,
    environments: createEnvironmentsStore(db),
    users: createUsersStore(db),
    groups: createGroupsStore(db),
    credentials: createCredentialsStore(db),
    transaction: (work) =>
      inTransaction ? work(store) : db.transaction().execute((trx) => work(storeOver(trx, dialect, true))),
  };
  return store;
}

export function createStore(connection: Pick<DatabaseConnection, 'db' | 'dialect'>): Store {
  return storeOver(connection.db, connection.dialect, false);
}
