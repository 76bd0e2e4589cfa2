import type { CompiledQuery } from 'kysely';

/**
 * A query compiled once and run with new parameters each time. Kysely builds and compiles a query
 * anew on every run, and for the small reads every request makes (its API key, the caller's groups,
 * the environments revision) that cost more than the database's own work. `build` is called once,
 * with `placeholders`; the compiled query must bind exactly those values, in that order, or the first
 * run throws (a query that inlined a value, or bound another, cannot be reused this way).
 */
export function precompiled<Row, P extends readonly unknown[]>(
  build: (...placeholders: P) => { compile(): CompiledQuery<Row> },
  ...placeholders: P
): (...parameters: P) => CompiledQuery<Row> {
  let compiled: CompiledQuery<Row> | null = null;
  return (...parameters) => {
    if (!compiled) {
      const candidate = build(...placeholders).compile();
      if (candidate.parameters.length !== placeholders.length || candidate.parameters.some((value, index) => value !== placeholders[index])) {
        throw new Error(`a precompiled query must bind its placeholders in order: ${candidate.sql}`);
      }
      compiled = candidate;
    }
    return { ...compiled, parameters };
  };
}

/** Runs a compiled read and answers its rows: the store's way to run the reads every request makes. */
export type ReadRows = <Row>(query: CompiledQuery<Row>) => Promise<readonly Row[]>;

/**
 * Reads through Kysely, or, when `readAtOnce` can answer at once, without it. On SQLite a read
 * outside any transaction is one synchronous call of the driver: Kysely would spend several times
 * that queueing it behind its connection lock and passing it through its layers of promises.
 * `readAtOnce` answers undefined when it must not run now (a transaction is open on the connection,
 * so the read would see its uncommitted writes): Kysely then runs it once the transaction is over.
 */
export function readRows(db: { executeQuery<Row>(query: CompiledQuery<Row>): Promise<{ rows: Row[] }> }, readAtOnce?: <Row>(query: CompiledQuery<Row>) => Row[] | undefined): ReadRows {
  return async <Row>(query: CompiledQuery<Row>) => readAtOnce?.(query) ?? (await db.executeQuery(query)).rows;
}
