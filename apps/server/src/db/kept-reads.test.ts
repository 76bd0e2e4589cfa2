import { describe, expect, it } from 'vitest';
import { keptWhileUnchanged } from './kept-reads.js';

/** A read that answers `table[key]` and counts its calls, under a mark the test moves by hand. */
function aKeptRead(table: Record<string, string>, initialMark: string | undefined) {
  let mark = initialMark;
  const reads: string[] = [];
  const read = keptWhileUnchanged(
    () => mark,
    async (key: string) => {
      reads.push(key);
      return table[key];
    },
  );
  return { read, reads, moveMark: (to: string | undefined) => (mark = to) };
}

describe('reads kept while the database is unchanged', () => {
  it('answers a second read of the same key from memory, and reads again once the mark moves', async () => {
    const table = { alice: 'admin' };
    const { read, reads, moveMark } = aKeptRead(table, 'm1');
    expect(await read('alice')).toBe('admin');
    expect(await read('alice')).toBe('admin');
    expect(reads).toEqual(['alice']);

    table.alice = 'locked';
    moveMark('m2');
    expect(await read('alice')).toBe('locked');
    expect(reads).toEqual(['alice', 'alice']);
  });

  it('keeps no miss, so a caller guessing keys reads the database each time and fills no memory', async () => {
    const { read, reads } = aKeptRead({}, 'm1');
    for (const guess of ['a', 'a', 'b']) expect(await read(guess)).toBeUndefined();
    expect(reads).toEqual(['a', 'a', 'b']);
  });

  it('reads every time when there is no mark to be had (an open transaction)', async () => {
    const { read, reads, moveMark } = aKeptRead({ alice: 'admin' }, undefined);
    await read('alice');
    await read('alice');
    moveMark('m1');
    await read('alice');
    await read('alice');
    expect(reads).toEqual(['alice', 'alice', 'alice']);
  });

  it('does not keep what was read while the mark moved', async () => {
    let mark = 'm1';
    const reads: string[] = [];
    const read = keptWhileUnchanged(
      () => mark,
      async (key: string) => {
        reads.push(key);
        // A write lands while this read waits its turn.
        mark = `${mark}+`;
        return 'before the write';
      },
    );
    await read('alice');
    await read('alice');
    expect(reads).toEqual(['alice', 'alice']);
  });

  it('reads through without a mark function at all (PostgreSQL)', async () => {
    const reads: string[] = [];
    const read = keptWhileUnchanged(undefined, async (key: string) => {
      reads.push(key);
      return 'found';
    });
    await read('alice');
    await read('alice');
    expect(reads).toEqual(['alice', 'alice']);
  });

  it('starts over past a thousand kept keys, still answering each right', async () => {
    const table = Object.fromEntries(Array.from({ length: 1_001 }, (_, i) => [`key-${i}`, `value-${i}`]));
    const { read, reads } = aKeptRead(table, 'm1');
    for (let i = 0; i <= 1_000; i += 1) expect(await read(`key-${i}`)).toBe(`value-${i}`);
    expect(await read('key-1000')).toBe('value-1000');
    expect(await read('key-0')).toBe('value-0');
    expect(reads.filter((key) => key === 'key-0')).toHaveLength(2);
    expect(reads.filter((key) => key === 'key-1000')).toHaveLength(1);
  });
});
