import type { Environment } from '@envdesk/domain';
import { anEnvironment } from '@envdesk/domain/testing';
import { describe, expect, it } from 'vitest';
import { type EnvironmentSort, DEFAULT_SORT, describeSort, formatSort, parseSort, sortEnvironments, sortFromSorting } from './environment-sort';

const install = (...versions: string[]) => ({ installations: versions.map((version) => ({ version, path: `/opt/x/${version}/bin/x` })) });
const none = { installations: [] };

const alpha = anEnvironment({
  guid: 'aaaaaaaa-0000-4000-8000-000000000001',
  title: 'alpha',
  name: 'registry.example.com/zeta:1',
  python: install('3.9.2', '3.10.12'),
  r: none,
  quarto: install('1.3.450'),
  matching: 'exact',
  managed_by: 'config-file',
  updated_time: '2026-03-01T10:00:00Z',
});
const beta = anEnvironment({
  guid: 'aaaaaaaa-0000-4000-8000-000000000002',
  title: 'Beta',
  name: 'ghcr.io/org/beta:1',
  python: install('3.9.14'),
  r: install('4.4.2'),
  quarto: none,
  matching: 'none',
  managed_by: null,
  updated_time: '2026-01-01T10:00:00Z',
});
const untitled = anEnvironment({
  guid: 'aaaaaaaa-0000-4000-8000-000000000003',
  title: null,
  name: 'docker.io/charlie:2',
  python: none,
  r: install('4.10.0'),
  quarto: install('1.5.57'),
  matching: 'any',
  managed_by: null,
  updated_time: '2026-02-01T10:00:00Z',
});
const all = [beta, untitled, alpha];
const label = (environment: Environment) => environment.title ?? environment.name;
const sorted = (sort: EnvironmentSort) => sortEnvironments(all, sort).map(label);

describe('sorting environments', () => {
  it.each<[EnvironmentSort, string[]]>([
    [{ column: 'title', descending: false }, ['alpha', 'Beta', 'docker.io/charlie:2']],
    [{ column: 'title', descending: true }, ['docker.io/charlie:2', 'Beta', 'alpha']],
    [{ column: 'name', descending: false }, ['docker.io/charlie:2', 'Beta', 'alpha']],
    // Versions compare as versions (3.10 > 3.9.14), by the newest installation; none installed goes last.
    [{ column: 'python', descending: false }, ['Beta', 'alpha', 'docker.io/charlie:2']],
    [{ column: 'python', descending: true }, ['alpha', 'Beta', 'docker.io/charlie:2']],
    [{ column: 'r', descending: true }, ['docker.io/charlie:2', 'Beta', 'alpha']],
    [{ column: 'quarto', descending: false }, ['alpha', 'docker.io/charlie:2', 'Beta']],
    [{ column: 'matching', descending: false }, ['docker.io/charlie:2', 'alpha', 'Beta']],
    [{ column: 'managed', descending: true }, ['alpha', 'Beta', 'docker.io/charlie:2']],
    [{ column: 'updated', descending: true }, ['alpha', 'docker.io/charlie:2', 'Beta']],
  ])('%j gives %j', (sort, expected) => {
    expect(sorted(sort)).toEqual(expected);
  });

  it('breaks ties by title, whatever order the server sent', () => {
    const twins = [anEnvironment({ title: 'b', matching: 'any' }), anEnvironment({ title: 'a', matching: 'any' })];
    expect(sortEnvironments(twins, { column: 'matching', descending: true }).map(label)).toEqual(['a', 'b']);
  });

  it('returns a copy and leaves its input alone', () => {
    const input = [...all];
    sortEnvironments(input, { column: 'title', descending: true });
    expect(input).toEqual(all);
  });
});

describe('the sort in the URL', () => {
  it.each<[string | null, EnvironmentSort | null]>([
    [null, null],
    ['', null],
    ['title', { column: 'title', descending: false }],
    ['-title', { column: 'title', descending: true }],
    ['-updated', { column: 'updated', descending: true }],
    ['python', { column: 'python', descending: false }],
    ['bogus', null],
    ['--title', null],
  ])('%j reads as %j', (value, sort) => {
    expect(parseSort(value)).toEqual(sort);
  });

  it.each<[EnvironmentSort, string]>([
    [DEFAULT_SORT, 'title'],
    [{ column: 'title', descending: true }, '-title'],
    [{ column: 'r', descending: false }, 'r'],
  ])('%j writes as %j', (sort, value) => {
    expect(formatSort(sort)).toBe(value);
  });
});

describe("the table's sort state", () => {
  it.each<[Array<{ id: string; desc: boolean }>, EnvironmentSort | null]>([
    [[{ id: 'python', desc: true }], { column: 'python', descending: true }],
    [[{ id: 'title', desc: false }], { column: 'title', descending: false }],
    [[{ id: 'compatibility', desc: false }], null],
    [[], null],
  ])('%j reads as %j', (sorting, sort) => {
    expect(sortFromSorting(sorting)).toEqual(sort);
  });

  it('is told to screen-reader users in a sentence', () => {
    expect(describeSort(DEFAULT_SORT)).toBe('Sorted by Title, ascending.');
    expect(describeSort({ column: 'name', descending: true })).toBe('Sorted by Image, descending.');
  });
});
