/**
 * A mark that moves whenever the database may have changed since it was last read, or undefined
 * when no such mark can be had now (PostgreSQL, where another replica may write at any moment
 * without this process knowing; an open transaction on the connection).
 */
export type ChangeMark = () => string | undefined;

/** Found results kept per key; past this many (distinct credentials between two writes) they start over. */
const MOST_KEPT = 1_000;

/**
 * `read`, with each found result kept while the database's change mark stays where it was when it
 * was read: the same read under the same mark gives the same rows, so it is answered from memory.
 * Any write (by this process or another) moves the mark and empties what is kept. Misses are not
 * kept, so callers guessing keys cannot fill memory with them; nor is anything kept without a mark.
 * Values are shared between callers: nobody may change them.
 */
export function keptWhileUnchanged<Key, Value>(mark: ChangeMark | undefined, read: (key: Key) => Promise<Value | undefined>) {
  if (!mark) return read;
  const kept = new Map<Key, Value>();
  let keptAt: string | undefined;
  return async (key: Key): Promise<Value | undefined> => {
    const now = mark();
    if (now === undefined) return read(key);
    if (now !== keptAt) {
      kept.clear();
      keptAt = now;
    }
    const known = kept.get(key);
    if (known !== undefined) return known;
    const value = await read(key);
    // Read synchronously on SQLite outside a transaction, so nothing can have written in between;
    // were the read to wait, a write meanwhile would have moved the mark, and the value is not kept.
    if (value !== undefined && mark() === now) {
      if (kept.size >= MOST_KEPT) kept.clear();
      kept.set(key, value);
    }
    return value;
  };
}
