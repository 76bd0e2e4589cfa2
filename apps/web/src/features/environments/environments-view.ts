import type { ListSearch } from '@envdesk/domain';

let lastListSearch: ListSearch = {};

/** The list remembers its last search and order, so leaving a form returns to the same view. */
export function rememberListSearch(search: ListSearch): void {
  lastListSearch = search;
}

export const listSearch = (): ListSearch => lastListSearch;

let justAdded: string | null = null;

/** The environment just added: the list shows it highlighted and scrolled into view, once. */
export function markJustAdded(guid: string): void {
  justAdded = guid;
}

export function takeJustAdded(): string | null {
  const guid = justAdded;
  justAdded = null;
  return guid;
}
