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
  /**
   * Which one-character words this entry matches, as bits (see `charBit`): the characters of its
   * text and the first characters of its versions. The first letter typed into an empty box would
   * otherwise scan the text of every environment, for an answer that is nearly all of them.
   */
  readonly singles: number;
}

/** Characters with a bit of their own: letters, digits and the punctuation of images and versions. */
const CHARS_WITH_BITS = 'abcdefghijklmnopqrstuvwxyz0123456789.-/:_@';
/** Two numbers of 21 bits each would do too; one float holds 42 exact bits as a sum of powers of two. */
const BIT_OF = new Map([...CHARS_WITH_BITS].map((char, i) => [char, 2 ** i]));

/** Bits of the characters in `text` (those that have one), added up once each. */
function charBits(text: string, into = 0): number {
  let bits = into;
  for (const char of text) {
    const bit = BIT_OF.get(char);
    if (bit !== undefined && Math.floor(bits / bit) % 2 === 0) bits += bit;
  }
  return bits;
}

const hasBit = (bits: number, bit: number) => Math.floor(bits / bit) % 2 === 1;


export function searchEntryOf(environment: Environment): SearchEntry {
  const text = [environment.title, environment.description, environment.name, environment.guid, environment.supervisor]
    .filter((part): part is string => Boolean(part))
    .join('\n')
    .toLowerCase();
  const versions = LANGUAGES.flatMap((language) => environment[language].installations.map((installation) => `\n${installation.version}`))
    .join('')
    .toLowerCase();
  const versionStarts = versions
    .split('\n')
    .map((version) => version.charAt(0))
    .join('');
  return { environment, text, versions, image: environment.name.toLowerCase(), singles: charBits(versionStarts, charBits(text)) };
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
function wordCheck(word: string): Check {
  const bit = word.length === 1 ? BIT_OF.get(word) : undefined;
  // One character with a bit is answered by the entry's bits: the same answer the texts give.
  if (bit !== undefined) return (entry) => hasBit(entry.singles, bit);
  // Built once per keystroke, not once per environment: a string made in the loop is an allocation
  // per entry, and one that includes() must flatten before it can search.
  const versionStart = `\n${word}`;
  return (entry) => entry.text.includes(word) || entry.versions.includes(versionStart);
}

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
  const wordChecks = words.map(wordCheck);
  const wordsMatch: Check = wordChecks.length === 1 ? wordChecks[0]! : (entry) => wordChecks.every((check) => check(entry));
  if (checks.length === 0) return wordsMatch;
  return (entry) => checks.every((check) => check(entry)) && wordsMatch(entry);
}

export const matchesQuery = (entry: SearchEntry, query: EnvironmentQuery): boolean => compileQuery(query)(entry);

/** The entries that match `query`, in the order given (so a sorted list stays sorted). */
export function searchEnvironments(entries: readonly SearchEntry[], query: string | EnvironmentQuery): Environment[] {
  return createSearch(entries)(typeof query === 'string' ? parseEnvironmentQuery(query) : query);
}

const isPrefixOfSome = (candidates: readonly string[]) => (text: string) => candidates.some((candidate) => candidate.startsWith(text));
const isInSome = (candidates: readonly string[]) => (text: string) => candidates.some((candidate) => candidate.includes(text));
const sameList = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && JSON.stringify(a) === JSON.stringify(b);

/**
 * Whether everything `next` matches, `previous` matched too: the filters are the same, each earlier
 * word is the start of a word now (a word matches inside the text, and versions from their start)
 * and each earlier image filter is inside one now. Typing on at the end of the box is such a
 * change; a changed version filter is not (`python:3.1` does not find 3.11, `python:3.11` does).
 */
export function narrows(previous: EnvironmentQuery, next: EnvironmentQuery): boolean {
  return (
    sameList(previous.versions, next.versions) &&
    sameList(previous.has, next.has) &&
    sameList(previous.lacks, next.lacks) &&
    sameList(previous.matching, next.matching) &&
    sameList(previous.managed, next.managed) &&
    previous.words.every(isPrefixOfSome(next.words)) &&
    previous.images.every(isInSome(next.images))
  );
}

/**
 * A search over one list that remembers its last answer: when the query only narrows the last one
 * (the usual keystroke), it looks among the last matches instead of the whole list, so a search
 * costs less with every letter typed. The answer is the same either way.
 */
export function createSearch(entries: readonly SearchEntry[]): (query: EnvironmentQuery) => Environment[] {
  let everything: Environment[] | null = null;
  let last: { query: EnvironmentQuery; matched: Uint32Array } | null = null;
  return (query) => {
    if (isEmptyQuery(query)) {
      last = null;
      everything ??= entries.map((entry) => entry.environment);
      return everything;
    }
    const matches = compileQuery(query);
    const pool = last && narrows(last.query, query) ? last.matched : null;
    const size = pool ? pool.length : entries.length;
    const matched = new Uint32Array(size);
    const found: Environment[] = [];
    for (let i = 0; i < size; i++) {
      const index = pool ? pool[i]! : i;
      const entry = entries[index]!;
      if (matches(entry)) {
        matched[found.length] = index;
        found.push(entry.environment);
      }
    }
    last = { query, matched: matched.subarray(0, found.length) };
    return found;
  };
}

