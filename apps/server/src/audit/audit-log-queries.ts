import { type AuditLog, type AuditSearchCriterion, MAX_RECORD_ID, toAuditLog } from '@envdesk/domain';
import { type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from '../db/schema.js';

const LOG_COLUMNS = ['id', 'time', 'user_id', 'user_guid', 'user_description', 'action', 'event_description'] as const;

type Where = ExpressionBuilder<Database, 'audit_events'>;

/** Connect's user id of an entry: 0 for the system (the file, envdesk itself). */
const userIdOf = sql<number>`(case when user_guid is null then 0 else coalesce(user_id, 0) end)`;

/** `%` and `_` in a term are themselves, not wildcards. */
const containing = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function matches(eb: Where, criterion: AuditSearchCriterion) {
  switch (criterion.kind) {
    case 'term': {
      const pattern = containing(criterion.value);
      return eb.or(['user_description', 'action', 'event_description'].map((column) => sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`));
    }
    case 'action':
      return eb('action', 'in', criterion.values);
    case 'user_guid':
      // Coalesced, so that a negated filter keeps the system's entries (a NULL never matches NOT IN).
      return eb(eb.fn.coalesce('user_guid', sql.lit('')), 'in', criterion.values);
    case 'user_id':
      return eb(userIdOf, 'in', criterion.values);
    case 'from':
      return eb('time', '>=', criterion.value);
    case 'to':
      return eb('time', '<=', criterion.value);
  }
}

export interface KeysetRequest {
  readonly limit: number;
  readonly next?: number | undefined;
  readonly previous?: number | undefined;
  readonly ascOrder: boolean;
}

/** A page in the order asked, whether entries lie before and after it in that order, and its cursors. */
export interface KeysetPage {
  readonly results: AuditLog[];
  readonly cursors: { readonly previous: string | null; readonly next: string | null };
  /** The `previous` cursor of the last page: one past the last entry in the order asked. */
  readonly lastCursor: string | null;
}

/** Connect's audit log, read in the database: keyset pages over ids and searches with offset pages. */
export function createAuditLogQueries(db: Kysely<Database>) {
  const exists = async (where: (eb: Where) => ReturnType<Where>) =>
    (await db.selectFrom('audit_events').select('id').where(where).limit(1).executeTakeFirst()) !== undefined;

  return {
    async keysetPage({ limit, next, previous, ascOrder }: KeysetRequest): Promise<KeysetPage> {
      // In id terms: `upward` fetches ids above the cursor, nearest first.
      const cursor = next ?? previous;
      const upward = cursor === undefined ? ascOrder : (next !== undefined) === ascOrder;
      let query = db.selectFrom('audit_events').select([...LOG_COLUMNS]).orderBy('id', upward ? 'asc' : 'desc').limit(limit);
      if (cursor !== undefined) query = query.where('id', upward ? '>' : '<', cursor);
      const rows = (await query.execute()).sort((a, b) => (ascOrder ? a.id - b.id : b.id - a.id));

      const ids = rows.map((row) => row.id);
      const low = ids.length > 0 ? Math.min(...ids) : null;
      const high = ids.length > 0 ? Math.max(...ids) : null;
      // An empty page past either end still knows the way back.
      const below = low !== null ? await exists((eb) => eb('id', '<', low)) : cursor !== undefined && upward && (await exists((eb) => eb('id', '<=', cursor)));
      const above = high !== null ? await exists((eb) => eb('id', '>', high)) : cursor !== undefined && !upward && (await exists((eb) => eb('id', '>=', cursor)));
      const [before, after] = ascOrder ? [below, above] : [above, below];
      const clamp = (id: number) => String(Math.min(Math.max(id, 0), MAX_RECORD_ID + 1));
      const firstId = rows[0]?.id;
      const lastId = rows.at(-1)?.id;
      const step = ascOrder ? 1 : -1;

      let lastCursor: string | null = null;
      if (after) {
        const end = await db
          .selectFrom('audit_events')
          .select((eb) => (ascOrder ? eb.fn.max('id') : eb.fn.min('id')).as('id'))
          .executeTakeFirstOrThrow();
        lastCursor = clamp(Number(end.id) + step);
      }
      return {
        results: rows.map(toAuditLog),
        cursors: {
          previous: before ? clamp(firstId ?? cursor! + step) : null,
          next: after ? clamp(lastId ?? cursor! - step) : null,
        },
        lastCursor,
      };
    },

    /** Every criterion holds; `total` counts every match, `results` the page asked. */
    async search(criteria: readonly AuditSearchCriterion[], page: { offset: number; limit: number; order: 'asc' | 'desc' }): Promise<{ total: number; results: AuditLog[] }> {
      const where = (eb: Where) => eb.and(criteria.map((criterion) => (criterion.negated ? eb.not(matches(eb, criterion)) : matches(eb, criterion))));
      const base = criteria.length > 0 ? db.selectFrom('audit_events').where(where) : db.selectFrom('audit_events');
      const [rows, count] = await Promise.all([
        base.select([...LOG_COLUMNS]).orderBy('id', page.order).offset(page.offset).limit(page.limit).execute(),
        base.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { total: Number(count.n), results: rows.map(toAuditLog) };
    },
  };
}
