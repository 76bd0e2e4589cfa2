import type { Environment, User } from '@envdesk/domain';
import { LoadError } from '../../components/load-error';
import type { SortingState } from '@tanstack/react-table';
import { Link } from '@tanstack/react-router';
import { Suspense, lazy, useEffect, useMemo, useRef, useState } from 'react';
import { useAnnounce } from '../../components/announcer';
import { DataTable } from '../../components/data-table';
import { Page } from '../../components/page';
import { offers } from '../../lib/access';
import { errorMessage } from '../../lib/api-client';
import { useListSearch } from '../../lib/list-search';
import { useDeleteEnvironment } from './api/delete-environment';
import { useEnvironmentList } from '../../lib/environments/list-environments';
import { useSyncStatus } from './api/sync-status';
import { useEnvironmentSummary } from './api/environment-summary';
import { editConflictFrom } from './api/edit-conflict-error';
import { displayTitle } from '../../components/environment-columns';
import { environmentColumns } from './components/environment-columns';
import { DEFAULT_SORT, type EnvironmentSummaries, describeSort, formatSort, parseSort, sortFromSorting } from '../../lib/environments/environment-sort';
import { searchCountText, useEnvironmentSearch } from '../../lib/environments/use-environment-search';
import { rememberListSearch, takeJustAdded } from './environments-view';
import { SearchHighlightContext } from '../../lib/environments/search-highlight';
import { SearchFilters, SearchHints } from './filters/search-filters';
import { RowSelectionProvider, useRowSelection } from './components/row-selection';

const ROW_HEIGHT = 56;

const countFormat = new Intl.NumberFormat('en');

// Neither is part of the list's first paint: the delete dialog loads when someone deletes, and the
// file-sync banner when the last sync has something to say.
const DeleteEnvironmentDialog = lazy(() =>
  import('./components/delete-environment-dialog').then((module) => ({ default: module.DeleteEnvironmentDialog })),
);
const ImportDialog = lazy(() => import('./transfer/import-dialog').then((module) => ({ default: module.ImportDialog })));
const SyncStatusBanner = lazy(() => import('./components/sync-status-banner').then((module) => ({ default: module.SyncStatusBanner })));

export function EnvironmentsPage({ user }: { user: User }) {
  // Viewers never get here: the route sends them to Content.
  if (!offers(user, 'environments:read')) return null;
  const canWrite = offers(user, 'environments:write');
  const canReadHistory = offers(user, 'environments:read-history');
  return (
    <Page
      title="Environments"
      lead="Container images, and the Python, R and Quarto installations in them, that content builds and runs in."
      actions={
        (canWrite || canReadHistory) && (
          <>
            {canReadHistory && (
              <Link to="/environments/deleted" className="button">
                Recently deleted
              </Link>
            )}
            {canWrite && (
              <Link to="/environments/new" className="button button-primary">
                Add environment
              </Link>
            )}
          </>
        )
      }
    >
      {canWrite && <SyncProblems />}
      <EnvironmentList canWrite={canWrite} canReadHistory={canReadHistory} canTransfer={offers(user, 'environments:import') && offers(user, 'environments:export')} />
    </Page>
  );
}

/** For administrators, when the declarative file's last sync failed or its environments are about to go. */
function SyncProblems() {
  const status = useSyncStatus({ enabled: true });
  if (!status.data?.last_error && !status.data?.pending_removal) return null;
  return (
    <Suspense fallback={null}>
      <SyncStatusBanner />
    </Suspense>
  );
}

const EMPTY: Environment[] = [];

const NO_SUMMARIES: EnvironmentSummaries = new Map();

function EnvironmentList({ canWrite, canReadHistory, canTransfer }: { canWrite: boolean; canReadHistory: boolean; canTransfer: boolean }) {
  const { query, setQuery, sort: sortParam, chooseSort, chooseQuery, wanted } = useListSearch();
  const sort = useMemo(() => parseSort(sortParam ?? null) ?? DEFAULT_SORT, [sortParam]);
  const environments = useEnvironmentList();
  const syncStatus = useSyncStatus({ enabled: canWrite });
  // Envdesk's own endpoint beside Connect's list: Connect's clients read `/v1/environments` with
  // fixed shapes, and the list is one cached document shared by every caller, so per-administrator
  // facts (audit names, content counts) would make it neither Connect's nor cacheable.
  const summary = useEnvironmentSummary({ enabled: canReadHistory });
  const announce = useAnnounce();
  const deletion = useDeleteEnvironment();
  const [deleting, setDeleting] = useState<Environment | null>(null);
  const search = useRef<HTMLInputElement>(null);
  const [justAdded] = useState(takeJustAdded);
  const [importing, setImporting] = useState(false);
  const [exporting, setExporting] = useState(false);

  const { q: wantedQ, sort: wantedSort } = wanted;
  useEffect(() => rememberListSearch({ q: wantedQ, sort: wantedSort }), [wantedQ, wantedSort]);

  const data = environments.data ?? EMPTY;
  const summaries = canReadHistory ? (summary.data ?? NO_SUMMARIES) : null;
  const { rows, sorting, parsed } = useEnvironmentSearch(data, sort, query, summaries ?? undefined);
  const managedFile = syncStatus.data?.file ?? null;
  // Administrators know from the sync status whether a file is configured; publishers, who may not
  // read it, see the column when some environment they can see came from one.
  const showManaged = canWrite ? syncStatus.data?.enabled === true : data.some((environment) => environment.managed_by !== null);
  const selection = useRowSelection(data, rows);
  const columns = useMemo(
    () => environmentColumns({ canWrite, managedFile, showManaged, onDelete: setDeleting, summaries, selectable: canTransfer }),
    [canWrite, managedFile, showManaged, summaries, canTransfer],
  );

  const onSortingChange = (next: SortingState) => {
    const chosen = sortFromSorting(next);
    if (chosen) chooseSort(formatSort(chosen));
  };

  const confirmDelete = () => {
    if (!deleting) return;
    const environment = deleting;
    setDeleting(null);
    search.current?.focus();
    deletion.mutate(environment, {
      onSuccess: () => announce(`Deleted “${displayTitle(environment)}”.`),
      onError: (error) => {
        const stale = editConflictFrom(error);
        // The list reloads after every delete, so the current version is what it shows next.
        const why = stale
          ? `${stale.updated_by?.username ?? 'Someone'} changed it after the list was loaded; the list now shows its current version, so delete it again if you still mean to.`
          : errorMessage(error);
        announce(`“${displayTitle(environment)}” was not deleted. ${why}`, 'error');
      },
    });
  };

  // What Export takes: the rows picked by hand, else the rows the search shows, else every one.
  const picked = selection.selected.size;
  const exportLabel = picked > 0 ? `Export ${countFormat.format(picked)} selected` : rows.length === data.length ? 'Export all' : `Export ${countFormat.format(rows.length)} shown`;

  // The export's code loads on the first click: it is no part of the list's first paint. The GUIDs
  // are gathered then too, not on every keystroke.
  const exportChosen = async () => {
    const exportGuids = picked > 0 ? [...selection.selected] : rows.length !== data.length ? rows.map((environment) => environment.guid) : undefined;
    const count = exportGuids?.length ?? data.length;
    setExporting(true);
    try {
      const { exportEnvironments, saveFile } = await import('./transfer/transfer-api');
      saveFile(await exportEnvironments(exportGuids), 'environments.yaml');
      announce(`Exported ${searchCountText(count, count)} as environments.yaml.`);
    } catch (error) {
      announce(`The environments were not exported. ${errorMessage(error)}`, 'error');
    } finally {
      setExporting(false);
    }
  };

  if (environments.isPending) return <TableSkeleton />;
  if (environments.isError) {
    return (
      <LoadError what="The environments" error={environments.error} onRetry={() => void environments.refetch()} panel />
    );
  }
  const importDialog = importing && (
    <Suspense fallback={null}>
      <ImportDialog onClose={() => setImporting(false)} />
    </Suspense>
  );
  if (data.length === 0) {
    return (
      <>
        <EmptyState canWrite={canWrite} />
        {canTransfer && (
          <p className="muted">
            Or{' '}
            <button type="button" className="button button-small" onClick={() => setImporting(true)}>
              Import a file…
            </button>{' '}
            written by Export or <span className="mono">envdesk environments export</span>.
          </p>
        )}
        {importDialog}
      </>
    );
  }

  const count = searchCountText(rows.length, data.length);
  const sortText = describeSort(sort);

  return (
    <section className="environments" aria-label="Environment list" data-search={query}>
      <div className="toolbar">
        <div className="search-field">
          <label htmlFor="environment-search">Search environments</label>
          <input
            ref={search}
            id="environment-search"
            type="search"
            value={query}
            placeholder="Words, versions (3.11) or filters: python:3.11 r:>=4.3 image:ghcr.io managed:file"
            autoComplete="off"
            spellCheck={false}
            aria-describedby={parsed.hints.length > 0 ? 'environment-count environment-search-hints' : 'environment-count'}
            onChange={(event) => setQuery(event.target.value)}
          />
        </div>
        <p id="environment-count" className="toolbar-count" role="status">
          {count}
        </p>
        <p className="visually-hidden" aria-live="polite">
          {sortText}
        </p>
        {canTransfer && (
          <div className="toolbar-actions">
            {picked > 0 && (
              <button type="button" className="button button-quiet" onClick={selection.clear}>
                Clear selection
              </button>
            )}
            <button type="button" className="button" onClick={() => void exportChosen()} disabled={exporting || (picked === 0 && rows.length === 0)}>
              {exporting ? 'Exporting…' : exportLabel}
            </button>
            <button type="button" className="button" onClick={() => setImporting(true)}>
              Import…
            </button>
          </div>
        )}
      </div>
      <SearchHints id="environment-search-hints" hints={parsed.hints} />
      <SearchFilters text={query} query={parsed} onChoose={chooseQuery} showManaged={showManaged} />
      {rows.length === 0 ? (
        <div className="state-panel">
          <p>No environments match “{query.trim()}”.</p>
          <p className="muted">
            Search looks at titles, descriptions, image names, GUIDs, supervisor paths and installation versions; terms such as
            python:3.11, r:&gt;=4.3, image:…, managed:file and matching:exact filter.
          </p>
          <button type="button" className="button" onClick={() => chooseQuery('')}>
            Clear search
          </button>
        </div>
      ) : (
        <SearchHighlightContext.Provider value={parsed}>
        <RowSelectionProvider value={selection}>
        <DataTable
          label="Environments"
          columns={columns}
          rows={rows}
          getRowId={(environment) => environment.guid}
          sorting={sorting}
          onSortingChange={onSortingChange}
          rowHeight={ROW_HEIGHT}
          height="max(22rem, calc(100vh - 19rem))"
          highlightId={justAdded}
        />
        </RowSelectionProvider>
        </SearchHighlightContext.Provider>
      )}
      {importDialog}
      {deleting && (
        <Suspense fallback={null}>
          <DeleteEnvironmentDialog environment={deleting} onConfirm={confirmDelete} onCancel={() => setDeleting(null)} />
        </Suspense>
      )}
    </section>
  );
}

function EmptyState({ canWrite }: { canWrite: boolean }) {
  return (
    <div className="state-panel state-empty">
      <h2>No environments yet</h2>
      {canWrite ? (
        <>
          <p className="muted">An environment describes a container image and the Python, R and Quarto installations inside it.</p>
          <Link to="/environments/new" className="button button-primary">
            Add the first environment
          </Link>
        </>
      ) : (
        <p className="muted">No environments are available to you yet. Ask an administrator to add one or to give you access.</p>
      )}
    </div>
  );
}

function TableSkeleton() {
  return (
    <div className="skeleton" aria-busy="true">
      <p role="status" className="visually-hidden">
        Loading environments…
      </p>
      <div className="skeleton-toolbar" />
      {Array.from({ length: 6 }, (_, index) => (
        <div key={index} className="skeleton-row" />
      ))}
    </div>
  );
}
