import { createHash } from 'node:crypto';

/** 2^64: row hashes are summed modulo this. */
const MODULUS = 1n << 64n;

/**
 * A checksum of a table's rows that does not depend on their order: the sum of each row's hash.
 * SQLite reads rows in rowid order and PostgreSQL in its own, so an ordered checksum would need
 * both to sort the same way — and their text collations do not.
 */
export class TableChecksum {
  #sum = 0n;
  #rows = 0;

  add(row: Record<string, unknown>): void {
    const hash = createHash('sha256');
    for (const column of Object.keys(row).sort()) {
      const value = row[column];
      hash.update(`${column}=`);
      if (value === null || value === undefined) hash.update('n;');
      else if (typeof value === 'number' || typeof value === 'bigint') hash.update(`i${String(value)};`);
      else if (typeof value === 'string') hash.update(`s${Buffer.byteLength(value)}:`).update(value).update(';');
      else if (value instanceof Uint8Array) hash.update(`b${value.byteLength}:`).update(value).update(';');
      else throw new Error(`column ${column} holds a ${typeof value}, which a copy does not know how to compare`);
    }
    this.#sum = (this.#sum + hash.digest().readBigUInt64BE(0)) % MODULUS;
    this.#rows++;
  }

  get rows(): number {
    return this.#rows;
  }

  /** Sixteen hex digits. */
  get value(): string {
    return this.#sum.toString(16).padStart(16, '0');
  }
}
