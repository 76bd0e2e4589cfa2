import { describe, expect, it } from 'vitest';
import { decodeRanges, rangesOf } from './store.js';

describe('the ids announced on the event feed', () => {
  it('travel as runs, whatever order they were appended in', () => {
    expect(rangesOf([5, 3, 4, 9, 10, 12])).toEqual([[3, 5], [9, 10], [12, 12]]);
    expect(decodeRanges('3-5,9-10,12')).toEqual([[3, 5], [9, 10], [12, 12]]);
  });

  it('ignore a payload someone else NOTIFYed on the channel', () => {
    for (const hostile of ['', 'x', '1-', '-1', '5-3', '1,,2', '1;drop table audit_events', '9'.repeat(16), '1-2-3', ' 1']) {
      expect(decodeRanges(hostile), hostile).toEqual([]);
    }
  });
});
