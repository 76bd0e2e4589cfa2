import {
  DEFINITION_FIELDS,
  type Environment,
  type EnvironmentDefinition,
} from '../environments/environment-schemas.js';
import { type Result, err, ok } from '../errors.js';
import { type FileEntry, type FileProblem, entryLabel } from './environments-file.js';

type DefinitionField = (typeof DEFINITION_FIELDS)[number];

export type SyncAction =
  /** `guid` is null when the server should pick one. */
  | { readonly kind: 'create'; readonly entry: number; readonly guid: string | null; readonly definition: EnvironmentDefinition }
  | { readonly kind: 'update'; readonly entry: number; readonly guid: string; readonly changes: Partial<EnvironmentDefinition> }
  /** An unmanaged environment becomes file-managed, keeping its GUID, permissions and content references. */
  | { readonly kind: 'adopt'; readonly entry: number; readonly guid: string; readonly changes: Partial<EnvironmentDefinition> }
  | { readonly kind: 'delete'; readonly guid: string; readonly name: string }
  /** A removed file-managed environment comes back under its old GUID (and, applied, its old permissions). */
  | { readonly kind: 'restore'; readonly entry: number; readonly guid: string; readonly definition: EnvironmentDefinition; readonly removed_time: string };

/**
 * What a sync remembers of a file-managed environment it removed, so that the entry coming back —
 * after a file written half way, or an entry deleted by mistake — gets its identity back (issue 8 § 1).
 */
export interface Tombstone {
  readonly guid: string;
  readonly name: string;
  /** RFC 3339; among several tombstones of one image, the latest removal wins. */
  readonly removed_time: string;
  /**
   * Deleted by an administrator rather than removed by a sync (issue 13 § 3). Such a tombstone is
   * matched by GUID only: an entry naming that GUID asks for that environment back, but a new
   * entry of the same image is a new environment — handing it the deleted one's identity would
   * also hand its old grants back, and empty the Recently deleted list behind the administrator.
   */
  readonly hand_deleted?: boolean;
}

/**
 * An environment as the planner needs it: matched on guid and name, compared by fingerprint, and
 * read in full only when the fingerprints differ (at 10,000 entries almost none do).
 */
export interface CurrentEnvironment {
  readonly guid: string;
  readonly name: string;
  readonly managed_by: string | null;
  readonly fingerprint: string;
  full(): Environment;
}

const SEPARATOR = '\u0000';
const JSON_FIELDS = ['python', 'r', 'quarto', 'tensorflow', 'nodejs', 'volume_mounts'] as const;

/**
 * A text equal for equal definitions, built the way the store keeps them (structured fields as
 * JSON text), so the store can build it from its columns without parsing them.
 */
export function fingerprintOf(scalars: readonly unknown[], jsonTexts: readonly string[]): string {
  return [JSON.stringify(scalars), ...jsonTexts].join(SEPARATOR);
}

const fingerprints = new WeakMap<EnvironmentDefinition, string>();
export function definitionFingerprint(definition: EnvironmentDefinition): string {
  let fingerprint = fingerprints.get(definition);
  if (fingerprint === undefined) {
    fingerprint = fingerprintOf(
      [definition.title, definition.description, definition.matching, definition.supervisor],
      JSON_FIELDS.map((field) => JSON.stringify(definition[field])),
    );
    fingerprints.set(definition, fingerprint);
  }
  return fingerprint;
}

/** Full records as planner input (the CLI and tests; the sync reads fingerprints from the store). */
export const asCurrent = (environments: readonly Environment[]): CurrentEnvironment[] =>
  environments.map((environment) => ({
    guid: environment.guid,
    name: environment.name,
    managed_by: environment.managed_by,
    fingerprint: definitionFingerprint(environment),
    full: () => environment,
  }));

export interface SyncPlan {
  readonly actions: readonly SyncAction[];
  /** File-managed environments the file already describes exactly. */
  readonly unchanged: number;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The fields of `current` that `wanted` changes (name never: it is matched on, not changed). */
export function changedFields(current: Environment, wanted: EnvironmentDefinition): Partial<EnvironmentDefinition> {
  const changes: Partial<Record<DefinitionField, unknown>> = {};
  for (const field of DEFINITION_FIELDS) {
    if (field !== 'name' && !same(current[field], wanted[field])) changes[field] = wanted[field];
  }
  return changes as Partial<EnvironmentDefinition>;
}

function* duplicateProblems(entries: readonly FileEntry[]): Generator<void, FileProblem[]> {
  const problems: FileProblem[] = [];
  const byGuid = new Map<string, number>();
  const byName = new Map<string, number[]>();
  for (const [index, entry] of entries.entries()) {
    if (entry.guid) {
      const first = byGuid.get(entry.guid);
      if (first !== undefined) {
        problems.push({ entry: index, name: entry.definition.name, field: 'guid', message: `${entry.guid} is also the GUID of ${entryLabel(first)}` });
      } else byGuid.set(entry.guid, index);
    }
    const indexes = byName.get(entry.definition.name);
    if (indexes) indexes.push(index);
    else byName.set(entry.definition.name, [index]);
    yield;
  }
  // The seed: duplicate names in the file are rejected unless each such entry has its own GUID.
  for (const [name, indexes] of byName) {
    if (indexes.length < 2) continue;
    for (const index of indexes) {
      if (!entries[index]?.guid) {
        const others = indexes
          .filter((other) => other !== index)
          // Counted from one, as entryLabel counts.
          .map((other) => other + 1)
          .join(', ');
        problems.push({
          entry: index,
          name,
          field: 'name',
          message: `${name} is also the name of entry ${others}; entries that share a name each need a guid`,
        });
      }
    }
  }
  return problems;
}

/**
 * Plans a declarative sync (seed: "Environment matching and adoption"): what to create, update,
 * adopt, restore and delete so that the file-managed environments are exactly the file's entries,
 * or every problem that stops the sync. Unmanaged environments appear only when adopted.
 * An entry that no environment matches is restored from a tombstone of its image (or of its GUID)
 * when there is one, rather than created anew.
 */
export function planSync(
  entries: readonly FileEntry[],
  current: readonly CurrentEnvironment[],
  tombstones: readonly Tombstone[] = [],
): Result<SyncPlan, FileProblem[]> {
  const steps = planSyncInSteps(entries, current, tombstones);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * planSync one entry (or environment) at a time: it yields after each, so a caller planning 10,000
 * entries can hand the event loop a turn between steps; what it returns is planSync's answer.
 */
export function* planSyncInSteps(
  entries: readonly FileEntry[],
  current: readonly CurrentEnvironment[],
  tombstones: readonly Tombstone[] = [],
): Generator<void, Result<SyncPlan, FileProblem[]>> {
  const problems = yield* duplicateProblems(entries);
  const byGuid = new Map(current.map((environment) => [environment.guid, environment]));
  const tombstoneByGuid = new Map(tombstones.map((tombstone) => [tombstone.guid, tombstone]));
  // Latest removal first, so an image removed twice comes back as what it was last.
  const tombstonesByName = new Map<string, Tombstone[]>();
  for (const tombstone of [...tombstones].sort((a, b) => b.removed_time.localeCompare(a.removed_time))) {
    if (tombstone.hand_deleted) continue;
    const named = tombstonesByName.get(tombstone.name);
    if (named) named.push(tombstone);
    else tombstonesByName.set(tombstone.name, [tombstone]);
  }
  // Indexed by name: scanning all environments for every entry is quadratic at 10,000 entries.
  const byName = new Map<string, CurrentEnvironment[]>();
  for (const environment of current) {
    const named = byName.get(environment.name);
    if (named) named.push(environment);
    else byName.set(environment.name, [environment]);
  }
  yield;
  const claimed = new Set<string>();
  const actions: SyncAction[] = [];
  let unchanged = 0;

  const claim = (index: number, entry: FileEntry, environment: CurrentEnvironment) => {
    claimed.add(environment.guid);
    const changes =
      environment.fingerprint === definitionFingerprint(entry.definition) ? {} : changedFields(environment.full(), entry.definition);
    if (environment.managed_by === null) actions.push({ kind: 'adopt', entry: index, guid: environment.guid, changes });
    else if (Object.keys(changes).length > 0) actions.push({ kind: 'update', entry: index, guid: environment.guid, changes });
    else unchanged++;
  };

  // GUIDs first: an entry with a GUID matches by GUID only, and claims that record before any name match.
  for (const [index, entry] of entries.entries()) {
    if (!entry.guid) continue;
    yield;
    const environment = byGuid.get(entry.guid);
    if (!environment) {
      const tombstone = tombstoneByGuid.get(entry.guid);
      if (tombstone && tombstone.name === entry.definition.name) {
        actions.push({ kind: 'restore', entry: index, guid: entry.guid, definition: entry.definition, removed_time: tombstone.removed_time });
      } else actions.push({ kind: 'create', entry: index, guid: entry.guid, definition: entry.definition });
      claimed.add(entry.guid);
    } else if (environment.name !== entry.definition.name) {
      problems.push({
        entry: index,
        field: 'name',
        message: `the environment ${entry.guid} has the image ${environment.name}; an image never changes in place — remove this entry and add one for the new image without this guid`,
      });
    } else claim(index, entry, environment);
  }

  for (const [index, entry] of entries.entries()) {
    if (entry.guid) continue;
    yield;
    const { name } = entry.definition;
    const named = byName.get(name) ?? [];
    const managed = named.filter((environment) => environment.managed_by !== null);
    const unmanaged = named.filter((environment) => environment.managed_by === null);
    const candidates = managed.length > 0 ? managed : unmanaged;
    if (candidates.length === 0) {
      // A GUID still in use, or given to another entry, cannot be given back.
      const tombstone = (tombstonesByName.get(name) ?? []).find((t) => !byGuid.has(t.guid) && !claimed.has(t.guid));
      if (tombstone) {
        claimed.add(tombstone.guid);
        actions.push({ kind: 'restore', entry: index, guid: tombstone.guid, definition: entry.definition, removed_time: tombstone.removed_time });
      } else actions.push({ kind: 'create', entry: index, guid: null, definition: entry.definition });
    } else if (candidates.length > 1) {
      const guids = candidates.map((environment) => environment.guid).join(', ');
      problems.push({
        entry: index,
        field: 'name',
        message: `several environments have the image ${name} (${guids}); add the guid of the one to manage to this entry`,
      });
    } else claim(index, entry, candidates[0]!);
  }

  if (problems.length > 0) return err(problems.sort((a, b) => (a.entry ?? -1) - (b.entry ?? -1)));

  for (const environment of current) {
    yield;
    if (environment.managed_by !== null && !claimed.has(environment.guid)) {
      actions.push({ kind: 'delete', guid: environment.guid, name: environment.name });
    }
  }
  return ok({ actions, unchanged });
}
