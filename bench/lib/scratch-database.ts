import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A database of the bench's own on a PostgreSQL server, and the way to drop it. */
export interface ScratchDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

async function adminQuery(serverUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * A new, empty database on the server `serverUrl` reaches (its own database is used only to
 * connect): a bench creates tables and rows, and must never do so in a database someone uses.
 */
export async function createScratchDatabase(serverUrl: string, purpose: string): Promise<ScratchDatabase> {
  const name = `envdesk_bench_${purpose}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(serverUrl, `drop database if exists ${name} with (force)`) };
}
