import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct query texts kept prepared; the app has a few hundred, and IN lists of varying length add more. */
const DEFAULT_CAPACITY = 1_000;

/**
 * The SQLite handle Kysely is given, keeping each query text's prepared statement for the next time
 * it runs. Kysely prepares every query afresh, and compiling the SQL cost more than running it for
 * the small reads each request makes (the API key, the caller's groups, the environments revision).
 * A statement is stateless between runs (parameters are bound per call) and SQLite re-prepares it
 * itself after a schema change. One that is still being iterated is never handed out twice: that
 * query gets a statement of its own.
 */
export function cachingStatements(sqlite: SQLite.Database, capacity = DEFAULT_CAPACITY): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    prepare(sql: string): SqliteStatement {
      const kept = statements.get(sql);
      if (kept && !kept.busy) {
        // Most recently used last, so the oldest is the first to go.
        statements.delete(sql);
        statements.set(sql, kept);
        return kept;
      }
      const statement = sqlite.prepare(sql);
      if (kept) return statement;
      statements.set(sql, statement);
      if (statements.size > capacity) statements.delete(statements.keys().next().value!);
      return statement;
    },
    close() {
      statements.clear();
      sqlite.close();
    },
  };
}
