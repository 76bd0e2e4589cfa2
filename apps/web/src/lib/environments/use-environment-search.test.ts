import { describe, expect, it } from 'vitest';
import { searchCountText } from './use-environment-search';

describe('the count beside an environment search', () => {
  it.each([
    [1, 1, '1 environment'],
    [12, 12, '12 environments'],
    [3, 12, '3 of 12 environments'],
    [0, 1, '0 of 1 environment'],
    [1200, 2500, '1,200 of 2,500 environments'],
  ])('%i shown of %i reads "%s"', (shown, total, text) => {
    expect(searchCountText(shown, total)).toBe(text);
  });
});
