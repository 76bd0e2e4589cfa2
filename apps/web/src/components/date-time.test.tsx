import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DateTime, formatCompactDateTime, formatDateTime } from './date-time';

afterEach(cleanup);

// Built from local date parts, so the expectations hold in any time zone the tests run in.
const local = (...parts: [number, number, number, number, number, number?]) => new Date(...parts).toISOString();

describe('times', () => {
  it('read as a date and a time, with seconds where asked', () => {
    expect(formatDateTime(local(2026, 10, 30, 17, 54))).toBe('30 Nov 2026, 17:54');
    expect(formatDateTime(local(2026, 10, 30, 17, 54, 9), { seconds: true })).toBe('30 Nov 2026, 17:54:09');
  });

  it('leave out the year in a narrow column when it is this one, and the time when it is not', () => {
    const now = new Date(2026, 10, 30, 18, 0);
    expect(formatCompactDateTime(local(2026, 0, 2, 9, 5), now)).toBe('2 Jan, 09:05');
    expect(formatCompactDateTime(local(2025, 11, 31, 23, 59), now)).toBe('31 Dec 2025');
  });

  it('keep the whole time as the tooltip of a compact one, and as the machine-readable value', () => {
    const value = local(2024, 2, 1, 12, 30);
    render(<DateTime value={value} compact />);
    const time = screen.getByText('1 Mar 2024');
    expect(time.tagName).toBe('TIME');
    expect(time.getAttribute('title')).toBe('1 Mar 2024, 12:30');
    expect(time.getAttribute('datetime')).toBe(value);
  });
});
