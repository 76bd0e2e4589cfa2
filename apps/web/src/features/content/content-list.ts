import type { Content, User } from '@envdesk/domain';
import { contentSubjectFor, offers } from '../../lib/access';
import { type ListSort, parseListSort } from '../../lib/list-search';

/** The Content list's search and order: pure, so the table only renders what these return. */

export const CONTENT_SORT_COLUMNS = ['title', 'owner', 'runtime', 'deployed'] as const;
export type ContentSortColumn = (typeof CONTENT_SORT_COLUMNS)[number];

export type ContentSort = ListSort<ContentSortColumn>;

export const parseContentSort = (value: string | undefined): ContentSort | null => parseListSort(value, CONTENT_SORT_COLUMNS);

export const DEFAULT_CONTENT_SORT: ContentSort = { column: 'title', descending: false };

export const CONTENT_COLUMN_NAMES: Record<ContentSortColumn, string> = {
  title: 'Title',
  owner: 'Owner',
  runtime: 'Environment',
  deployed: 'Last deployed',
};

export const contentTitle = (content: Pick<Content, 'title' | 'name'>): string => content.title || content.name;

export const ownerName = (owner: Content['owner']): string => `${owner.first_name} ${owner.last_name}`.trim() || owner.username;

/** What the Environment column says: null when the runtime is not `reader`'s to see (the server sent none). */
export function runtimeText(content: Content, reader: User): string | null {
  if (!offers(reader, 'content:read-runtime', contentSubjectFor(reader, content))) return null;
  if (content.default_environment_guid === null && content.default_image_name === null) return 'Automatic';
  return content.default_image_name ?? 'A specific environment';
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

const sortKeys: Record<ContentSortColumn, (content: Content, reader: User) => string | null> = {
  title: contentTitle,
  owner: (content) => ownerName(content.owner),
  runtime: runtimeText,
  deployed: (content) => content.last_deployed_time,
};

/**
 * A sorted copy. Items without a value (never deployed) go last in both directions; ties fall back
 * to title, then name and GUID, so the order never depends on the server's.
 */
export function sortContent(items: readonly Content[], sort: ContentSort, reader: User): Content[] {
  const keyOf = sortKeys[sort.column];
  const direction = sort.descending ? -1 : 1;
  const tieBreak = (a: Content, b: Content) =>
    collator.compare(contentTitle(a), contentTitle(b)) || collator.compare(a.name, b.name) || (a.guid < b.guid ? -1 : a.guid > b.guid ? 1 : 0);
  return [...items].sort((a, b) => {
    const keyA = keyOf(a, reader);
    const keyB = keyOf(b, reader);
    if (keyA === null || keyB === null) return keyA === keyB ? tieBreak(a, b) : keyA === null ? 1 : -1;
    const order = sort.column === 'deployed' ? Date.parse(keyA) - Date.parse(keyB) : collator.compare(keyA, keyB);
    return direction * order || tieBreak(a, b);
  });
}

/** Every word must appear in the title, name, GUID, owner or chosen image. */
export function searchContent(items: readonly Content[], query: string): Content[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return [...items];
  return items.filter((content) => {
    const text = [content.title, content.name, content.guid, content.owner.username, ownerName(content.owner), content.default_image_name]
      .filter(Boolean)
      .join('\n')
      .toLowerCase();
    return terms.every((term) => text.includes(term));
  });
}

export function sortFromContentSorting(sorting: ReadonlyArray<{ readonly id: string; readonly desc: boolean }>): ContentSort | null {
  const [first] = sorting;
  if (!first || !(CONTENT_SORT_COLUMNS as readonly string[]).includes(first.id)) return null;
  return { column: first.id as ContentSortColumn, descending: first.desc };
}
