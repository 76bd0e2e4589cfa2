import type { z } from 'zod';
import { ApiError, ErrorCode, type Result, err, ok } from './errors.js';

export type IssuePath = readonly PropertyKey[];

/** `['python', 'installations', 0, 'version']` → `python.installations[0].version` */
export function formatPath(path: IssuePath): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    return text ? `${text}.${String(key)}` : String(key);
  }, '');
}

function valueAt(input: unknown, path: IssuePath): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** A zod issue's message, saying "is required" when the field is simply missing. */
export function issueMessage(issue: z.core.$ZodIssue, input: unknown): string {
  const missing = issue.code === 'invalid_type' && issue.path.length > 0 && valueAt(input, issue.path) === undefined;
  return missing ? 'is required' : issue.message;
}

/**
 * Parses `input`, or returns an ApiError in Connect's shape naming the first wrong field
 * (`payload.field`) and listing every problem found (`payload.issues`), so a form can mark each field.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  codeFor: (path: IssuePath) => ErrorCode = () => ErrorCode.BadRequest,
): Result<z.output<S>> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const issues = parsed.error.issues.map((issue) => ({
    field: formatPath(issue.path),
    message: issueMessage(issue, input),
    path: issue.path,
  }));
  const first = issues[0]!;
  const subject = first.field || 'request body';
  return err(
    new ApiError(codeFor(first.path), `Invalid ${subject}: ${first.message}.`, {
      field: first.field || null,
      issues: issues.map(({ field, message }) => ({ field, message })),
    }),
  );
}

/** Like parseInput, but throws the ApiError: for the HTTP edge, where one middleware maps it. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  codeFor?: (path: IssuePath) => ErrorCode,
): z.output<S> {
  const result = parseInput(schema, input, codeFor);
  if (!result.ok) throw result.error;
  return result.value;
}
