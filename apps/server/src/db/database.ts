import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { type CompiledQuery, Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Dialect } from './dialect.js';
import { migrateToLatest } from './migrations.js';
import type { Database } from './schema.js';
import type { ChangeMark } from './kept-reads.js';
import { cachingStatements } from './statement-cache.js';

export type { Dialect } from './dialect.js';

export interface DatabaseConnection {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** Where the data lives, for logs: a file path or the PostgreSQL URL without its password. */
  readonly location: string;
  /**
   * PostgreSQL only: one dedicated connection per process LISTENing on `channel`, opened on the
   * first call and opened again when it drops. `onReady` runs each time it is (re)connected, so
   * the caller can read what was announced while it was not listening.
   */
  readonly listen?: (channel: string, onPayload: (payload: string) => void, onReady: () => void) => void;
  /**
   * SQLite only: runs a read at once, synchronously, unless a transaction is open on the connection
   * (undefined then: the read waits its turn through Kysely). See `readRows`.
   */
  readonly readAtOnce?: <Row>(query: CompiledQuery<Row>) => Row[] | undefined;
  /** SQLite only: where the database stands now, for reads kept while it stays there (see `keptWhileUnchanged`). */
  readonly changeMark?: ChangeMark;
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
  // SQLite's own lower() folds A–Z alone, so a search that ignores case ("élodie" for "Élodie") would
  // find on PostgreSQL what it misses here. Searches lower both sides; this lower() folds every
  // letter as JavaScript does. No index or stored value is built with lower(), so none changes.
  sqlite.function('lower', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value));
  const statements = cachingStatements(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
  const readAtOnce = <Row>(query: CompiledQuery<Row>): Row[] | undefined =>
    sqlite.inTransaction ? undefined : (statements.prepare(query.sql).all(query.parameters) as Row[]);
  // This connection's writes move total_changes(), other connections' commits (the envdesk command,
  // a second process on the file) data_version: together they move whenever a read could differ.
  const markNow = sqlite.prepare("select total_changes() || ':' || data_version from pragma_data_version").pluck();
  const changeMark = () => (sqlite.inTransaction ? undefined : (markNow.get() as string));
  return { db, dialect: 'sqlite', location: file, readAtOnce, changeMark, close: () => db.destroy() };
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
  const listener = createListener(driver, url, location, logger);
  return {
    db,
    dialect: 'postgres',
    location,
    listen: listener.listen,
    close: async () => {
      await listener.close();
      await db.destroy();
    },
  };
}

const RECONNECT_MS = [100, 500, 1_000, 2_000, 5_000];

/**
 * The LISTEN connection: outside the pool, since a pooled client is handed to queries and would
 * stop listening; a lost one is replaced after a short, growing wait.
 */
function createListener(driver: typeof pg, url: string, location: string, logger?: Logger) {
  const channels = new Map<string, { onPayload: (payload: string) => void; onReady: () => void }>();
  let client: pg.Client | null = null;
  let connecting = false;
  let closed = false;
  let failures = 0;
  let retry: NodeJS.Timeout | null = null;

  function scheduleReconnect() {
    if (closed || retry) return;
    const wait = RECONNECT_MS[Math.min(failures, RECONNECT_MS.length - 1)]!;
    failures += 1;
    retry = setTimeout(() => {
      retry = null;
      void connect();
    }, wait);
    retry.unref();
  }

  async function connect(): Promise<void> {
    if (closed || connecting || client) return;
    connecting = true;
    const next = new driver.Client({ connectionString: url, keepAlive: true });
    let dropped = false;
    const drop = (error?: Error) => {
      if (dropped) return;
      dropped = true;
      if (client === next) client = null;
      if (!closed) logger?.warn({ err: error, database: location }, 'lost the PostgreSQL LISTEN connection; opening another');
      void next.end().catch(() => undefined);
      scheduleReconnect();
    };
    next.on('error', drop);
    next.on('end', () => drop());
    next.on('notification', (message) => channels.get(message.channel)?.onPayload(message.payload ?? ''));
    try {
      await next.connect();
      for (const channel of channels.keys()) await next.query(`listen "${channel.replaceAll('"', '""')}"`);
      if (closed) {
        await next.end();
        return;
      }
      client = next;
      failures = 0;
      for (const { onReady } of channels.values()) onReady();
    } catch (error) {
      drop(error as Error);
    } finally {
      connecting = false;
    }
  }

  return {
    listen(channel: string, onPayload: (payload: string) => void, onReady: () => void): void {
      channels.set(channel, { onPayload, onReady });
      if (client) {
        void client.query(`listen "${channel.replaceAll('"', '""')}"`).then(onReady, () => undefined);
      } else void connect();
    },
    async close(): Promise<void> {
      closed = true;
      if (retry) clearTimeout(retry);
      const current = client;
      client = null;
      await current?.end().catch(() => undefined);
    },
  };
}
