import type { Environment } from '@envdesk/domain';
import type { DataColumns } from '../../../components/data-table';
import { displayTitle, environmentColumnHelper as helper, imageColumn, matchingColumn, versionColumn } from '../../../components/environment-columns';
import { Link } from '@tanstack/react-router';
import { ManagedBadge } from './managed-badge';

const updatedFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

export interface EnvironmentColumnsOptions {
  /** Administrators get a Delete action per row. */
  readonly canWrite: boolean;
  /** The declarative file, when the viewer may know its path. */
  readonly managedFile: string | null;
  /** The Managed column: only where an environments file is configured (otherwise every row would say no). */
  readonly showManaged: boolean;
  readonly onDelete: (environment: Environment) => void;
}

/** The Environments table's columns; their ids are the `?sort=` values (environment-sort.ts). */
export function environmentColumns({ canWrite, managedFile, showManaged, onDelete }: EnvironmentColumnsOptions): DataColumns<Environment> {
  const columns = helper.columns([
    helper.accessor(displayTitle, {
      id: 'title',
      header: 'Title',
      cell: (info) => {
        const environment = info.row.original;
        return (
          <div className="title-cell">
            <Link to="/environments/$guid" params={{ guid: environment.guid }} className="title-link truncate">
              {info.getValue()}
            </Link>
            {environment.description && (
              <span className="title-description truncate" title={environment.description}>
                {environment.description}
              </span>
            )}
          </div>
        );
      },
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
            cell: (info) => <ManagedBadge environment={info.row.original} file={managedFile} />,
            meta: { width: '10rem' },
          }),
        ]
      : []),
    helper.accessor('updated_time', {
      id: 'updated',
      header: 'Updated',
      sortDescFirst: true,
      cell: (info) => (
        <time dateTime={info.getValue()} className="nowrap">
          {updatedFormat.format(new Date(info.getValue()))}
        </time>
      ),
      meta: { width: '11.25rem' },
    }),
  ]);
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
          <button type="button" className="button button-small button-quiet-danger" onClick={() => onDelete(environment)}>
            Delete<span className="visually-hidden"> {displayTitle(environment)}</span>
          </button>
        );
      },
      meta: { width: '5.5rem', className: 'cell-actions' },
    }),
  ];
}
