import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatPath } from '@envdesk/domain';
import { sql } from 'kysely';
import * as z from 'zod/mini';
import { SECRET_KEY_FILE } from '../content/secret-key.js';
import { copyToPostgres, type CopyProgress } from '../db/copy/copy-to-postgres.js';
import { processesHolding } from '../db/copy/database-holders.js';
import { openDatabase, redactUrl } from '../db/database.js';
import { readSettings } from '../settings.js';

type Output = (text: string) => void;
type Env = Record<string, string | undefined>;

export const DB_USAGE = `Usage: envdesk db <command>

  migrate --from DATA_FOLDER --to postgres://… [--replace]
                       copy everything in the SQLite database of DATA_FOLDER into an empty PostgreSQL
                       database (its schema is created first), in one transaction, and check every
                       table's rows on both sides; --replace empties a target that holds data
  check                the configured database's schema version and the rows in each table
`;

const PostgresUrlSchema = z.string().check(
  z.refine((text) => {
    try {
      return ['postgres:', 'postgresql:'].includes(new URL(text).protocol);
    } catch {
      return false;
    }
  }, 'must be a PostgreSQL URL (postgres://user:password@host:5432/database)'),
);

const MigrateArgumentsSchema = z.object({
  from: z.string().check(z.minLength(1, 'must name the data folder of the SQLite database')),
  to: PostgresUrlSchema,
  replace: z.boolean(),
});

/** `--from`/`--to` as given, or the first thing wrong with them. */
export function parseMigrateArguments(args: readonly string[]): z.infer<typeof MigrateArgumentsSchema> | { problem: string } {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: [...args], options: { from: { type: 'string' }, to: { type: 'string' }, replace: { type: 'boolean', default: false } }, strict: true }).values;
  } catch (error) {
    return { problem: (error as Error).message };
  }
  const parsed = MigrateArgumentsSchema.safeParse(values);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  return { problem: `--${formatPath(issue.path)} ${values[String(issue.path[0])] === undefined ? 'is required' : issue.message}` };
}

function progressBar(errOut: Output): (progress: CopyProgress) => void {
  let last = -1;
  return ({ table, copied, total, allCopied, allTotal }) => {
    const percent = allTotal === 0 ? 100 : Math.floor((allCopied / allTotal) * 100);
    if (percent === last && copied !== total) return;
    last = percent;
    const filled = Math.round(percent / 5);
    errOut(`\r[${'#'.repeat(filled)}${'.'.repeat(20 - filled)}] ${String(percent).padStart(3)}%  ${table} ${copied}/${total}`.padEnd(72));
  };
}

async function migrate(args: readonly string[], out: Output, errOut: Output): Promise<number> {
  const parsed = parseMigrateArguments(args);
  if ('problem' in parsed) {
    errOut(`envdesk: ${parsed.problem}\n\n${DB_USAGE}`);
    return 2;
  }
  const file = path.join(parsed.from, 'envdesk.db');
  if (!existsSync(file)) {
    errOut(`envdesk: ${parsed.from} holds no envdesk database (${file} does not exist)\n`);
    return 1;
  }
  const holders = await processesHolding(file);
  if (holders === null) {
    errOut(`envdesk: cannot tell on this system whether a server still uses ${file}: stop every envdesk using it before going on\n`);
  } else if (holders.length > 0) {
    errOut(`envdesk: ${file} is open in process ${holders.join(', ')}: stop envdesk first, so that nothing written after the copy is lost\n`);
    return 1;
  }
  const started = performance.now();
  // Both schemas brought to this version's migrations: the copy maps table to table.
  await (await openDatabase({ dataDir: parsed.from })).close();
  await (await openDatabase({ dataDir: parsed.from, databaseUrl: parsed.to })).close();
  const [{ default: SQLite }, { default: pg }] = await Promise.all([import('better-sqlite3'), import('pg')]);
  const source = new SQLite(file, { readonly: true, fileMustExist: true });
  const target = new pg.Client({ connectionString: parsed.to });
  await target.connect();
  try {
    const reports = await copyToPostgres({ source, target, replace: parsed.replace, onProgress: progressBar(errOut) });
    errOut('\n');
    const rows = reports.reduce((sum, report) => sum + report.rows, 0);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const peakMb = (process.resourceUsage().maxRSS / 1024).toFixed(0);
    out(`Copied ${rows} rows in ${reports.length} tables to ${redactUrl(parsed.to)} in ${seconds} s (peak memory ${peakMb} MB); every table's rows and checksum match.\n`);
    for (const report of reports.filter((entry) => entry.rows > 0)) out(`  ${report.table.padEnd(32)} ${String(report.rows).padStart(9)}  ${report.checksum}\n`);
    const keyFile = path.join(parsed.from, SECRET_KEY_FILE);
    out(`\nNext: start envdesk with DATABASE_URL=${redactUrl(parsed.to)}.\n`);
    if (existsSync(keyFile)) {
      out(`Content environment variables are sealed with the key in ${keyFile}: keep ENVDESK_DATA_DIR pointing at ${parsed.from}, or set ENVDESK_SECRET_KEY to that file's contents, or they cannot be read.\n`);
    }
    out('Sessions were copied too; API keys, GUIDs and permissions are unchanged.\n');
    return 0;
  } finally {
    source.close();
    await target.end();
  }
}

async function check(out: Output, env: Env): Promise<number> {
  const connection = await openDatabase(readSettings(env));
  try {
    const { db } = connection;
    const migration = await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(db);
    out(`${connection.dialect} database at ${connection.location}\nschema version: ${migration.rows[0]?.name ?? 'none'}\n`);
    const tables = (await db.introspection.getTables()).map((table) => table.name).filter((name) => !name.startsWith('kysely')).sort();
    for (const table of tables) {
      const counted = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
      out(`  ${table.padEnd(32)} ${String(Number(counted.rows[0]?.n ?? 0)).padStart(9)}\n`);
    }
    return 0;
  } finally {
    await connection.close();
  }
}

/** `envdesk db …`; answers the exit code. */
export async function dbCommand(args: readonly string[], out: Output, errOut: Output, env: Env): Promise<number> {
  const [command, ...rest] = args;
  if (command === 'migrate') return migrate(rest, out, errOut);
  if (command === 'check' && rest.length === 0) return check(out, env);
  errOut(DB_USAGE);
  return 2;
}
