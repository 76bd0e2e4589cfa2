import { readFile } from 'node:fs/promises';
import { convertLegacyDefinitions, environmentChange, readEnvironmentsFile } from '@envdesk/domain';
import type { Logger } from 'pino';
import { type Clock, newGuid, timestamp } from '../clock.js';
import type { Store } from '../db/store.js';
import { SyncFailure } from '../sync/file-sync.js';
import { parseDocument } from '../sync/environments-file-reader.js';

/** Reads a Launcher.ClusterDefinitions file into declarative entries, or says what is wrong with it. */
export async function readLegacyFile(path: string) {
  const text = await readFile(path, 'utf8').catch((error: Error) => {
    throw new SyncFailure(`cannot read ${path}: ${error.message}`);
  });
  const parsed = parseDocument(text);
  if (!parsed.ok) throw new SyncFailure(`${path} is ${parsed.message}`);
  const converted = convertLegacyDefinitions(parsed.document);
  if (!converted.ok) throw new SyncFailure(`${path} is not a cluster definitions file`, converted.error);
  const entries = readEnvironmentsFile(converted.value);
  if (!entries.ok) throw new SyncFailure(`${path} has invalid images`, entries.error);
  return { raw: converted.value, entries: entries.value };
}

/**
 * The deprecated bootstrap (seed: "Bootstrapping execution environments"): applied only when no
 * environment exists at all, silently ignored afterwards. The environments it makes are ordinary,
 * unmanaged ones.
 */
export async function applyLegacyBootstrap(store: Store, clock: Clock, logger: Logger, path: string): Promise<number> {
  const { entries } = await readLegacyFile(path);
  return store.transaction(async (tx) => {
    await tx.lock('environment-sync');
    if ((await tx.environments.count()) > 0) {
      logger.debug({ file: path }, 'environments exist: the cluster definitions file is ignored');
      return 0;
    }
    const now = timestamp(clock);
    const created = [];
    for (const entry of entries) {
      created.push(await tx.environments.insert(entry.guid ?? newGuid(), { ...entry.definition, managed_by: null }, now));
    }
    await tx.audit.append({ kind: 'system' }, created.map((environment) => environmentChange('add', null, environment)), now);
    logger.info({ file: path, created: entries.length }, 'created environments from the legacy cluster definitions');
    return entries.length;
  });
}
