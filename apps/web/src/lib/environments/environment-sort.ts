import { type Environment, type EnvironmentSummary, type Language, type Version, compareVersions, parseVersion } from '@envdesk/domain';
import { type ListSort, formatListSort, parseListSort } from '../list-search';

/** The columns the Environments table sorts by; also the values of `?sort=` in the URL. */
export const SORT_COLUMNS = ['title', 'name', 'python', 'r', 'quarto', 'matching', 'managed', 'updated', 'changed', 'used'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];

export type EnvironmentSort = ListSort<SortColumn>;

const isSortColumn = (value: string): value is SortColumn => (SORT_COLUMNS as readonly string[]).includes(value);

export const DEFAULT_SORT: EnvironmentSort = { column: 'title', descending: false };

/** What each column is called on screen, for the sentence that tells screen-reader users the order. */
export const SORT_COLUMN_NAMES: Record<SortColumn, string> = {
  title: 'Title',
  name: 'Image',
  python: 'Python',
  r: 'R',
  quarto: 'Quarto',
  matching: 'Matching',
  managed: 'Managed',
  updated: 'Updated',
  changed: 'Last changed by',
  used: 'Used by',
};

/** Administrators' extra facts per environment (by GUID), which two columns show and sort by. */
export type EnvironmentSummaries = ReadonlyMap<string, EnvironmentSummary>;
const NO_SUMMARIES: EnvironmentSummaries = new Map();

/** "Sorted by Python, descending." */
export const describeSort = (sort: EnvironmentSort): string =>
  `Sorted by ${SORT_COLUMN_NAMES[sort.column]}, ${sort.descending ? 'descending' : 'ascending'}.`;

/** The table's sort state (`[{id, desc}]`) as an order, or null when it names no sortable column. */
export function sortFromSorting(sorting: ReadonlyArray<{ readonly id: string; readonly desc: boolean }>): EnvironmentSort | null {
  const [first] = sorting;
  return first && isSortColumn(first.id) ? { column: first.id, descending: first.desc } : null;
}

/** `title` sorts ascending, `-title` descending; null when absent or not a column (the default applies). */
export const parseSort = (value: string | null | undefined): EnvironmentSort | null => parseListSort(value, SORT_COLUMNS);

export const formatSort = formatListSort;

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
const MATCHING_ORDER = { any: 0, exact: 1, none: 2 } as const;

/** The highest installed version of `language`, which is what a person scanning the column compares. */
function newestVersion(environment: Environment, language: Language): Version | null {
  let newest: Version | null = null;
  for (const { version } of environment[language].installations) {
    const parsed = parseVersion(version);
    if (parsed && (!newest || compareVersions(parsed, newest) > 0)) newest = parsed;
  }
  return newest;
}

type SortKey = string | number | Version;

/** Each column's key; `null` means "nothing to show", which sorts last in both directions. */
const sortKeys: Record<SortColumn, (environment: Environment, summaries: EnvironmentSummaries) => SortKey | null> = {
  title: (environment) => environment.title ?? environment.name,
  name: (environment) => environment.name,
  python: (environment) => newestVersion(environment, 'python'),
  r: (environment) => newestVersion(environment, 'r'),
  quarto: (environment) => newestVersion(environment, 'quarto'),
  matching: (environment) => MATCHING_ORDER[environment.matching],
  managed: (environment) => (environment.managed_by ? 1 : 0),
  updated: (environment) => environment.updated_time,
  changed: (environment, summaries) => summaries.get(environment.guid)?.last_changed?.user_description ?? null,
  used: (environment, summaries) => summaries.get(environment.guid)?.content_count ?? null,
};

function compareKeys(a: SortKey, b: SortKey): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return collator.compare(a, b);
  return compareVersions(a as Version, b as Version);
}

/**
 * A sorted copy. Ties fall back to title, then image name and GUID, so the order never depends on
 * the order the server sent. Environments without a value for the column (no R installed) go last.
 */
export function sortEnvironments(
  environments: readonly Environment[],
  sort: EnvironmentSort,
  summaries: EnvironmentSummaries = NO_SUMMARIES,
): Environment[] {
  const keyOf = sortKeys[sort.column];
  const keyed = environments.map((environment) => ({ environment, key: keyOf(environment, summaries), title: environment.title ?? environment.name }));
  const present = keyed.filter((item) => item.key !== null);
  const missing = keyed.filter((item) => item.key === null);
  const direction = sort.descending ? -1 : 1;
  const tieBreak = (a: (typeof keyed)[number], b: (typeof keyed)[number]) =>
    collator.compare(a.title, b.title) ||
    collator.compare(a.environment.name, b.environment.name) ||
    (a.environment.guid < b.environment.guid ? -1 : a.environment.guid > b.environment.guid ? 1 : 0);
  present.sort((a, b) => direction * compareKeys(a.key as SortKey, b.key as SortKey) || tieBreak(a, b));
  missing.sort(tieBreak);
  return [...present, ...missing].map((item) => item.environment);
}
