import { convertLegacyDefinitions, environmentChange, locateLegacyDefinitions, readEnvironmentsFile } from '@envdesk/domain';
import type { Logger } from 'pino';
import { type Clock, newGuid, timestamp } from '../clock.js';
import type { Store } from '../db/store.js';
import { SyncFailure } from '../sync/file-sync.js';
import { parseDocument, readEnvironmentsFileText } from '../sync/environments-file-reader.js';

/**
 * Reads a Launcher.ClusterDefinitions file, or a Helm values file of the older chart holding them
 * in `launcher.customRuntimeYaml`, into declarative entries, or says what is wrong with it. The file
 * is held to the environments file's size limit: it becomes one.
 */
export async function readLegacyFile(path: string, maxBytes?: number) {
  const read = await readEnvironmentsFileText(path, maxBytes);
  if (read.kind === 'missing') throw new SyncFailure(`cannot read ${path}: there is no such file`);
  if (read.kind === 'unreadable') throw new SyncFailure(read.message.replace('the environments file ', ''));
  const parsed = parseDocument(read.text);
  if (!parsed.ok) throw new SyncFailure(`${path} is ${parsed.message}`);
  const located = locateLegacyDefinitions(parsed.document);
  if (!located.ok) throw new SyncFailure(`${path} is not a cluster definitions file nor Helm values holding them`, located.error);
  const source = located.value;
  let definitions: unknown;
  if (source.kind === 'yaml-text') {
    const inner = parseDocument(source.text);
    if (!inner.ok) throw new SyncFailure(`${path}: ${source.field} is ${inner.message}`);
    definitions = inner.document;
  } else definitions = source.definitions;
  const converted = convertLegacyDefinitions(definitions, source.field);
  if (!converted.ok) throw new SyncFailure(`${path} is not a cluster definitions file`, converted.error);
  const entries = readEnvironmentsFile(converted.value);
  if (!entries.ok) throw new SyncFailure(`${path} has invalid images`, entries.error);
  return { raw: converted.value, entries: entries.value, field: source.field };
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
