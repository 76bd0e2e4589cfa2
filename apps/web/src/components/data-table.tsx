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
import { type ReactNode, useEffect, useRef } from 'react';

/**
 * The one table of the app (STYLE.md, rule 7): TanStack Table for columns, headers and sort state,
 * TanStack Virtual so only the rows in view are in the DOM. A real `<table>` with spacer rows keeps
 * table semantics for assistive technology; `aria-rowcount` / `aria-rowindex` give the full size.
 * Rows arrive already searched and sorted (sorting is manual): the feature owns that logic as pure,
 * tested functions, and a keystroke costs one scan instead of a re-sort.
 */

export interface DataColumnMeta {
  /** CSS width of the column (`12rem`, `18%`); the rest share what is left. */
  readonly width?: string;
  readonly className?: string;
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
  /** Height of the scrolling area (CSS). */
  readonly height?: string;
  /** A row to bring into view and mark (one just added), by its id. */
  readonly highlightId?: string | null;
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
  const { label, columns, rows, getRowId, sorting, onSortingChange, rowHeight, height, highlightId = null } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const table = useTable({
    features: dataTableFeatures,
    columns: columns as Array<ColumnDef<DataTableFeatures, Row, unknown>>,
    data: rows,
    getRowId,
    state: { sorting },
    onSortingChange: (updater) => onSortingChange(functionalUpdate(updater, sorting)),
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
  });
  const tableRows = table.getRowModel().rows;
  // The app does not use the React Compiler, which is what this rule protects; the table re-renders on each change.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: tableRows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    getItemKey: (index) => tableRows[index]?.id ?? index,
    overscan: 8,
  });
  // Scrolled to once, when the row is first there: the person scrolls on from it afterwards.
  const highlightIndex = highlightId === null ? -1 : tableRows.findIndex((row) => row.id === highlightId);
  const scrolledTo = useRef<string | null>(null);
  useEffect(() => {
    if (highlightId === null || highlightIndex < 0 || scrolledTo.current === highlightId) return;
    scrolledTo.current = highlightId;
    virtualizer.scrollToIndex(highlightIndex, { align: 'center' });
    // The page as well: the table may start below the fold.
    scroller.current?.scrollIntoView?.({ block: 'nearest' });
  }, [highlightId, highlightIndex, virtualizer]);
  const items = virtualizer.getVirtualItems();
  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = items.length > 0 ? virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0) : 0;
  const columnCount = table.getAllLeafColumns().length;

  return (
    <div ref={scroller} className="data-table" role="region" aria-label={`${label} (scrollable)`} tabIndex={0} style={{ height }}>
      <table aria-label={label} aria-rowcount={tableRows.length + 1}>
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
                return (
                  <th key={header.id} scope="col" className={meta?.className} aria-sort={ariaSort(header.column.getIsSorted())}>
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
            const row = tableRows[item.index];
            if (!row) return null;
            return (
              <tr
                key={row.id}
                aria-rowindex={item.index + 2}
                style={{ height: rowHeight }}
                className={row.id === highlightId ? 'row-highlight' : undefined}
                data-highlighted={row.id === highlightId ? 'true' : undefined}
              >
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} className={cell.column.columnDef.meta?.className}>
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
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
