import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { type DatabaseConnection, type Dialect, openDatabase } from '../db/database.js';
import { createScratchDatabase } from './scratch-database.js';

const testDialects: readonly Dialect[] = ['sqlite', 'postgres'];

/** Why a PostgreSQL case did not run here. CI sets the variable, so there every case runs. */
export const POSTGRES_SKIP_REASON = 'PostgreSQL: set TEST_DATABASE_URL';
const postgresMissing = !process.env.TEST_DATABASE_URL;

/** A dialect as a test name shows it: a run without PostgreSQL says what it left out, and why. */
function dialectLabel(dialect: Dialect): string {
  return dialect === 'postgres' && postgresMissing ? `postgres (skipped: ${POSTGRES_SKIP_REASON})` : dialect;
}

/**
 * One suite per dialect, `%s` in the name standing for it. The PostgreSQL suite is always
 * declared, so a run without a server reports it as skipped rather than leaving it out silently.
 */
export function describeEachDialect(name: string, body: (dialect: Dialect) => void): void {
  for (const dialect of testDialects) describeOnDialect(dialect, name, body);
}

/**
 * The suite for one dialect: a long suite declared in one file per dialect runs on two workers
 * at once, where `describeEachDialect` would run both halves one after the other.
 */
export function describeOnDialect(dialect: Dialect, name: string, body: (dialect: Dialect) => void): void {
  describe.skipIf(dialect === 'postgres' && postgresMissing)(name.replace('%s', dialectLabel(dialect)), () => body(dialect));
}

/** One test per dialect, `%s` in the name standing for it; skipped (saying why) like the suites. */
export function itEachDialect(name: string, body: (dialect: Dialect) => Promise<void>, timeoutMs?: number): void {
  for (const dialect of testDialects) {
    it.skipIf(dialect === 'postgres' && postgresMissing)(name.replace('%s', dialectLabel(dialect)), () => body(dialect), timeoutMs);
  }
}

/** A test that needs PostgreSQL itself (terminated backends, two replicas on one database). */
export function itOnPostgres(name: string, body: () => Promise<void>, timeoutMs?: number): void {
  it.skipIf(postgresMissing)(postgresMissing ? `${name} (skipped: ${POSTGRES_SKIP_REASON})` : name, body, timeoutMs);
}

export interface TestDatabase {
  readonly connection: DatabaseConnection;
  /** What a second process would pass to open the same database. */
  readonly options: { databaseUrl?: string; dataDir: string };
  cleanup(): Promise<void>;
}

/** A fresh, empty, migrated database: a temporary SQLite folder, or a new PostgreSQL database. */
/** `migrateUpTo`: the schema as that migration left it, to test the ones after it. */
export async function openTestDatabase(dialect: Dialect, { migrateUpTo }: { migrateUpTo?: string } = {}): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'envdesk-test-'));
  if (dialect === 'sqlite') {
    const connection = await openDatabase({ dataDir, migrateUpTo });
    return {
      connection,
      options: { dataDir },
      async cleanup() {
        await connection.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set');
  const database = await createScratchDatabase(serverUrl, 'envdesk_test');
  const connection = await openDatabase({ databaseUrl: database.url, dataDir, migrateUpTo });
  return {
    connection,
    options: { databaseUrl: database.url, dataDir },
    async cleanup() {
      await connection.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
