import type SQLite from 'better-sqlite3';
import type pg from 'pg';
import { TableChecksum } from './row-checksum.js';

export interface CopyProgress {
  readonly table: string;
  readonly copied: number;
  readonly total: number;
  /** Rows of every table, copied and in all. */
  readonly allCopied: number;
  readonly allTotal: number;
}

export interface TableReport {
  readonly table: string;
  readonly rows: number;
  /** The same on both sides, or the copy is rolled back. */
  readonly checksum: string;
}

export interface CopyOptions {
  /** The SQLite database, open (read-only is enough), migrated to the same schema as the target. */
  readonly source: SQLite.Database;
  /** A connection to the PostgreSQL database, migrated, not in a transaction. */
  readonly target: pg.ClientBase;
  /** Empty the target first instead of refusing one that holds data. */
  readonly replace?: boolean;
  readonly onProgress?: (progress: CopyProgress) => void;
  /** Rows are sent in batches of at most this many bytes (and 500 rows): what bounds memory. */
  readonly batchBytes?: number;
}

/** Why a copy did not start: nothing was written. */
export class CopyRefused extends Error {
  override readonly name = 'CopyRefused';
}

const MAX_BATCH_ROWS = 500;
const DEFAULT_BATCH_BYTES = 8 * 1024 * 1024;
const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Tables the migrations fill themselves: a fresh database holds these rows, which are not data. */
const SEEDED: Record<string, string> = { revisions: 'select 1 from revisions where value <> 0' };

/**
 * Copies every table of an envdesk SQLite database into an empty PostgreSQL one, in one
 * transaction: rows keep their ids (and so every GUID, permission, key and bundle stays what it
 * was), sequences continue after them, and each table's row count and checksum are compared on
 * both sides before the commit. Any failure rolls back, leaving the target as empty as it was.
 */
export async function copyToPostgres({ source, target, replace = false, onProgress, batchBytes = DEFAULT_BATCH_BYTES }: CopyOptions): Promise<TableReport[]> {
  const tables = await tablesInCopyOrder(target);
  checkSameSchema(source, tables, await targetColumns(target));
  // One read transaction: the copy is of one moment of the source.
  source.exec('begin');
  try {
    await target.query('begin');
    try {
      await emptyTarget(target, tables.map((table) => table.name), replace);
      const totals = new Map(tables.map(({ name }) => [name, Number((source.prepare(`select count(*) as n from ${quote(name)}`).get() as { n: number }).n)]));
      const allTotal = [...totals.values()].reduce((sum, count) => sum + count, 0);
      let allCopied = 0;
      const reports: TableReport[] = [];
      for (const { name, columns } of tables) {
        const total = totals.get(name) ?? 0;
        const checksum = new TableChecksum();
        let batch: Array<Record<string, unknown>> = [];
        let bytes = 0;
        const flush = async () => {
          if (batch.length === 0) return;
          await insertRows(target, name, columns, batch);
          allCopied += batch.length;
          batch = [];
          bytes = 0;
          onProgress?.({ table: name, copied: checksum.rows, total, allCopied, allTotal });
        };
        for (const row of source.prepare(`select ${columns.map(quote).join(', ')} from ${quote(name)}`).iterate() as Iterable<Record<string, unknown>>) {
          checksum.add(row);
          batch.push(row);
          bytes += rowBytes(row);
          if (batch.length >= MAX_BATCH_ROWS || bytes >= batchBytes) await flush();
        }
        await flush();
        if (total === 0) onProgress?.({ table: name, copied: 0, total, allCopied, allTotal });
        reports.push({ table: name, rows: checksum.rows, checksum: checksum.value });
      }
      await continueSequences(target, tables);
      await verify(target, reports, await binaryTables(target));
      await target.query('commit');
      return reports;
    } catch (error) {
      await target.query('rollback').catch(() => undefined);
      throw error;
    }
  } finally {
    source.exec('rollback');
  }
}

interface Table {
  readonly name: string;
  readonly columns: readonly string[];
}

async function targetColumns(target: pg.ClientBase): Promise<Map<string, string[]>> {
  const { rows } = await target.query<{ table_name: string; column_name: string }>(
    `select table_name, column_name from information_schema.columns
     where table_schema = current_schema() and table_name not like 'kysely%' order by table_name, ordinal_position`,
  );
  const columns = new Map<string, string[]>();
  for (const row of rows) columns.set(row.table_name, [...(columns.get(row.table_name) ?? []), row.column_name]);
  return columns;
}

/** Tables with a binary column (bundle pieces of about 1 MiB each): read back a few rows at a time. */
async function binaryTables(target: pg.ClientBase): Promise<Set<string>> {
  const { rows } = await target.query<{ table_name: string }>(
    `select distinct table_name from information_schema.columns where table_schema = current_schema() and data_type = 'bytea'`,
  );
  return new Set(rows.map((row) => row.table_name));
}

/** Every table, parents before the tables that reference them (foreign keys are checked as rows arrive). */
async function tablesInCopyOrder(target: pg.ClientBase): Promise<Table[]> {
  const columns = await targetColumns(target);
  const { rows: references } = await target.query<{ child: string; parent: string }>(
    `select distinct tc.table_name as child, ccu.table_name as parent
     from information_schema.table_constraints tc
     join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
     where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = current_schema()`,
  );
  const parents = new Map<string, Set<string>>();
  for (const { child, parent } of references) if (child !== parent) parents.set(child, (parents.get(child) ?? new Set()).add(parent));
  const ordered: Table[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const place = (name: string) => {
    if (placed.has(name)) return;
    if (visiting.has(name)) throw new CopyRefused(`the tables' foreign keys form a cycle through ${name}`);
    visiting.add(name);
    for (const parent of parents.get(name) ?? []) if (columns.has(parent)) place(parent);
    visiting.delete(name);
    placed.add(name);
    ordered.push({ name, columns: columns.get(name)! });
  };
  for (const name of [...columns.keys()].sort()) place(name);
  return ordered;
}

/** The same tables with the same columns on both sides: both were migrated by the same envdesk. */
function checkSameSchema(source: SQLite.Database, tables: readonly Table[], targetTables: Map<string, string[]>): void {
  const sourceTables = (source.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely%'`).all() as Array<{ name: string }>).map(
    (row) => row.name,
  );
  const missing = tables.map((table) => table.name).filter((name) => !sourceTables.includes(name));
  const extra = sourceTables.filter((name) => !targetTables.has(name));
  if (missing.length > 0 || extra.length > 0) {
    throw new CopyRefused(`the source and target schemas differ (tables only in the target: ${missing.join(', ') || 'none'}; only in the source: ${extra.join(', ') || 'none'})`);
  }
  for (const table of tables) {
    const sourceColumns = (source.prepare(`select name from pragma_table_info(?)`).all(table.name) as Array<{ name: string }>).map((row) => row.name);
    const differs = sourceColumns.length !== table.columns.length || table.columns.some((column) => !sourceColumns.includes(column));
    if (differs) throw new CopyRefused(`the table ${table.name} has other columns in the source (${sourceColumns.join(', ')}) than in the target (${table.columns.join(', ')})`);
  }
}

async function emptyTarget(target: pg.ClientBase, tables: readonly string[], replace: boolean): Promise<void> {
  const holding: string[] = [];
  for (const table of tables) {
    const { rowCount } = await target.query(SEEDED[table] ?? `select 1 from ${quote(table)} limit 1`);
    if ((rowCount ?? 0) > 0) holding.push(table);
  }
  if (holding.length > 0 && !replace) {
    throw new CopyRefused(`the target database already holds data (in ${holding.join(', ')}); copy into an empty database, or pass --replace to delete what it holds`);
  }
  // Seeded rows go too: the source's own take their place.
  await target.query(`truncate ${tables.map(quote).join(', ')} restart identity cascade`);
}

function rowBytes(row: Record<string, unknown>): number {
  let bytes = 0;
  for (const value of Object.values(row)) {
    if (typeof value === 'string') bytes += value.length;
    else if (value instanceof Uint8Array) bytes += value.byteLength;
    else bytes += 8;
  }
  return bytes;
}

async function insertRows(target: pg.ClientBase, table: string, columns: readonly string[], rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
  const values: unknown[] = [];
  const tuples = rows.map((row) => `(${columns.map((column) => `$${values.push(row[column] ?? null)}`).join(', ')})`);
  try {
    await target.query(`insert into ${quote(table)} (${columns.map(quote).join(', ')}) values ${tuples.join(', ')}`, values);
  } catch (error) {
    throw new Error(`copying ${table} failed: ${(error as Error).message}`, { cause: error });
  }
}

/** Serial ids continue after the copied ones: the next row inserted must not reuse an id. */
async function continueSequences(target: pg.ClientBase, tables: readonly Table[]): Promise<void> {
  for (const { name, columns } of tables) {
    if (!columns.includes('id')) continue;
    const { rows } = await target.query<{ sequence: string | null }>(`select pg_get_serial_sequence($1, 'id') as sequence`, [quote(name)]);
    const sequence = rows[0]?.sequence;
    if (!sequence) continue;
    await target.query(`select setval($1, coalesce((select max(id) from ${quote(name)}), 0) + 1, false)`, [sequence]);
  }
}

/** Reads every table back in pages and compares its rows with what was sent. */
async function verify(target: pg.ClientBase, reports: readonly TableReport[], binary: ReadonlySet<string>): Promise<void> {
  for (const report of reports) {
    const pageRows = binary.has(report.table) ? 4 : MAX_BATCH_ROWS;
    const checksum = new TableChecksum();
    let after = '(0,0)';
    for (;;) {
      const { rows } = await target.query<Record<string, unknown> & { envdesk_ctid: string }>(
        `select ctid::text as envdesk_ctid, * from ${quote(report.table)} where ctid > $1::tid order by ctid limit ${pageRows}`,
        [after],
      );
      for (const { envdesk_ctid: _ctid, ...row } of rows) checksum.add(row);
      if (rows.length < pageRows) break;
      after = rows.at(-1)!.envdesk_ctid;
    }
    if (checksum.rows !== report.rows || checksum.value !== report.checksum) {
      throw new Error(
        `the copy of ${report.table} does not match its source (${checksum.rows} rows, checksum ${checksum.value}; the source has ${report.rows} rows, checksum ${report.checksum})`,
      );
    }
  }
}
