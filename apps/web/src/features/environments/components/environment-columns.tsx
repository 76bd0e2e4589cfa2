import type { Environment } from '@envdesk/domain';
import type { EnvironmentSummaries } from '../../../lib/environments/environment-sort';
import type { DataColumns } from '../../../components/data-table';
import { displayTitle, environmentColumnHelper as helper, imageColumn, matchingColumn, versionColumn } from '../../../components/environment-columns';
import { Link } from '@tanstack/react-router';
import { ManagedBadge } from './managed-badge';
import { Highlighted } from '../../../lib/environments/search-highlight';
import { VIA_LABELS } from '../history/via-labels';
import { truncatedTitleProps } from '../../../components/truncated-title';
import { SelectRow, SelectShown } from './row-selection';
import { DateTime } from '../../../components/date-time';

export interface EnvironmentColumnsOptions {
  /** Administrators get a Delete action per row. */
  readonly canWrite: boolean;
  /** The declarative file, when the viewer may know its path. */
  readonly managedFile: string | null;
  /** The Managed column: only where an environments file is configured (otherwise every row would say no). */
  readonly showManaged: boolean;
  readonly onDelete: (environment: Environment) => void;
  /**
   * Who changed each environment last and how much content uses it, for administrators (null for
   * others: no columns). An empty map while it loads, or if it failed: the cells say "—".
   */
  readonly summaries: EnvironmentSummaries | null;
  /**
   * A box beside each title and one in the Title header, to export the rows picked (inside a
   * RowSelectionProvider). In the Title column rather than one of their own: a column more would
   * leave the titles and images too little of a 1280-wide window.
   */
  readonly selectable?: boolean;
}

const countFormat = new Intl.NumberFormat('en');

function Unknown() {
  return (
    <span className="muted">
      <span aria-hidden="true">—</span>
      <span className="visually-hidden">unknown</span>
    </span>
  );
}

/** The Environments table's columns; their ids are the `?sort=` values (environment-sort.ts). */
export function environmentColumns({ canWrite, managedFile, showManaged, onDelete, summaries, selectable = false }: EnvironmentColumnsOptions): DataColumns<Environment> {
  const base = helper.columns([
    helper.accessor(displayTitle, {
      id: 'title',
      header: 'Title',
      cell: (info) => {
        const environment = info.row.original;
        const title = (
          <div className="title-cell">
            <Link to="/environments/$guid" params={{ guid: environment.guid }} className="title-link truncate" {...truncatedTitleProps}>
              <Highlighted text={info.getValue()} field="title" />
            </Link>
            {environment.description && (
              <span className="title-description truncate" title={environment.description}>
                {environment.description}
              </span>
            )}
          </div>
        );
        if (!selectable) return title;
        return (
          <div className="title-select">
            <SelectRow environment={environment} />
            {title}
          </div>
        );
      },
      meta: { card: 'full', headerStart: selectable ? SelectShown : undefined },
    }),
    imageColumn(),
    versionColumn('python'),
    versionColumn('r'),
    versionColumn('quarto'),
    matchingColumn(),
    ...(showManaged
      ? [
          helper.accessor((environment) => (environment.managed_by ? 'file' : ''), {
            id: 'managed',
            header: 'Managed',
            cell: (info) => <ManagedBadge environment={info.row.original} file={managedFile} compact />,
            meta: { width: '7rem' },
          }),
        ]
      : []),
    helper.accessor('updated_time', {
      id: 'updated',
      header: 'Updated',
      sortDescFirst: true,
      // Compact (the whole time is its tooltip): the width goes to the titles and images.
      cell: (info) => <DateTime value={info.getValue()} compact className="nowrap" />,
      meta: { width: '8rem' },
    }),
  ]);
  const columns = summaries ? [...base, ...summaryColumns(summaries)] : base;
  if (!canWrite) return columns;
  return [
    ...columns,
    helper.display({
      id: 'actions',
      header: () => <span className="visually-hidden">Actions</span>,
      enableSorting: false,
      cell: (info) => {
        const environment = info.row.original;
        if (environment.managed_by) return null;
        return (
          // Named in an attribute, not a hidden span: the visible word starts the name, and each row
          // in view costs the browser two nodes fewer to lay out on every keystroke.
          <button type="button" className="button button-small button-quiet-danger" aria-label={`Delete ${displayTitle(environment)}`} onClick={() => onDelete(environment)}>
            Delete
          </button>
        );
      },
      meta: { width: '5.5rem', className: 'cell-actions' },
    }),
  ];
}

/** The two columns from envdesk's summary; sorted by environment-sort.ts from the same map. */
function summaryColumns(summaries: EnvironmentSummaries): DataColumns<Environment> {
  return helper.columns([
    helper.accessor((environment) => summaries.get(environment.guid)?.last_changed?.user_description ?? '', {
      id: 'changed',
      header: 'Last changed by',
      cell: (info) => {
        const changed = summaries.get(info.row.original.guid)?.last_changed;
        if (!changed) return <Unknown />;
        const via = VIA_LABELS[changed.via];
        // envdesk's own changes are by envdesk: "envdesk · envdesk" would say it twice.
        if (via === changed.user_description) return <span className="truncate">{via}</span>;
        return (
          <span className="truncate" title={`${changed.user_description} (${via})`}>
            {changed.user_description} <span className="muted">· {via}</span>
          </span>
        );
      },
      meta: { width: '10rem' },
    }),
    helper.accessor((environment) => summaries.get(environment.guid)?.content_count ?? -1, {
      id: 'used',
      header: 'Used by',
      sortDescFirst: true,
      cell: (info) => {
        const count = summaries.get(info.row.original.guid)?.content_count;
        return count === undefined ? <Unknown /> : <span className="nowrap">{countFormat.format(count)} content</span>;
      },
      meta: { width: '7rem' },
    }),
  ]);
}
