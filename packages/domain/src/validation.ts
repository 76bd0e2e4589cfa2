import * as z from 'zod/mini';
import { $ZodError } from 'zod/v4/core';
import english from 'zod/v4/locales/en.js';
import { ApiError, ErrorCode, type Result, err, ok } from './errors.js';

/** Every control character: C0 (NUL, ESC …), DEL and C1. */
const ANY_CONTROL = /^[^\p{Cc}]*$/u;
/** The same, but tab, line feed and carriage return, which multi-line text is made of. */
const CONTROL_BUT_LINE_BREAKS = /^[\P{Cc}\t\n\r]*$/u;

export const CONTROL_CHARACTERS_MESSAGE = 'must not contain control characters';

/**
 * zod/mini (the classic API does not tree-shake, and the web app carries every schema) comes
 * without messages: this gives the API, the forms and the settings zod's English ones, such as
 * "Too big: expected string to have <=255 characters". Set here, where messages are made into
 * ApiErrors, so every caller of the domain gets them. The locale, like `$ZodError` above, is imported
 * by its own path: reached through the `z` namespace, the server's bundler (esbuild) keeps all of
 * zod's core and its forty locales, 500 kB parsed at every start.
 */
z.config(english());

/**
 * The one rule for every text field a client sends (issue 9 § 3): no control characters. NUL is
 * refused by PostgreSQL and kept by SQLite, so without the rule the same request failed on one
 * database and was stored on the other; the others (ESC, DEL, C1 …) are invisible in the UI and
 * rewrite a terminal that shows the log. `trim` removes surrounding white space first, so a pasted
 * trailing newline is trimmed rather than refused.
 */
export function lineOfText({ trim = false }: { trim?: boolean } = {}) {
  return z.string().check(...(trim ? [z.trim()] : []), z.regex(ANY_CONTROL, CONTROL_CHARACTERS_MESSAGE));
}

/**
 * The largest id a record can have: ids are PostgreSQL `serial` columns (32-bit), and SQLite's
 * row ids stay within the same range. A larger number names no record, and must not reach
 * PostgreSQL, which refuses it as out of range.
 */
export const MAX_RECORD_ID = 2_147_483_647;

/** A record id as Connect writes them (`"42"`), or null when the text cannot name a record. */
export function parseRecordId(text: string): number | null {
  if (!/^\d{1,10}$/.test(text)) return null;
  const id = Number(text);
  return id >= 1 && id <= MAX_RECORD_ID ? id : null;
}

/** Text that may run over several lines (descriptions): tab, newline and carriage return are kept. */
export function multiLineText() {
  return z.string().check(z.regex(CONTROL_BUT_LINE_BREAKS, CONTROL_CHARACTERS_MESSAGE));
}

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
 * `schema.safeParse(input)` for input a caller may have made hostile. zod gathers each item's
 * issues into its parent's with a spread, so a list wrong in some 200,000 ways (a 2 MB body or
 * environments file holds that many) overflows the stack; that input is refused as one issue at
 * its root instead of failing the request as a server error.
 */
export function safeParseHostile<S extends z.ZodMiniType>(schema: S, input: unknown): z.core.util.SafeParseResult<z.output<S>> {
  try {
    return schema.safeParse(input);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const issue = { code: 'custom' as const, path: [], message: 'holds too many wrong values to list', input };
    return { success: false, error: new $ZodError([issue]) as $ZodError<z.output<S>> };
  }
}

/**
 * Parses `input`, or returns an ApiError in Connect's shape naming the first wrong field
 * (`payload.field`) and listing every problem found (`payload.issues`), so a form can mark each field.
 */
export function parseInput<S extends z.ZodMiniType>(
  schema: S,
  input: unknown,
  codeFor: (path: IssuePath) => ErrorCode = () => ErrorCode.BadRequest,
): Result<z.output<S>> {
  const parsed = safeParseHostile(schema, input);
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
export function parseOrThrow<S extends z.ZodMiniType>(
  schema: S,
  input: unknown,
  codeFor?: (path: IssuePath) => ErrorCode,
): z.output<S> {
  const result = parseInput(schema, input, codeFor);
  if (!result.ok) throw result.error;
  return result.value;
}
