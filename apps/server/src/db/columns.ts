import { formatPath, issueMessage } from '@envdesk/domain';
import type * as z from 'zod/mini';

/**
 * How stores read and write the columns schema.ts stores as text and integers: booleans as 0/1,
 * structured fields as JSON text. Only stores use these; services see the domain's types.
 */

export function readFlag(value: number): boolean;
export function readFlag(value: number | null): boolean | null;
export function readFlag(value: number | null): boolean | null {
  return value === null ? null : value === 1;
}

export function writeFlag(value: boolean): number;
export function writeFlag(value: boolean | null): number | null;
export function writeFlag(value: boolean | null): number | null {
  return value === null ? null : value ? 1 : 0;
}

/**
 * A stored value the domain's schema rejects: the database was changed outside envdesk, or a rule
 * has tightened since the value was written. Reading it fails loudly (a 500 naming the record and
 * the field) instead of handing a service something its types do not describe.
 */
export class StoredDataError extends Error {
  override readonly name = 'StoredDataError';
}

/** `where` names the record and column, e.g. `environments 12 python`. */
export function readValue<S extends z.ZodMiniType>(schema: S, value: unknown, where: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const field = formatPath(issue.path);
    return field ? `${field}: ${issueMessage(issue, value)}` : issueMessage(issue, value);
  });
  throw new StoredDataError(`The stored ${where} does not match its schema: ${problems.join('; ')}.`);
}

/** JSON text from a column, parsed; for a value checked by the caller (a bundle's manifest). */
export function readJsonText(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new StoredDataError(`The stored ${where} is not JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** JSON text from a column, parsed and checked by the domain's schema for it. */
export function readJson<S extends z.ZodMiniType>(schema: S, text: string, where: string): z.output<S> {
  return readValue(schema, readJsonText(text, where), where);
}
