import type { Content, User } from '@envdesk/domain';
import { LoadError } from '../../components/load-error';
import type { SortingState } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { formatListSort, useListSearch } from '../../lib/list-search';
import { DataTable } from '../../components/data-table';
import { Page } from '../../components/page';
import { offers, SOMEONE_ELSES_CONTENT } from '../../lib/access';
import { useContentList } from './api/list-content';
import { contentColumns } from './components/content-columns';
import { NewContentDialog } from './components/new-content-dialog';
import { CONTENT_COLUMN_NAMES, DEFAULT_CONTENT_SORT, parseContentSort, searchContent, sortContent, sortFromContentSorting } from './content-list';
import './content.css';

const ROW_HEIGHT = 56;
const EMPTY: Content[] = [];
const countFormat = new Intl.NumberFormat('en');

const countText = (shown: number, total: number): string => {
  const noun = total === 1 ? 'content item' : 'content items';
  return shown === total ? `${countFormat.format(total)} ${noun}` : `${countFormat.format(shown)} of ${countFormat.format(total)} ${noun}`;
};

/**
 * `/content`: what the caller may see, as the server decides: administrators all of it, others
 * their own, what is shared with them and what is open to everyone (PRODUCT.md §2).
 */
export function ContentListPage({ user }: { user: User }) {
  const canCreate = offers(user, 'content:create');
  const [creating, setCreating] = useState(false);
  const lead = offers(user, 'content:update', SOMEONE_ELSES_CONTENT)
    ? 'All content on this server, and the environment each item builds and runs in.'
    : canCreate
      ? 'Your apps, APIs and reports, content shared with you, and the environment each one builds and runs in.'
      : 'Content shared with you on this server. Only its owners, collaborators and administrators can change it.';
  return (
    <Page
      title="Content"
      lead={lead}
      actions={
        canCreate && (
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            New content
          </button>
        )
      }
    >
      <ContentList reader={user} canCreate={canCreate} showRuntime={canCreate} onCreate={() => setCreating(true)} />
      {creating && <NewContentDialog onClose={() => setCreating(false)} />}
    </Page>
  );
}

interface ContentListProps {
  readonly reader: User;
  readonly canCreate: boolean;
  readonly showRuntime: boolean;
  readonly onCreate: () => void;
}

function ContentList({ reader, canCreate, showRuntime, onCreate }: ContentListProps) {
  const list = useContentList();
  const { query, setQuery, sort: sortParam, chooseSort } = useListSearch();
  const sort = useMemo(() => parseContentSort(sortParam) ?? DEFAULT_CONTENT_SORT, [sortParam]);
  const data = list.data ?? EMPTY;
  const sorted = useMemo(() => sortContent(data, sort, reader), [data, sort, reader]);
  const rows = useMemo(() => searchContent(sorted, query), [sorted, query]);
  const sorting: SortingState = useMemo(() => [{ id: sort.column, desc: sort.descending }], [sort]);
  // Shared content has other owners: the column shows whose each item is, to everyone.
  const columns = useMemo(() => contentColumns({ showOwner: true, showRuntime, reader }), [showRuntime, reader]);

  if (list.isPending) {
    return (
      <div className="skeleton" aria-busy="true">
        <p role="status" className="visually-hidden">
          Loading content…
        </p>
        <div className="skeleton-toolbar" />
        {Array.from({ length: 4 }, (_, index) => (
          <div key={index} className="skeleton-row" />
        ))}
      </div>
    );
  }
  if (list.isError) {
    return (
      <LoadError what="The content" error={list.error} onRetry={() => void list.refetch()} panel />
    );
  }
  if (data.length === 0) {
    return (
      <div className="state-panel state-empty">
        <h2>No content yet</h2>
        {canCreate ? (
          <>
            <p className="muted">Create a content item, upload a bundle to it and deploy it. Publishing clients such as rsconnect create content too.</p>
            <button type="button" className="button button-primary" onClick={onCreate}>
              Create your first content item
            </button>
          </>
        ) : (
          <p className="muted">Nothing has been published on this server yet.</p>
        )}
      </div>
    );
  }

  return (
    <section aria-label="Content list">
      <div className="toolbar">
        <div className="search-field">
          <label htmlFor="content-search">Search content</label>
          <input
            id="content-search"
            type="search"
            value={query}
            placeholder="Title, name, owner or image"
            autoComplete="off"
            spellCheck={false}
            aria-describedby="content-count"
            onChange={(event) => setQuery(event.target.value)}
          />
        </div>
        <p id="content-count" className="toolbar-count" role="status">
          {countText(rows.length, data.length)}
        </p>
        <p className="visually-hidden" aria-live="polite">
          Sorted by {CONTENT_COLUMN_NAMES[sort.column]}, {sort.descending ? 'descending' : 'ascending'}.
        </p>
      </div>
      {rows.length === 0 ? (
        <div className="state-panel">
          <p>No content matches “{query.trim()}”.</p>
          <button type="button" className="button" onClick={() => setQuery('')}>
            Clear search
          </button>
        </div>
      ) : (
        <DataTable
          label="Content"
          columns={columns}
          rows={rows}
          getRowId={(content) => content.guid}
          sorting={sorting}
          onSortingChange={(next) => {
            const chosen = sortFromContentSorting(next);
            if (chosen) chooseSort(formatListSort(chosen));
          }}
          rowHeight={ROW_HEIGHT}
          height={`min(${(rows.length + 1) * ROW_HEIGHT + 8}px, max(18rem, calc(100vh - 19rem)))`}
        />
      )}
    </section>
  );
}
