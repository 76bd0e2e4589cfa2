import type { Environment, Language } from '@envdesk/domain';
import { type DataColumns, createDataColumnHelper } from '../../../components/data-table';
import { Link } from '../../../lib/router';
import { environmentHref } from '../environments-view';
import { ManagedBadge } from './managed-badge';

const helper = createDataColumnHelper<Environment>();

const versionsOf = (environment: Environment, language: Language): string =>
  environment[language].installations.map((installation) => installation.version).join(', ');

const MATCHING_LABELS = { any: 'Any', exact: 'Exact', none: 'None' } as const;

const updatedFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

export const displayTitle = (environment: Environment): string => environment.title ?? environment.name;

function Versions({ text }: { text: string }) {
  if (!text) {
    return (
      <span className="muted">
        <span aria-hidden="true">—</span>
        <span className="visually-hidden">none</span>
      </span>
    );
  }
  return (
    <span className="truncate" title={text}>
      {text}
    </span>
  );
}

const versionColumn = (language: Language, header: string) =>
  helper.accessor((environment) => versionsOf(environment, language), {
    id: language,
    header,
    cell: (info) => <Versions text={info.getValue()} />,
    meta: { width: '5.75rem' },
  });

export interface EnvironmentColumnsOptions {
  /** Administrators get a Delete action per row. */
  readonly canWrite: boolean;
  /** The declarative file, when the viewer may know its path. */
  readonly managedFile: string | null;
  readonly onDelete: (environment: Environment) => void;
}

/** The Environments table's columns; their ids are the `?sort=` values (environment-sort.ts). */
export function environmentColumns({ canWrite, managedFile, onDelete }: EnvironmentColumnsOptions): DataColumns<Environment> {
  const columns = helper.columns([
    helper.accessor(displayTitle, {
      id: 'title',
      header: 'Title',
      cell: (info) => {
        const environment = info.row.original;
        return (
          <div className="title-cell">
            <Link to={environmentHref(environment.guid)} className="title-link truncate">
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
    helper.accessor('name', {
      id: 'name',
      header: 'Image',
      cell: (info) => (
        <span className="mono truncate" title={info.getValue()}>
          {info.getValue()}
        </span>
      ),
    }),
    versionColumn('python', 'Python'),
    versionColumn('r', 'R'),
    versionColumn('quarto', 'Quarto'),
    helper.accessor('matching', {
      id: 'matching',
      header: 'Matching',
      cell: (info) => <span className={`pill pill-${info.getValue()}`}>{MATCHING_LABELS[info.getValue()]}</span>,
      meta: { width: '6.5rem' },
    }),
    helper.accessor((environment) => (environment.managed_by ? 'file' : ''), {
      id: 'managed',
      header: 'Managed',
      cell: (info) => <ManagedBadge environment={info.row.original} file={managedFile} />,
      meta: { width: '10rem' },
    }),
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
