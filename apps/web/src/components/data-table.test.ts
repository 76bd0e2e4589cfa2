import { describe, expect, it } from 'vitest';
import { tableMinWidth } from './data-table';

describe('the least width of a table', () => {
  it('is its fixed columns plus a readable least for each of the others, so no title is squeezed away', () => {
    expect(tableMinWidth(['5.75rem', undefined, '6.5rem', undefined])).toBe('30.25rem');
    expect(tableMinWidth([undefined])).toBe('9rem');
  });

  it('leaves out widths that are a share of the table, as they shrink with it', () => {
    expect(tableMinWidth(['18%', '4rem', undefined])).toBe('13rem');
  });
});
