import {
  type Environment,
  type EnvironmentQuery,
  type Version,
  type VersionFilter,
  LANGUAGES,
  isEmptyQuery,
  parseEnvironmentQuery,
  parseVersion,
  satisfiesSpecifiers,
} from '@envdesk/domain';

/**
 * The Environments tab's search (seed: "Searching environments"): one box that matches title,
 * description, image name, GUID, supervisor path and installation versions, plus the typed filters
 * of the domain's environment query (`python:3.11`, `r:>=4.3`, `managed:file`, …). Everything a
 * keystroke compares is prepared once per environment, so a keystroke costs one scan of plain
 * strings and numbers.
 */
export interface SearchEntry {
  readonly environment: Environment;
  /** Title, description, image name, GUID and supervisor, lower case, one per line. */
  readonly text: string;
  /** Every installation version, each on its own line after a leading newline: `\n3.11.9\n4.4.2`. */
  readonly versions: string;
  /** The image name, lower case. */
  readonly image: string;
}


export function searchEntryOf(environment: Environment): SearchEntry {
  const text = [environment.title, environment.description, environment.name, environment.guid, environment.supervisor]
    .filter((part): part is string => Boolean(part))
    .join('\n')
    .toLowerCase();
  const versions = LANGUAGES.flatMap((language) => environment[language].installations.map((installation) => `\n${installation.version}`))
    .join('')
    .toLowerCase();
  return { environment, text, versions, image: environment.name.toLowerCase() };
}

/**
 * Parsed versions by their text: environments share a few dozen versions, so a constraint parses
 * each once, not once per installation per keystroke.
 */
const parsedVersions = new Map<string, Version | null>();
function parsedVersion(text: string): Version | null {
  let parsed = parsedVersions.get(text);
  if (parsed === undefined) {
    parsed = parseVersion(text);
    if (parsedVersions.size > 10_000) parsedVersions.clear();
    parsedVersions.set(text, parsed);
  }
  return parsed;
}

/** `3.11` is 3.11 itself or a 3.11.x; `3.` (mid-typing) is any 3.x. Not 3.110. */
export function hasVersionPrefix(version: string, prefix: string): boolean {
  if (prefix.endsWith('.')) return version.startsWith(prefix);
  return version === prefix || version.startsWith(`${prefix}.`) || (version.startsWith(prefix) && /^[a-z]/.test(version.slice(prefix.length)));
}

/** The installed version `text` satisfies one typed version filter. */
export function versionMatches(text: string, filter: VersionFilter): boolean {
  if (filter.prefix !== null) return hasVersionPrefix(text.toLowerCase(), filter.prefix);
  if (filter.constraint === null) return false;
  const parsed = parsedVersion(text);
  return parsed !== null && satisfiesSpecifiers(parsed, filter.constraint);
}

/**
 * A free word matches text anywhere, and a version from its start: `4.4` finds R 4.4.2, `3.1` finds
 * Python 3.10 and 3.11 as you type, but `4.4` does not find Python 3.14.4.
 */
const wordMatches = (entry: SearchEntry, word: string): boolean => entry.text.includes(word) || entry.versions.includes(`\n${word}`);

type Check = (entry: SearchEntry) => boolean;

/**
 * The query as one predicate, built once per keystroke: only the filters it uses are checked, so
 * free words alone cost what they always did.
 */
export function compileQuery(query: EnvironmentQuery): Check {
  const checks: Check[] = [];
  const { matching, managed, has, lacks, images, versions, words } = query;
  if (matching.length > 0) checks.push((entry) => matching.includes(entry.environment.matching));
  if (managed.length > 0) checks.push((entry) => managed.includes(entry.environment.managed_by ? 'file' : 'hand'));
  for (const language of has) checks.push((entry) => entry.environment[language].installations.length > 0);
  for (const language of lacks) checks.push((entry) => entry.environment[language].installations.length === 0);
  for (const image of images) checks.push((entry) => entry.image.includes(image));
  for (const filter of versions) {
    checks.push((entry) => entry.environment[filter.language].installations.some((installation) => versionMatches(installation.version, filter)));
  }
  const wordsMatch: Check = (entry) => words.every((word) => wordMatches(entry, word));
  if (checks.length === 0) return wordsMatch;
  return (entry) => checks.every((check) => check(entry)) && wordsMatch(entry);
}

export const matchesQuery = (entry: SearchEntry, query: EnvironmentQuery): boolean => compileQuery(query)(entry);

/** The entries that match `query`, in the order given (so a sorted list stays sorted). */
export function searchEnvironments(entries: readonly SearchEntry[], query: string | EnvironmentQuery): Environment[] {
  const parsed = typeof query === 'string' ? parseEnvironmentQuery(query) : query;
  if (isEmptyQuery(parsed)) return entries.map((entry) => entry.environment);
  const matches = compileQuery(parsed);
  const found: Environment[] = [];
  for (const entry of entries) {
    if (matches(entry)) found.push(entry.environment);
  }
  return found;
}
