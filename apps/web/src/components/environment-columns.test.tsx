import { anEnvironment } from '@envdesk/domain/testing';
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeLayout } from '../testing/layout';
import { CARDS_QUERY, DataTable } from './data-table';
import { displayTitle, environmentColumnHelper, imageColumn, matchingColumn, versionColumn, versionsOf } from './environment-columns';

const installs = (...versions: string[]) => ({ installations: versions.map((version) => ({ version, path: `/opt/python/${version}/bin/python` })) });

const twoPythons = anEnvironment({
  title: 'Two Pythons',
  name: 'registry.example.com/data-science/notebook-runtime-with-a-long-name:r4.4-py3.12',
  python: installs('3.11.9', '3.12.4'),
  r: { installations: [] },
  quarto: { installations: [] },
});

const columns = [
  environmentColumnHelper.accessor(displayTitle, { id: 'title', header: 'Title', meta: { card: 'full' } }),
  imageColumn(),
  versionColumn('python'),
  versionColumn('r'),
  matchingColumn(),
];

function renderTable() {
  render(
    <DataTable label="Environments" columns={columns} rows={[twoPythons]} getRowId={(row) => row.guid} sorting={[]} onSortingChange={() => undefined} rowHeight={56} />,
  );
  return screen.getByRole('table', { name: 'Environments' });
}

/** Pretends the window is `narrow` (below 640 px) or not, for the card layout's media query. */
function windowIs(narrow: boolean) {
  vi.spyOn(window, 'matchMedia').mockImplementation(
    (query: string) =>
      ({
        matches: narrow && query === CARDS_QUERY,
        media: query,
        addEventListener: () => undefined,
        removeEventListener: () => undefined,
      }) as unknown as MediaQueryList,
  );
}

let restoreLayout: () => void;
beforeAll(() => {
  restoreLayout = fakeLayout();
});
afterAll(() => restoreLayout());
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('versions of one language', () => {
  it('are all listed, in order, joined by commas', () => {
    expect(versionsOf(twoPythons, 'python')).toBe('3.11.9, 3.12.4');
    expect(versionsOf(twoPythons, 'r')).toBe('');
  });

  it('show every installation in the cell, not the first cut short, with the whole list as the tooltip', () => {
    windowIs(false);
    const table = renderTable();
    const cell = table.querySelector('td[data-column="python"]');
    const versions = within(cell as HTMLElement).getByText('3.11.9, 3.12.4');
    expect(versions.getAttribute('title')).toBe('3.11.9, 3.12.4');
    // Wrapping after a comma, not one line ending in an ellipsis.
    expect(versions.classList.contains('truncate')).toBe(false);
    expect(within(table.querySelector('td[data-column="r"]') as HTMLElement).getByText('none')).toBeTruthy();
  });
});

describe('the image', () => {
  it('keeps its tag in view and gives the full name as tooltip and accessible text', () => {
    windowIs(false);
    const table = renderTable();
    const image = table.querySelector('td[data-column="name"] .middle-truncate');
    expect(image?.getAttribute('title')).toBe(twoPythons.name);
    expect(image?.querySelector('.middle-truncate-end')?.textContent).toBe(':r4.4-py3.12');
    expect(within(table).getByText(twoPythons.name).className).toBe('visually-hidden');
  });
});

describe('the layout', () => {
  it('is a table of rows in a wide window', () => {
    windowIs(false);
    renderTable();
    expect(screen.getByRole('region', { name: 'Environments (scrollable)' }).dataset['layout']).toBe('table');
  });

  it('is cards below 640 px: still a table to screen readers, each cell but the title and image labelled with its column', () => {
    windowIs(true);
    const table = renderTable();
    expect(screen.getByRole('region', { name: 'Environments (scrollable)' }).dataset['layout']).toBe('cards');
    const row = within(table).getAllByRole('row')[1] as HTMLElement;
    const labels = [...row.querySelectorAll('td')].map((cell) => cell.dataset['label'] ?? null);
    expect(labels).toEqual([null, null, 'Python', 'R', 'Matching']);
    expect(within(row).getAllByRole('cell')).toHaveLength(5);
    expect(within(table).getAllByRole('columnheader').map((header) => header.textContent)).toEqual(['Title', 'Image', 'Python', 'R', 'Matching']);
  });
});
