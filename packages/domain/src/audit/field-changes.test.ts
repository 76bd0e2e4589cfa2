import { describe, expect, it } from 'vitest';
import { fieldChanges, sameValue } from './field-changes.js';

describe('fieldChanges', () => {
  it('lists the fields that differ, in the order asked, with both values', () => {
    const changes = fieldChanges<{ a: number; b: string; c: boolean }>({ a: 1, b: 'x', c: true }, { a: 2, b: 'x', c: false }, ['c', 'a', 'b']);
    expect(changes).toEqual([
      { field: 'c', before: true, after: false },
      { field: 'a', before: 1, after: 2 },
    ]);
  });

  it('treats a missing record as nulls: a creation lists what has a value, a deletion what had one', () => {
    expect(fieldChanges<{ a: number; b: string | null }>(null, { a: 1, b: null }, ['a', 'b'])).toEqual([{ field: 'a', before: null, after: 1 }]);
    expect(fieldChanges<{ a: number }>({ a: 1 }, null, ['a'])).toEqual([{ field: 'a', before: 1, after: null }]);
  });

  it('compares structured values by content, whatever the order of their keys', () => {
    const stored = { installations: [{ path: '/opt/python/3.11/bin/python', version: '3.11.9' }] };
    const sent = { installations: [{ version: '3.11.9', path: '/opt/python/3.11/bin/python' }] };
    expect(sameValue(stored, sent)).toBe(true);
    expect(fieldChanges({ python: stored }, { python: sent }, ['python'])).toEqual([]);
    expect(sameValue({ installations: [] }, { installations: [{ version: '3.12.1', path: '/p' }] })).toBe(false);
  });
});
