import * as z from 'zod/mini';
import { MAX_RECORD_ID, lineOfText } from '../validation.js';
import { AUDIT_ACTIONS } from './audit-actions.js';

/** Long enough for any query a person writes; the SQL a query makes stays small. */
export const MAX_AUDIT_QUERY_LENGTH = 2048;
const MAX_CRITERIA = 50;

/**
 * One part of an audit log search (Connect's `q`): a term that the user's description, the action
 * or the event's description holds, or a filter. Every criterion must hold; `negated` (a leading
 * `-`) asks for entries it does not hold for. Filter values are any-of.
 */
export type AuditSearchCriterion = { readonly negated: boolean } & (
  | { readonly kind: 'term'; readonly value: string }
  | { readonly kind: 'action'; readonly values: readonly string[] }
  | { readonly kind: 'user_guid'; readonly values: readonly string[] }
  /** 0 is the system: the environments file and envdesk itself. */
  | { readonly kind: 'user_id'; readonly values: readonly number[] }
  /** Inclusive bounds, as the stored times read (`2026-01-02T03:04:05Z`, to the second). */
  | { readonly kind: 'from' | 'to'; readonly value: string }
);

const FILTERS = ['action', 'user_guid', 'user_id', 'from', 'to'] as const;
const KNOWN_ACTIONS = new Set(AUDIT_ACTIONS.map((entry) => entry.action));
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

class SearchSyntaxError extends Error {}

/** Shown in messages without letting a hostile query fill them. */
const shown = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

/**
 * An RFC 3339 time as the stored times read, rounded so that the bound stays inclusive of what
 * the stored second means: a `from` with a fraction moves up to the next second, a `to` down.
 */
function boundary(key: 'from' | 'to', text: string): string {
  const match = RFC3339.exec(text);
  if (!match) throw new SearchSyntaxError(`${key}: ${shown(text)} is not an RFC 3339 time such as 2026-01-02T03:04:05Z`);
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(local);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || check.getUTCHours() !== hour || check.getUTCMinutes() !== minute) {
    throw new SearchSyntaxError(`${key}: ${shown(text)} is not a real date and time`);
  }
  const offset = match[8] ? (match[8] === '-' ? -1 : 1) * (Number(match[9]) * 60 + Number(match[10])) * 60_000 : 0;
  const fraction = match[7] !== undefined && /[1-9]/.test(match[7]) && key === 'from' ? 1000 : 0;
  const time = local - offset + fraction;
  if (!Number.isFinite(time) || time < 0 || time > 253_402_300_799_000) throw new SearchSyntaxError(`${key}: ${shown(text)} is out of range`);
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function filter(key: (typeof FILTERS)[number], values: string[], negated: boolean): AuditSearchCriterion {
  switch (key) {
    case 'action':
      return {
        kind: key,
        negated,
        values: values.map((value) => {
          const action = value.toLowerCase();
          if (!KNOWN_ACTIONS.has(action)) throw new SearchSyntaxError(`action: ${shown(value)} is not an action envdesk records (GET /v1/audit/actions lists them)`);
          return action;
        }),
      };
    case 'user_guid':
      return {
        kind: key,
        negated,
        values: values.map((value) => {
          if (!GUID.test(value.toLowerCase())) throw new SearchSyntaxError(`user_guid: ${shown(value)} is not a GUID`);
          return value.toLowerCase();
        }),
      };
    case 'user_id':
      return {
        kind: key,
        negated,
        values: values.map((value) => {
          const id = /^\d{1,10}$/.test(value) ? Number(value) : -1;
          if (id < 0 || id > MAX_RECORD_ID) throw new SearchSyntaxError(`user_id: ${shown(value)} is not a user id (0 is the system)`);
          return id;
        }),
      };
    case 'from':
    case 'to':
      if (values.length !== 1) throw new SearchSyntaxError(`${key}: takes one time, not a list`);
      return { kind: key, negated, value: boundary(key, values[0]!) };
  }
}

/**
 * Reads Connect's audit search syntax: free terms (`"two words"` quoted), `key:value,value`
 * filters whose values may be quoted, and `-` before either to negate it. Anything it cannot
 * read — an unbalanced quote, an unknown filter, a value of the wrong kind — is an error naming
 * it, never a query that silently means something else.
 */
export function parseAuditSearch(q: string): { ok: true; value: AuditSearchCriterion[] } | { ok: false; message: string } {
  const criteria: AuditSearchCriterion[] = [];
  let at = 0;
  const space = (c: string | undefined) => c === undefined || /\s/.test(c);

  /** A quoted run (at the opening quote) or a bare one, ending at white space, or also at `,` in a filter. */
  function readValue(inFilter: boolean): string {
    if (q[at] === '"') {
      const close = q.indexOf('"', at + 1);
      if (close < 0) throw new SearchSyntaxError(`the quote at character ${at + 1} is never closed`);
      const value = q.slice(at + 1, close);
      at = close + 1;
      if (!space(q[at]) && !(inFilter && q[at] === ',')) throw new SearchSyntaxError(`a quoted value must be followed by a space${inFilter ? ' or a comma' : ''} (character ${at + 1})`);
      return value;
    }
    const start = at;
    while (!space(q[at]) && !(inFilter && q[at] === ',')) {
      if (q[at] === '"') throw new SearchSyntaxError(`unexpected quote at character ${at + 1}: quote a whole value`);
      at += 1;
    }
    return q.slice(start, at);
  }

  try {
    for (;;) {
      while (at < q.length && space(q[at])) at += 1;
      if (at >= q.length) break;
      if (criteria.length === MAX_CRITERIA) throw new SearchSyntaxError(`holds more than ${MAX_CRITERIA} terms and filters`);
      const negated = q[at] === '-';
      if (negated) {
        at += 1;
        if (space(q[at])) throw new SearchSyntaxError(`"-" at character ${at} must be followed by a term or filter`);
      }
      const key = /^([A-Za-z_][A-Za-z0-9_]*):/.exec(q.slice(at, at + 64));
      if (!key) {
        const value = readValue(false).trim().toLowerCase();
        if (value) criteria.push({ kind: 'term', negated, value });
        continue;
      }
      const name = key[1]!.toLowerCase();
      if (!(FILTERS as readonly string[]).includes(name)) {
        throw new SearchSyntaxError(`${shown(key[1]!)} is not a filter; the filters are ${FILTERS.join(', ')} (quote a term that holds a colon)`);
      }
      at += key[0].length;
      const values: string[] = [];
      for (;;) {
        const value = readValue(true).trim();
        if (!value) throw new SearchSyntaxError(`${name}: needs a value`);
        values.push(value);
        if (q[at] !== ',') break;
        at += 1;
      }
      criteria.push(filter(name as (typeof FILTERS)[number], values, negated));
    }
  } catch (error) {
    if (error instanceof SearchSyntaxError) return { ok: false, message: error.message };
    throw error;
  }
  return { ok: true, value: criteria };
}

const pageNumber = z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(MAX_RECORD_ID)), 1);

/** `GET /v1/search/auditlogs`: the query, read into criteria, and an offset page. */
export const AuditSearchQuerySchema = z.object({
  q: z._default(
    z.pipe(
      lineOfText().check(z.maxLength(MAX_AUDIT_QUERY_LENGTH, `must be at most ${MAX_AUDIT_QUERY_LENGTH} characters`)),
      z.transform((q, ctx) => {
        const parsed = parseAuditSearch(q);
        if (parsed.ok) return parsed.value;
        ctx.issues.push({ code: 'custom', message: parsed.message, input: q });
        return z.NEVER;
      }),
    ),
    [],
  ),
  page_number: pageNumber,
  page_size: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(500)), 20),
  order: z._default(z.enum(['asc', 'desc']), 'asc'),
});
export type AuditSearchQuery = z.infer<typeof AuditSearchQuerySchema>;
