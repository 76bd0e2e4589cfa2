import { readEnvironmentsFile, toFileEntries } from '@envdesk/domain';
import { asCurrent, planSync } from '@envdesk/domain';
import { readLegacyFile } from '../bootstrap/legacy-cluster-definitions.js';
import { openDatabase } from '../db/database.js';
import { createStore } from '../db/store.js';
import { readSettings } from '../settings.js';
import { systemClock } from '../clock.js';
import { tombstoneCutoff } from '../sync/apply-sync.js';
import { SyncFailure } from '../sync/file-sync.js';
import { parseDocument, readEnvironmentsFileText, toYaml } from '../sync/environments-file-reader.js';
import { DB_USAGE, dbCommand } from './db-command.js';
import { describePlan } from './describe-plan.js';
import { inspectCommand, parseInspectArguments } from './inspect-command.js';

const USAGE = `Usage: envdesk environments <command>

  plan FILE            show what syncing FILE would change in the configured database, without changing it
  export [--json]      print the current environments in the declarative file format (YAML, or JSON)
  convert-legacy FILE  print the declarative list for a Launcher.ClusterDefinitions file, or for the
                       Helm values of the older chart (its launcher.customRuntimeYaml)
  inspect IMAGE... [--platform P] [--no-path-lookups] [--format yaml|json|legacy]
                       find the R, Python and Quarto installations in images (a registry reference,
                       an OCI layout folder, oci:/oci-archive:/docker-archive: paths, or a docker
                       save .tar) and print them as the declarative list (yaml), the API's JSON, or
                       the legacy Launcher.ClusterDefinitions shape; progress goes to standard error

The database is the one envdesk uses: DATABASE_URL, else SQLite in ENVDESK_DATA_DIR (./data).
`;

type Output = (text: string) => void;

type Env = Record<string, string | undefined>;

async function withStore<T>(env: Env, work: (store: ReturnType<typeof createStore>) => Promise<T>): Promise<T> {
  const settings = readSettings(env);
  const connection = await openDatabase(settings);
  try {
    return await work(createStore(connection));
  } finally {
    await connection.close();
  }
}

async function plan(file: string, out: Output, env: Env): Promise<number> {
  const read = await readEnvironmentsFileText(file, readSettings(env).environmentsMaxBytes);
  if (read.kind !== 'read') throw new SyncFailure(read.kind === 'missing' ? `${file} does not exist` : read.message);
  const parsed = parseDocument(read.text);
  if (!parsed.ok) throw new SyncFailure(`${file} is ${parsed.message}`);
  const entries = readEnvironmentsFile(parsed.document);
  if (!entries.ok) throw new SyncFailure(`${file} has invalid entries`, entries.error);
  const settings = readSettings(env);
  const [current, tombstones] = await withStore(env, async (store) => [
    await store.environments.list(),
    await store.tombstones.list(tombstoneCutoff(systemClock, settings.tombstoneDays)),
  ] as const);
  const planned = planSync(entries.value, asCurrent(current), tombstones);
  if (!planned.ok) throw new SyncFailure(`${file} cannot be applied`, planned.error);
  out(describePlan(planned.value, entries.value, current));
  return 0;
}

/** Runs one command; returns the exit code. Exported for the tests, which run it in-process. */
export async function runCli(args: readonly string[], out: Output, errOut: Output, env: Env = process.env): Promise<number> {
  const [group, command, argument] = args;
  try {
    if (group === 'db') return await dbCommand(args.slice(1), out, errOut, env);
    if (group !== 'environments' || !command) {
      (group === undefined || group === 'help' || group === '--help' ? out : errOut)(`${USAGE}\n${DB_USAGE}`);
      return group === undefined || group === 'help' || group === '--help' ? 0 : 2;
    }
    switch (command) {
      case 'plan':
        if (!argument) break;
        return await plan(argument, out, env);
      case 'export': {
        const environments = await withStore(env, (store) => store.environments.list());
        const entries = toFileEntries(environments);
        out(argument === '--json' ? `${JSON.stringify(entries, null, 2)}\n` : toYaml({ executionEnvironments: entries }));
        return 0;
      }
      case 'inspect': {
        const parsed = parseInspectArguments(args.slice(2));
        if ('problem' in parsed) {
          errOut(`envdesk: ${parsed.problem}\n\n${USAGE}`);
          return 2;
        }
        return await inspectCommand(parsed, out, errOut, env);
      }
      case 'convert-legacy': {
        if (!argument) break;
        const { raw, field } = await readLegacyFile(argument);
        out(toYaml({ executionEnvironments: raw }));
        const images = raw.length === 1 ? '1 image' : `${raw.length} images`;
        errOut(`envdesk: converted ${images}${field ? ` from ${field}` : ''}; check the result with \`envdesk environments plan\`.\n`);
        return 0;
      }
    }
    errOut(USAGE);
    return 2;
  } catch (error) {
    errOut(`envdesk: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

const isMain = import.meta.url.endsWith('/dist/cli/envdesk.js');
if (isMain) {
  const code = await runCli(process.argv.slice(2), (t) => process.stdout.write(t), (t) => process.stderr.write(t));
  process.exitCode = code;
}
