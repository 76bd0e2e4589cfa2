import {
  type ColumnDef,
  type RowData,
  type SortDirection,
  type SortingState,
  createColumnHelper,
  functionalUpdate,
  metaHelper,
  rowSortingFeature,
  tableFeatures,
  useTable,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type ComponentType, type ReactNode, useCallback, useEffect, useMemo, useRef, useSyncExternalStore } from 'react';

/**
 * The one table of the app (STYLE.md, rule 7): TanStack Table for columns, headers and sort state,
 * TanStack Virtual so only the rows in view are in the DOM. A real `<table>` with spacer rows keeps
 * table semantics for assistive technology; `aria-rowcount` / `aria-rowindex` give the full size.
 * Rows arrive already searched and sorted (sorting is manual): the feature owns that logic as pure,
 * tested functions, and a keystroke costs one scan instead of a re-sort.
 *
 * Below 640 px the same table shows each row as a card (styles.css, `[data-layout='cards']`): cells
 * stack and wrap, each labelled with its column's header (`data-label`), while the table's roles stay
 * what screen readers navigate. Cards differ in height, so there the virtualizer measures each one,
 * starting from `cardHeight`; wide rows keep their one fixed height.
 */

export interface DataColumnMeta {
  /** CSS width of the column (`12rem`, `18%`); the rest share what is left. */
  readonly width?: string;
  readonly className?: string;
  /** In the card layout: `full` takes a line of its own without a label (a title, an image). */
  readonly card?: 'full';
  /** Drawn in the header cell before its sort button (a control of its own: a button may not hold one). */
  readonly headerStart?: ComponentType;
}

/** Where cards replace rows: phones and narrow windows (styles.css uses the same width). */
export const CARDS_QUERY = '(max-width: 639.98px)';

const subscribeToCards = (onChange: () => void) => {
  if (typeof window.matchMedia !== 'function') return () => undefined;
  const query = window.matchMedia(CARDS_QUERY);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
};
const cardsNow = () => typeof window.matchMedia === 'function' && window.matchMedia(CARDS_QUERY).matches;

/** Whether the window is narrow enough for cards; follows resizing and rotation. */
export function useCardLayout(): boolean {
  return useSyncExternalStore(subscribeToCards, cardsNow, () => false);
}

export const dataTableFeatures = tableFeatures({ rowSortingFeature, columnMeta: metaHelper<DataColumnMeta>() });
export type DataTableFeatures = typeof dataTableFeatures;

export const createDataColumnHelper = <Row extends RowData>() => createColumnHelper<DataTableFeatures, Row>();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each column keeps its own value type, as helper.columns() returns them
export type DataColumns<Row extends RowData> = ReadonlyArray<ColumnDef<DataTableFeatures, Row, any>>;

export interface DataTableProps<Row extends RowData> {
  /** The table's accessible name. */
  readonly label: string;
  readonly columns: DataColumns<Row>;
  /** Rows in display order; keep the array stable between renders that do not change it. */
  readonly rows: Row[];
  readonly getRowId: (row: Row) => string;
  readonly sorting: SortingState;
  readonly onSortingChange: (sorting: SortingState) => void;
  /** Fixed row height in pixels: rows are measured once, not one by one. */
  readonly rowHeight: number;
  /** A card's usual height in pixels (narrow windows), before it is measured. */
  readonly cardHeight?: number;
  /** Height of the scrolling area (CSS). */
  readonly height?: string;
  /** A row to bring into view and mark (one just added), by its id. */
  readonly highlightId?: string | null;
}

const indexKey = (index: number) => index;

/** The least a column without a width of its own gets (a title, an image) before the table scrolls sideways. */
const FLEXIBLE_MIN_REM = 9;

/**
 * The table's least width: its columns' fixed widths plus a readable least for each of the others.
 * With a fixed layout the columns without a width share what is left, which in a narrow window with
 * many fixed columns was nothing: a title squeezed to two letters. Widths other than rem (a share of
 * the table) are left out: they shrink with it.
 */
export function tableMinWidth(widths: ReadonlyArray<string | undefined>): string {
  let fixedRem = 0;
  let flexible = 0;
  for (const width of widths) {
    const rem = width === undefined ? null : /^(\d+(?:\.\d+)?)rem$/.exec(width);
    if (width === undefined) flexible += 1;
    else if (rem) fixedRem += Number(rem[1]);
  }
  return `${fixedRem + flexible * FLEXIBLE_MIN_REM}rem`;
}

function ariaSort(sorted: false | SortDirection): 'ascending' | 'descending' | 'none' {
  return sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none';
}

function SortIndicator({ direction }: { direction: false | SortDirection }): ReactNode {
  return (
    <svg className="sort-indicator" data-direction={direction || 'none'} viewBox="0 0 10 14" width="10" height="14" aria-hidden="true">
      <path className="sort-up" d="M5 1 9 6H1z" />
      <path className="sort-down" d="M5 13 1 8h8z" />
    </svg>
  );
}

export function DataTable<Row extends RowData>(props: DataTableProps<Row>) {
  const { label, columns, rows, getRowId, sorting, onSortingChange, rowHeight, cardHeight = rowHeight * 3, height, highlightId = null } = props;
  const cards = useCardLayout();
  // The virtualizer recomputes every row's position whenever its key function changes, so the key
  // function changes only with the rows. Fixed-height rows need no key but their place; measured
  // cards keep their size by row.
  const rowIdOf = useRef(getRowId);
  rowIdOf.current = getRowId;
  const rowKey = useCallback(
    (index: number) => {
      const row = rows[index];
      return row === undefined ? index : rowIdOf.current(row);
    },
    [rows],
  );
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: useCallback(() => (cards ? cardHeight : rowHeight), [cards, cardHeight, rowHeight]),
    getItemKey: cards ? rowKey : indexKey,
    overscan: cards ? 3 : 5,
  });
  // Sizes measured in one layout are wrong in the other.
  const shownLayout = useRef(cards);
  useEffect(() => {
    if (shownLayout.current === cards) return;
    shownLayout.current = cards;
    virtualizer.measure();
  }, [cards, virtualizer]);
  // Scrolled to once, when the row is first there: the person scrolls on from it afterwards.
  const highlightIndex = highlightId === null ? -1 : rows.findIndex((row) => getRowId(row) === highlightId);
  const scrolledTo = useRef<string | null>(null);
  useEffect(() => {
    if (highlightId === null || highlightIndex < 0 || scrolledTo.current === highlightId) return;
    scrolledTo.current = highlightId;
    virtualizer.scrollToIndex(highlightIndex, { align: 'center' });
    // The page as well: the table may start below the fold.
    scroller.current?.scrollIntoView?.({ block: 'nearest' });
  }, [highlightId, highlightIndex, virtualizer]);
  const items = virtualizer.getVirtualItems();
  // The table's row model is built for the rows in view only: built for every row it cost a
  // keystroke tens of milliseconds at 50,000 environments (bench:ui-search), for rows never shown.
  const firstIndex = items[0]?.index ?? 0;
  const endIndex = (items.at(-1)?.index ?? -1) + 1;
  const inView = useMemo(() => rows.slice(firstIndex, endIndex), [rows, firstIndex, endIndex]);
  const table = useTable({
    features: dataTableFeatures,
    columns: columns as Array<ColumnDef<DataTableFeatures, Row, unknown>>,
    data: inView,
    getRowId,
    state: { sorting },
    onSortingChange: (updater) => onSortingChange(functionalUpdate(updater, sorting)),
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
  });
  const tableRows = table.getRowModel().rows;
  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = items.length > 0 ? virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0) : 0;
  const columnCount = table.getAllLeafColumns().length;
  const minWidth = useMemo(() => tableMinWidth(columns.map((column) => column.meta?.width)), [columns]);

  return (
    <div
      ref={scroller}
      className="data-table"
      data-layout={cards ? 'cards' : 'table'}
      role="region"
      aria-label={`${label} (scrollable)`}
      tabIndex={0}
      style={{ height }}
    >
      <table aria-label={label} aria-rowcount={rows.length + 1} style={cards ? undefined : { minWidth: `max(62rem, ${minWidth})` }}>
        <colgroup>
          {table.getAllLeafColumns().map((column) => (
            <col key={column.id} style={{ width: column.columnDef.meta?.width }} />
          ))}
        </colgroup>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} aria-rowindex={1}>
              {group.headers.map((header) => {
                const meta = header.column.columnDef.meta;
                if (!header.column.getCanSort()) {
                  return (
                    <th key={header.id} scope="col" className={meta?.className}>
                      {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                    </th>
                  );
                }
                const HeaderStart = meta?.headerStart;
                const text = header.column.columnDef.header;
                // With a control beside it, the column's name is its header text alone, not the control's label too.
                const name = HeaderStart && typeof text === 'string' ? text : undefined;
                return (
                  <th
                    key={header.id}
                    scope="col"
                    className={HeaderStart ? `${meta?.className ?? ''} th-with-start`.trim() : meta?.className}
                    aria-label={name}
                    aria-sort={ariaSort(header.column.getIsSorted())}
                  >
                    {HeaderStart && <HeaderStart />}
                    <button type="button" className="sort-button" onClick={header.column.getToggleSortingHandler()}>
                      <table.FlexRender header={header} />
                      <SortIndicator direction={header.column.getIsSorted()} />
                    </button>
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {paddingTop > 0 && (
            <tr aria-hidden="true" className="data-table-spacer">
              <td colSpan={columnCount} style={{ height: paddingTop }} />
            </tr>
          )}
          {items.map((item) => {
            const row = tableRows[item.index - firstIndex];
            if (!row) return null;
            return (
              <tr
                key={row.id}
                ref={cards ? virtualizer.measureElement : undefined}
                data-index={item.index}
                aria-rowindex={item.index + 2}
                style={cards ? undefined : { height: rowHeight }}
                className={row.id === highlightId ? 'row-highlight' : undefined}
                data-highlighted={row.id === highlightId ? 'true' : undefined}
              >
                {row.getAllCells().map((cell) => {
                  const { meta, header } = cell.column.columnDef;
                  return (
                    <td
                      key={cell.id}
                      className={meta?.className}
                      data-column={cell.column.id}
                      data-card={meta?.card}
                      data-label={meta?.card !== 'full' && typeof header === 'string' ? header : undefined}
                    >
                      <table.FlexRender cell={cell} />
                    </td>
                  );
                })}
              </tr>
            );
          })}
          {paddingBottom > 0 && (
            <tr aria-hidden="true" className="data-table-spacer">
              <td colSpan={columnCount} style={{ height: paddingBottom }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
