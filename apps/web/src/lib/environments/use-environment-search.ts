import { type Environment, parseEnvironmentQuery } from '@envdesk/domain';
import type { SortingState } from '@tanstack/react-table';
import { useMemo } from 'react';
import { type SearchEntry, createSearch, searchEntryOf } from './environment-search';
import { type EnvironmentSort, type EnvironmentSummaries, sortEnvironments } from './environment-sort';

/** Search entries are built once per environment object, so a new sort or search reuses them. */
const searchEntries = new WeakMap<Environment, SearchEntry>();
function cachedSearchEntry(environment: Environment): SearchEntry {
  let entry = searchEntries.get(environment);
  if (!entry) {
    entry = searchEntryOf(environment);
    searchEntries.set(environment, entry);
  }
  return entry;
}

const countFormat = new Intl.NumberFormat('en');

/** "12 environments", or "3 of 12 environments" while a search hides some. */
export function searchCountText(shown: number, total: number): string {
  const noun = total === 1 ? 'environment' : 'environments';
  return shown === total ? `${countFormat.format(total)} ${noun}` : `${countFormat.format(shown)} of ${countFormat.format(total)} ${noun}`;
}

/**
 * The Environments tab's search and sort over a list, for any table of environments (the tab
 * itself, the content page's picker): sorted once per order, searched once per keystroke.
 */
export function useEnvironmentSearch(environments: readonly Environment[], sort: EnvironmentSort, query: string, summaries?: EnvironmentSummaries) {
  const sorted = useMemo(() => sortEnvironments(environments, sort, summaries), [environments, sort, summaries]);
  // One search per sorted list: it narrows its last answer as letters are typed.
  const search = useMemo(() => createSearch(sorted.map(cachedSearchEntry)), [sorted]);
  // Parsed once per keystroke and shared by the filter and the highlighted cells.
  const parsed = useMemo(() => parseEnvironmentQuery(query), [query]);
  const rows = useMemo(() => search(parsed), [search, parsed]);
  const sorting: SortingState = useMemo(() => [{ id: sort.column, desc: sort.descending }], [sort]);
  return { rows, sorting, parsed };
}
