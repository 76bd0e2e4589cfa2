import { DEFAULT_SORT, type EnvironmentSort, formatSort, parseSort } from '../../lib/environments/environment-sort';

export const ENVIRONMENTS_PATH = '/environments';

/** What the Environments tab shows, kept in its URL so links, reloads and Back restore it. */
export interface EnvironmentsView {
  readonly query: string;
  /** The order someone chose; null until they do (then the URL has no `sort` and the default applies). */
  readonly sort: EnvironmentSort | null;
}

export const sortOf = (view: EnvironmentsView): EnvironmentSort => view.sort ?? DEFAULT_SORT;

export function viewFrom(searchParams: URLSearchParams): EnvironmentsView {
  return { query: searchParams.get('q') ?? '', sort: parseSort(searchParams.get('sort')) };
}

/** `/environments?q=3.11&sort=-title`; an empty search and an unchosen order are left out. */
export function viewHref(view: EnvironmentsView): string {
  const params = new URLSearchParams();
  if (view.query.trim() !== '') params.set('q', view.query);
  if (view.sort) params.set('sort', formatSort(view.sort));
  const search = params.toString();
  return search ? `${ENVIRONMENTS_PATH}?${search}` : ENVIRONMENTS_PATH;
}

export const environmentHref = (guid: string): string => `${ENVIRONMENTS_PATH}/${encodeURIComponent(guid)}`;
export const NEW_ENVIRONMENT_PATH = `${ENVIRONMENTS_PATH}/new`;

let lastListHref = ENVIRONMENTS_PATH;

/** The list remembers its last view, so leaving a form returns to the same search and order. */
export function rememberListHref(href: string): void {
  lastListHref = href;
}

export const listHref = (): string => lastListHref;
