import type { ListSearch } from '@envdesk/domain';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useEffect, useState } from 'react';

/** Typing replaces the URL this long after the last keystroke, so history is not rewritten per key. */
const URL_DELAY_MS = 300;

/** The search as the address keeps it: an empty search is left out. */
export const listSearchOf = (query: string, sort: string | undefined): ListSearch => ({
  q: query.trim() === '' ? undefined : query,
  sort,
});

export interface ListSearchState {
  /** What the search box shows: what was typed, at once. */
  readonly query: string;
  readonly setQuery: (query: string) => void;
  /** The `?sort=` value someone chose (`title`, `-title`); undefined until they do. */
  readonly sort: string | undefined;
  /** A new order is a step Back can undo; it carries the search typed so far. */
  readonly chooseSort: (sort: string) => void;
  /** A search chosen in one step (a filter chip): the box shows it and the address gains an entry Back can undo. */
  readonly chooseQuery: (query: string) => void;
  /** Where the address is going: the search typed and the order chosen. */
  readonly wanted: ListSearch;
}

/**
 * A list's search and order, kept in the page's address (`?q=`, `?sort=`, the domain's
 * ListSearchSchema) so links, reloads and Back restore them. The box shows what is typed at once and
 * the address follows shortly after, replacing its entry; Back or a link set the box.
 */
export function useListSearch(): ListSearchState {
  const search: ListSearch = useSearch({ strict: false });
  const navigate = useNavigate();
  const urlQuery = search.q ?? '';
  const [query, setQuery] = useState(urlQuery);
  const [shownUrlQuery, setShownUrlQuery] = useState(urlQuery);
  if (urlQuery !== shownUrlQuery) {
    setShownUrlQuery(urlQuery);
    setQuery(urlQuery);
  }
  const wanted = listSearchOf(query, search.sort);
  const wantedQ = wanted.q;

  useEffect(() => {
    if (wantedQ === search.q) return;
    const timer = setTimeout(
      () => void navigate({ to: '.', search: (previous: ListSearch) => ({ ...previous, q: wantedQ }), replace: true }),
      URL_DELAY_MS,
    );
    return () => clearTimeout(timer);
  }, [wantedQ, search.q, navigate]);

  const chooseSort = (sort: string) => void navigate({ to: '.', search: (previous: ListSearch) => ({ ...previous, ...listSearchOf(query, sort) }) });

  const chooseQuery = (next: string) => {
    setQuery(next);
    const q = listSearchOf(next, undefined).q;
    void navigate({ to: '.', search: (previous: ListSearch) => ({ ...previous, q }) });
  };

  return { query, setQuery, sort: search.sort, chooseSort, chooseQuery, wanted };
}

export interface ListSort<Column extends string> {
  readonly column: Column;
  readonly descending: boolean;
}

/** `title` sorts ascending, `-title` descending; null when absent or not one of `columns` (the list's default applies). */
export function parseListSort<Column extends string>(value: string | null | undefined, columns: readonly Column[]): ListSort<Column> | null {
  if (!value) return null;
  const descending = value.startsWith('-');
  const column = descending ? value.slice(1) : value;
  return (columns as readonly string[]).includes(column) ? { column: column as Column, descending } : null;
}

/** The `?sort=` value: `title` or `-title`. */
export const formatListSort = (sort: ListSort<string>): string => (sort.descending ? `-${sort.column}` : sort.column);
