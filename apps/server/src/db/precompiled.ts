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
