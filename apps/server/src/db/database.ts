import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Dialect } from './dialect.js';
import { migrateToLatest } from './migrations.js';
import type { Database } from './schema.js';

export type { Dialect } from './dialect.js';

export interface DatabaseConnection {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** Where the data lives, for logs: a file path or the PostgreSQL URL without its password. */
  readonly location: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL when set; otherwise SQLite in `dataDir`. */
  readonly databaseUrl?: string | undefined;
  readonly dataDir: string;
  /** Where dropped PostgreSQL connections are reported; they are never fatal. */
  readonly logger?: Logger | undefined;
  /** Migrate only up to this migration (tests of a later migration); the latest when absent. */
  readonly migrateUpTo?: string | undefined;
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres (unparseable URL)';
  }
}

/** Opens the configured database and migrates it to the latest schema. */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseConnection> {
  // The PostgreSQL driver loads only when it is used: a SQLite server starts without it.
  const connection = options.databaseUrl ? openPostgres((await import('pg')).default, options.databaseUrl, options.logger) : openSqlite(options.dataDir);
  try {
    await migrateToLatest(connection.db as Kysely<unknown>, connection.dialect, options.migrateUpTo);
  } catch (error) {
    await connection.close();
    throw error;
  }
  return connection;
}

function openSqlite(dataDir: string): DatabaseConnection {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'envdesk.db');
  const sqlite = new SQLite(file);
  // WAL lets readers go on while a sync writes; busy_timeout makes a second process wait, not fail.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // 32 MB of page cache: a 10,000-entry sync's transaction fits, instead of spilling pages to the
  // WAL in the middle of it (each spill a synchronous write that holds the event loop).
  sqlite.pragma('cache_size = -32000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', location: file, close: () => db.destroy() };
}

/** How long a request waits for a connection (a free one in the pool, or a new one) before a 503. */
const CONNECT_TIMEOUT_MS = 10_000;

function openPostgres(driver: typeof pg, url: string, logger?: Logger): DatabaseConnection {
  const pool = new driver.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true });
  const location = redactUrl(url);
  // A connection the server ends (a restart, pg_terminate_backend, a network cut) emits 'error' on
  // its client. The pool listens only while the client is idle; an 'error' on a checked-out client
  // with no listener would end the whole process. So every client gets a listener for its whole
  // life: the query in flight fails on its own (a 503), and the pool drops the dead client when it
  // is released (it is no longer queryable) and opens a new one for the next request.
  pool.on('connect', (client) => {
    client.on('error', (error) => {
      logger?.warn({ err: error, database: location }, 'lost a PostgreSQL connection; the pool opens a new one for the next query');
    });
  });
  // The pool re-emits an idle client's error here; the client's own listener above has logged it.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', location, close: () => db.destroy() };
}
