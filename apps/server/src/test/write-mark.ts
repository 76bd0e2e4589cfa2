import { sql } from 'kysely';
import type { DatabaseConnection } from '../db/database.js';

/**
 * A mark that moves whenever anything may have been written, so that a test comparing whole
 * tables before and after a request can skip the comparison when it has not moved. On SQLite: the
 * rows the connection has inserted, updated or deleted (the server shares the test's one
 * connection). On PostgreSQL: the next transaction id, which a transaction takes when it first
 * writes, whether it commits or not; writes to other databases of the cluster move it too, which
 * only costs a comparison that was not needed.
 */
export async function writeMark(connection: DatabaseConnection): Promise<string> {
  const query =
    connection.dialect === 'sqlite'
      ? sql<{ mark: string }>`select total_changes() as mark`
      : sql<{ mark: string }>`select pg_snapshot_xmax(pg_current_snapshot())::text as mark`;
  const { rows } = await query.execute(connection.db);
  return String(rows[0]?.mark);
}
