import type { Environment } from '@envdesk/domain';
import { useId, useMemo, useState } from 'react';
import { type DataColumns, DataTable, useCardLayout } from '../../../components/data-table';
import { truncatedTitleProps } from '../../../components/truncated-title';
import { displayTitle, environmentColumnHelper as helper, imageColumn, matchingColumn, versionColumn } from '../../../components/environment-columns';
import { DEFAULT_SORT, type EnvironmentSort, describeSort, formatSort, parseSort, sortFromSorting } from '../../../lib/environments/environment-sort';
import { type ListSort, formatListSort, parseListSort, useListSearch } from '../../../lib/list-search';
import { searchCountText, useEnvironmentSearch } from '../../../lib/environments/use-environment-search';
import { type ChoiceStatus, type EnvironmentChoice, isChoosable } from '../runtime-choices';

const ROW_HEIGHT = 60;
/** A card's usual height on a phone: title, description, compatibility, image, versions. */
const CARD_HEIGHT = 170;

const STATUS_LABELS = { compatible: 'Compatible', incompatible: 'Incompatible', disabled: 'Disabled', unchecked: 'Not checked' } as const;

/** Those that can run the content first, then those not judged, then those that cannot, then disabled ones. */
const STATUS_RANK: Record<ChoiceStatus, number> = { compatible: 0, unchecked: 1, incompatible: 2, disabled: 3 };

const COMPATIBILITY = 'compatibility';
type CompatibilitySort = ListSort<typeof COMPATIBILITY>;
/** The picker's orders: by compatibility (its own column, and its default), or any of the Environments tab's. */
type PickerSort = CompatibilitySort | EnvironmentSort;

const PICKER_DEFAULT_SORT: CompatibilitySort = { column: COMPATIBILITY, descending: false };

export const parsePickerSort = (value: string | undefined): PickerSort =>
  parseListSort(value, [COMPATIBILITY] as const) ?? parseSort(value) ?? PICKER_DEFAULT_SORT;

const isCompatibilitySort = (sort: PickerSort): sort is CompatibilitySort => sort.column === COMPATIBILITY;

const describePickerSort = (sort: PickerSort): string =>
  isCompatibilitySort(sort)
    ? `Sorted by compatibility, ${sort.descending ? 'those that cannot run it first' : 'those that can run it first'}.`
    : describeSort(sort);

/**
 * Rows in compatibility order; within one status they keep the order given (by title), since
 * Array.prototype.sort is stable.
 */
export function sortByCompatibility(rows: readonly Environment[], choices: ReadonlyMap<string, EnvironmentChoice>, descending: boolean): Environment[] {
  const rank = (environment: Environment) => STATUS_RANK[choices.get(environment.guid)?.status ?? 'unchecked'];
  const direction = descending ? -1 : 1;
  return [...rows].sort((a, b) => direction * (rank(a) - rank(b)));
}

interface PickerColumnsOptions {
  readonly choices: ReadonlyMap<string, EnvironmentChoice>;
  readonly selectedGuid: string | null;
  readonly onSelect: (guid: string) => void;
  /** The radio group's name and the prefix of the ids that tie each radio to its status. */
  readonly idPrefix: string;
}

const statusId = (prefix: string, guid: string) => `${prefix}-status-${guid}`;

/** A radio to choose with, the title, what the server said about the environment, then the Environments tab's columns. */
function pickerColumns({ choices, selectedGuid, onSelect, idPrefix }: PickerColumnsOptions): DataColumns<Environment> {
  return helper.columns([
    helper.display({
      id: 'choose',
      header: () => <span className="visually-hidden">Choose</span>,
      enableSorting: false,
      cell: (info) => {
        const environment = info.row.original;
        const choice = choices.get(environment.guid);
        const choosable = choice ? isChoosable(choice) : false;
        return (
          <input
            type="radio"
            className="picker-radio"
            name={idPrefix}
            value={environment.guid}
            checked={selectedGuid === environment.guid}
            disabled={!choosable}
            aria-label={displayTitle(environment)}
            aria-describedby={statusId(idPrefix, environment.guid)}
            onChange={() => onSelect(environment.guid)}
          />
        );
      },
      meta: { width: '3rem', className: 'cell-choose' },
    }),
    helper.accessor(displayTitle, {
      id: 'title',
      header: 'Title',
      meta: { width: '14rem', card: 'full' },
      cell: (info) => {
        const environment = info.row.original;
        return (
          <div className="title-cell">
            <span className="picker-title truncate" {...truncatedTitleProps}>
              {info.getValue()}
            </span>
            {environment.description && (
              <span className="title-description truncate" title={environment.description}>
                {environment.description}
              </span>
            )}
          </div>
        );
      },
    }),
    helper.accessor((environment) => STATUS_RANK[choices.get(environment.guid)?.status ?? 'unchecked'], {
      id: COMPATIBILITY,
      header: 'Compatibility',
      // The first click shows those that can run it first.
      sortDescFirst: false,
      cell: (info) => {
        const environment = info.row.original;
        const choice = choices.get(environment.guid);
        if (!choice) return null;
        const detail = choice.reasons.length > 0 ? choice.reasons.join(' ') : choice.uses.length > 0 ? `Uses ${choice.uses.join(', ')}.` : '';
        return (
          <div id={statusId(idPrefix, environment.guid)} className="compatibility" title={detail || undefined}>
            <span className={`pill pill-${choice.status}`}>{STATUS_LABELS[choice.status]}</span>
            {detail && <span className="compatibility-detail">{detail}</span>}
          </div>
        );
      },
      meta: { width: '17rem' },
    }),
    imageColumn(),
    versionColumn('python'),
    versionColumn('r'),
    versionColumn('quarto'),
    matchingColumn(),
  ]);
}

export interface EnvironmentPickerProps {
  /** The environments that may be offered, each with what the server said about it. */
  readonly choices: readonly EnvironmentChoice[];
  readonly selectedGuid: string | null;
  readonly onSelect: (guid: string) => void;
}

/**
 * The Runtime section's environment picker (seed "Dashboard selection": the same filter and sort
 * as the Environments tab). Every environment the content's owner may use is listed; those that
 * cannot run the content stay visible, cannot be chosen, and say why.
 */
export function EnvironmentPicker({ choices, selectedGuid, onSelect }: EnvironmentPickerProps) {
  const idPrefix = `picker${useId().replace(/:/g, '')}`;
  // The search and order live in the content page's address, as on the Environments tab.
  const { query, setQuery, sort: sortParam, chooseSort } = useListSearch();
  const sort = useMemo(() => parsePickerSort(sortParam), [sortParam]);
  // On at first: what cannot run the content is rarely what someone came to choose (issue 14).
  const [choosableOnly, setChoosableOnly] = useState(true);
  const someBlocked = choices.some((choice) => !isChoosable(choice));
  const environments = useMemo(
    () => choices.filter((choice) => !choosableOnly || isChoosable(choice)).map((choice) => choice.environment),
    [choices, choosableOnly],
  );
  const choiceByGuid = useMemo(() => new Map(choices.map((choice) => [choice.environment.guid, choice])), [choices]);
  const environmentSort = isCompatibilitySort(sort) ? DEFAULT_SORT : sort;
  const searched = useEnvironmentSearch(environments, environmentSort, query);
  const cards = useCardLayout();
  const rows = useMemo(
    () => (isCompatibilitySort(sort) ? sortByCompatibility(searched.rows, choiceByGuid, sort.descending) : searched.rows),
    [sort, searched.rows, choiceByGuid],
  );
  const sorting = useMemo(() => [{ id: sort.column, desc: sort.descending }], [sort]);
  const columns = useMemo(
    () => pickerColumns({ choices: choiceByGuid, selectedGuid, onSelect, idPrefix }),
    [choiceByGuid, selectedGuid, onSelect, idPrefix],
  );

  if (choices.length === 0) {
    return (
      <div className="state-panel">
        <p>No environments are available for this content.</p>
        <p className="muted">Ask an administrator to add one or to give the content&rsquo;s owner access, or use Automatic.</p>
      </div>
    );
  }

  const countId = `${idPrefix}-count`;
  return (
    <div className="picker-panel">
      <div className="toolbar">
        <div className="search-field">
          <label htmlFor={`${idPrefix}-search`}>Search environments</label>
          <input
            id={`${idPrefix}-search`}
            type="search"
            value={query}
            placeholder="Title, image, GUID, supervisor or version (e.g. 3.11)"
            autoComplete="off"
            spellCheck={false}
            aria-describedby={countId}
            onChange={(event) => setQuery(event.target.value)}
            // Enter in the search box must not submit the Runtime form.
            onKeyDown={(event) => {
              if (event.key === 'Enter') event.preventDefault();
            }}
          />
        </div>
        {someBlocked && (
          <div className="field field-check picker-filter">
            <input id={`${idPrefix}-choosable`} type="checkbox" checked={choosableOnly} onChange={(event) => setChoosableOnly(event.target.checked)} />
            <label htmlFor={`${idPrefix}-choosable`}>Only environments that can run it</label>
          </div>
        )}
        <p id={countId} className="toolbar-count" role="status">
          {searchCountText(rows.length, environments.length)}
        </p>
        <p className="visually-hidden" aria-live="polite">
          {describePickerSort(sort)}
        </p>
      </div>
      {rows.length === 0 && query.trim() === '' ? (
        <div className="state-panel">
          <p>None of the environments available can run the latest bundle.</p>
          <button type="button" className="button" onClick={() => setChoosableOnly(false)}>
            Show every environment
          </button>
        </div>
      ) : rows.length === 0 ? (
        <div className="state-panel">
          <p>No environments match “{query.trim()}”{choosableOnly ? ' among those that can run it' : ''}.</p>
          <button type="button" className="button" onClick={() => setQuery('')}>
            Clear search
          </button>
        </div>
      ) : (
        <DataTable
          label="Environments to choose from"
          columns={columns}
          rows={rows}
          getRowId={(environment) => environment.guid}
          sorting={sorting}
          onSortingChange={(next) => {
            const [first] = next;
            if (first?.id === COMPATIBILITY) return chooseSort(formatListSort({ column: COMPATIBILITY, descending: first.desc }));
            const chosen = sortFromSorting(next);
            if (chosen) chooseSort(formatSort(chosen));
          }}
          rowHeight={ROW_HEIGHT}
          cardHeight={CARD_HEIGHT}
          height={cards ? `min(${rows.length * CARD_HEIGHT + 120}px, 32rem)` : `min(${(rows.length + 1) * ROW_HEIGHT + 8}px, 28rem)`}
        />
      )}
    </div>
  );
}
