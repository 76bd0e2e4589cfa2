import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type DatabaseConnection, type Dialect, openDatabase } from '../db/database.js';

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL names a server (CI sets it). */
export const testDialects: Dialect[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

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
  const name = `envdesk_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await adminQuery(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const connection = await openDatabase({ databaseUrl: url.toString(), dataDir, migrateUpTo });
  return {
    connection,
    options: { databaseUrl: url.toString(), dataDir },
    async cleanup() {
      await connection.close();
      await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
