import { type Environment, LANGUAGES } from '@envdesk/domain';

/**
 * The Environments tab's search (seed: "Searching environments"): one box that matches title,
 * description, image name, GUID, supervisor path and installation versions. Each environment's
 * searchable text is lower-cased once, so a keystroke costs one scan of plain strings.
 */
export interface SearchEntry {
  readonly environment: Environment;
  /** Title, description, image name, GUID and supervisor, lower case, one per line. */
  readonly text: string;
  /** Every installation version, each on its own line after a leading newline: `\n3.11.9\n4.4.2`. */
  readonly versions: string;
}

export function searchEntryOf(environment: Environment): SearchEntry {
  const text = [environment.title, environment.description, environment.name, environment.guid, environment.supervisor]
    .filter((part): part is string => Boolean(part))
    .join('\n')
    .toLowerCase();
  const versions = LANGUAGES.flatMap((language) => environment[language].installations.map((installation) => `\n${installation.version}`))
    .join('')
    .toLowerCase();
  return { environment, text, versions };
}

/** The words of a query: every one must match for an environment to be found. */
export function searchTerms(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean);
}

/**
 * A term matches text anywhere, and a version from its start: `4.4` finds R 4.4.2, `3.1` finds
 * Python 3.10 and 3.11 as you type, but `4.4` does not find Python 3.14.4.
 */
export function matchesTerms(entry: SearchEntry, terms: readonly string[]): boolean {
  return terms.every((term) => entry.text.includes(term) || entry.versions.includes(`\n${term}`));
}

/** The entries that match `query`, in the order given (so a sorted list stays sorted). */
export function searchEnvironments(entries: readonly SearchEntry[], query: string): Environment[] {
  const terms = searchTerms(query);
  const found: Environment[] = [];
  for (const entry of entries) {
    if (terms.length === 0 || matchesTerms(entry, terms)) found.push(entry.environment);
  }
  return found;
}
