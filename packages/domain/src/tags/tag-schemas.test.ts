import { describe, expect, it } from 'vitest';
import { parseContentSearch } from '../content/search-schemas.js';
import { ancestorsOf, wouldCycle } from './tag-schemas.js';

describe('the tag tree', () => {
  // 1 ← 2 ← 3, and 4 alone.
  const parents = new Map<number, number | null>([
    [1, null],
    [2, 1],
    [3, 2],
    [4, null],
  ]);

  it('lists ancestors nearest first', () => {
    expect(ancestorsOf(3, parents)).toEqual([2, 1]);
    expect(ancestorsOf(1, parents)).toEqual([]);
  });

  it('sees a cycle in a move under itself or a descendant, and none elsewhere', () => {
    expect(wouldCycle(1, 1, parents)).toBe(true);
    expect(wouldCycle(1, 3, parents)).toBe(true);
    expect(wouldCycle(3, 1, parents)).toBe(false);
    expect(wouldCycle(1, 4, parents)).toBe(false);
  });

  it('ends the walk on a stored cycle instead of looping', () => {
    expect(ancestorsOf(5, new Map([[5, 6], [6, 5]]))).toEqual([6]);
  });
});

describe('parseContentSearch', () => {
  it('reads words, quoted phrases and the owner', () => {
    expect(parseContentSearch('Sea "Bream Report" owner:@me')).toEqual({ words: ['sea', 'bream report'], owner: '@me' });
    expect(parseContentSearch(undefined)).toEqual({ words: [], owner: null });
    expect(parseContentSearch('"owner:x"')).toEqual({ words: ['owner:x'], owner: null });
  });
});
