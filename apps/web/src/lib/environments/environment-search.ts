import {
  type Environment,
  type EnvironmentQuery,
  type QueryLanguage,
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
  /** Each query language's versions as written (lower case) and parsed (null when unreadable). */
  readonly byLanguage: Readonly<Record<QueryLanguage, readonly LanguageVersion[]>>;
}

export interface LanguageVersion {
  readonly text: string;
  readonly parsed: Version | null;
}

export function searchEntryOf(environment: Environment): SearchEntry {
  const text = [environment.title, environment.description, environment.name, environment.guid, environment.supervisor]
    .filter((part): part is string => Boolean(part))
    .join('\n')
    .toLowerCase();
  const versions = LANGUAGES.flatMap((language) => environment[language].installations.map((installation) => `\n${installation.version}`))
    .join('')
    .toLowerCase();
  const languageVersions = (language: QueryLanguage): LanguageVersion[] =>
    environment[language].installations.map((installation) => {
      const version = installation.version.toLowerCase();
      return { text: version, parsed: parseVersion(version) };
    });
  return {
    environment,
    text,
    versions,
    image: environment.name.toLowerCase(),
    byLanguage: { python: languageVersions('python'), r: languageVersions('r'), quarto: languageVersions('quarto') },
  };
}

/** `3.11` is 3.11 itself or a 3.11.x; `3.` (mid-typing) is any 3.x. Not 3.110. */
export function hasVersionPrefix(version: string, prefix: string): boolean {
  if (prefix.endsWith('.')) return version.startsWith(prefix);
  return version === prefix || version.startsWith(`${prefix}.`) || (version.startsWith(prefix) && /^[a-z]/.test(version.slice(prefix.length)));
}

/** The installation `version` satisfies one typed version filter. */
export function versionMatches(version: LanguageVersion, filter: VersionFilter): boolean {
  if (filter.prefix !== null) return hasVersionPrefix(version.text, filter.prefix);
  return filter.constraint !== null && version.parsed !== null && satisfiesSpecifiers(version.parsed, filter.constraint);
}

/**
 * A free word matches text anywhere, and a version from its start: `4.4` finds R 4.4.2, `3.1` finds
 * Python 3.10 and 3.11 as you type, but `4.4` does not find Python 3.14.4.
 */
const wordMatches = (entry: SearchEntry, word: string): boolean => entry.text.includes(word) || entry.versions.includes(`\n${word}`);

export function matchesQuery(entry: SearchEntry, query: EnvironmentQuery): boolean {
  const environment = entry.environment;
  if (query.matching.length > 0 && !query.matching.includes(environment.matching)) return false;
  if (query.managed.length > 0 && !query.managed.includes(environment.managed_by ? 'file' : 'hand')) return false;
  for (const language of query.has) if (entry.byLanguage[language].length === 0) return false;
  for (const language of query.lacks) if (entry.byLanguage[language].length > 0) return false;
  for (const image of query.images) if (!entry.image.includes(image)) return false;
  for (const filter of query.versions) {
    if (!entry.byLanguage[filter.language].some((version) => versionMatches(version, filter))) return false;
  }
  for (const word of query.words) if (!wordMatches(entry, word)) return false;
  return true;
}

/** The entries that match `query`, in the order given (so a sorted list stays sorted). */
export function searchEnvironments(entries: readonly SearchEntry[], query: string | EnvironmentQuery): Environment[] {
  const parsed = typeof query === 'string' ? parseEnvironmentQuery(query) : query;
  if (isEmptyQuery(parsed)) return entries.map((entry) => entry.environment);
  const found: Environment[] = [];
  for (const entry of entries) {
    if (matchesQuery(entry, parsed)) found.push(entry.environment);
  }
  return found;
}
