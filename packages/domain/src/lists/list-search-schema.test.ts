import { describe, expect, it } from 'vitest';
import { ListSearchSchema } from './list-search-schema.js';

describe('a list search in an address', () => {
  it.each([
    [{}, {}],
    [{ q: '3.11' }, { q: '3.11' }],
    [{ q: 'r 4.4', sort: '-updated' }, { q: 'r 4.4', sort: '-updated' }],
    [{ sort: 'title' }, { sort: 'title' }],
    // An edited address shows the list in its default order instead of an error.
    [{ sort: 'title; drop' }, {}],
    [{ sort: '--title' }, {}],
    [{ q: ['a', 'b'] }, {}],
    [{ other: 'x' }, {}],
  ])('%j reads as %j', (search, expected) => {
    const parsed = ListSearchSchema.parse(search);
    expect(Object.fromEntries(Object.entries(parsed).filter(([, value]) => value !== undefined))).toEqual(expected);
  });
});
