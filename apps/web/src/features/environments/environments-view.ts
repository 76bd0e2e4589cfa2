import type { ListSearch } from '@envdesk/domain';

let lastListSearch: ListSearch = {};

/** The list remembers its last search and order, so leaving a form returns to the same view. */
export function rememberListSearch(search: ListSearch): void {
  lastListSearch = search;
}

export const listSearch = (): ListSearch => lastListSearch;
