import {
  type ChangeAuthor,
  type AuditAuthor,
  type AuditEvent,
  AuditEventSchema,
  type AuditSubjectType,
  AuditViaSchema,
  EnvironmentStateSchema,
  FieldChangeSchema,
  type NewAuditEvent,
  userLabel,
} from '@envdesk/domain';
import type { Kysely, Selectable } from 'kysely';
import * as z from 'zod/mini';
import { readJson, readValue } from '../db/columns.js';
import type { AuditEventsTable, Database } from '../db/schema.js';
import { createAuditLogQueries } from './audit-log-queries.js';

/** Few enough bound values per statement for both dialects (14 columns a row). */
const CHUNK = 200;
const FieldChangesSchema = z.array(FieldChangeSchema);

const authorColumns = ['subject_guid', 'time', 'user_guid', 'user_description', 'via'] as const;
const toAuthors = (rows: ReadonlyArray<{ subject_guid: string | null; time: string; user_guid: string | null; user_description: string; via: string }>) => {
  const authors = new Map<string, ChangeAuthor>();
  for (const { subject_guid, via, ...author } of rows) {
    // Newest first: the first row of a subject is its latest.
    if (subject_guid !== null && !authors.has(subject_guid)) authors.set(subject_guid, { ...author, via: AuditViaSchema.parse(via) });
  }
  return authors;
};

function toEvent(row: Selectable<AuditEventsTable>): AuditEvent {
  const where = (column: string) => `audit_events ${row.id} ${column}`;
  return readValue(
    AuditEventSchema,
    {
      ...row,
      changes: readJson(FieldChangesSchema, row.changes, where('changes')),
      state: row.state === null ? null : readJson(EnvironmentStateSchema, row.state, where('state')),
    },
    where('row'),
  );
}

/** The record of every change (issue 13 § 1): appended in the change's transaction, never edited. */
export function createAuditStore(db: Kysely<Database>, announce: (ids: readonly number[]) => Promise<void> = async () => undefined) {
  /** Who the author is, as the event records it; a user who no longer exists is named by GUID. */
  async function who(author: AuditAuthor) {
    switch (author.kind) {
      case 'user': {
        const user = await db
          .selectFrom('users')
          .select(['id', 'username', 'first_name', 'last_name'])
          .where('guid', '=', author.guid)
          .executeTakeFirst();
        return {
          user_guid: author.guid,
          user_id: user?.id ?? null,
          user_description: user ? userLabel(user) : `user ${author.guid}`,
          via: author.via,
          file: null,
        };
      }
      case 'file':
        return { user_guid: null, user_id: null, user_description: author.file ? `environments file ${author.file}` : 'environments file', via: 'file' as const, file: author.file };
      case 'system':
        return { user_guid: null, user_id: null, user_description: 'envdesk', via: 'system' as const, file: null };
    }
  }

  return {
    ...createAuditLogQueries(db),

    /** Appends `events`, all by `author` at `now`, in the order given; answers their ids. */
    async append(author: AuditAuthor, events: readonly NewAuditEvent[], now: string): Promise<number[]> {
      if (events.length === 0) return [];
      const by = await who(author);
      const ids: number[] = [];
      for (let start = 0; start < events.length; start += CHUNK) {
        const rows = await db
          .insertInto('audit_events')
          .values(
            events.slice(start, start + CHUNK).map((event) => ({
              ...by,
              time: now,
              action: event.action,
              subject_type: event.subject_type,
              subject_guid: event.subject_guid,
              subject_name: event.subject_name,
              event_description: event.event_description,
              changes: JSON.stringify(event.changes),
              state: event.state === null ? null : JSON.stringify(event.state),
            })),
          )
          .returning('id')
          .execute();
        ids.push(...rows.map((row) => row.id));
      }
      // Open event streams learn of them once the change commits (events/event-hub.ts).
      await announce(ids);
      return ids;
    },

    /** The highest id so far (0 when there is none): where a new reader of the feed starts. */
    async latestId(): Promise<number> {
      const row = await db.selectFrom('audit_events').select(({ fn }) => fn.max('id').as('id')).executeTakeFirst();
      return Number(row?.id ?? 0);
    },

    /** The events with these ids, oldest first. */
    async listInRanges(ranges: ReadonlyArray<readonly [number, number]>): Promise<AuditEvent[]> {
      if (ranges.length === 0) return [];
      const rows = await db
        .selectFrom('audit_events')
        .selectAll()
        .where((eb) => eb.or(ranges.map(([first, last]) => (first === last ? eb('id', '=', first) : eb.between('id', first, last)))))
        .orderBy('id')
        .execute();
      return rows.map(toEvent);
    },

    /** Up to `limit` events after `id`, oldest first: what a reconnecting stream missed. */
    async listAfter(id: number, limit: number): Promise<AuditEvent[]> {
      const rows = await db.selectFrom('audit_events').selectAll().where('id', '>', id).orderBy('id').limit(limit).execute();
      return rows.map(toEvent);
    },

    async find(id: number): Promise<AuditEvent | null> {
      const row = await db.selectFrom('audit_events').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toEvent(row) : null;
    },

    /** The events about one record, newest first. */
    /** Newest first; `before`: only events older than that id (the next page of a history). */
    async listForSubject(subjectType: AuditSubjectType, guid: string, { limit = 100, before }: { limit?: number; before?: number } = {}): Promise<AuditEvent[]> {
      let query = db.selectFrom('audit_events').selectAll().where('subject_type', '=', subjectType).where('subject_guid', '=', guid);
      if (before !== undefined) query = query.where('id', '<', before);
      const rows = await query.orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toEvent);
    },

    /** Who made the latest change of each record of a kind, by its GUID. */
    async latestAuthors(subjectType: AuditSubjectType): Promise<Map<string, ChangeAuthor>> {
      const latest = db
        .selectFrom('audit_events')
        .select(({ fn }) => fn.max('id').as('id'))
        .where('subject_type', '=', subjectType)
        .groupBy('subject_guid');
      const rows = await db.selectFrom('audit_events').select(authorColumns).where('id', 'in', latest).execute();
      return toAuthors(rows);
    },

    /** Who made the latest event of `action` about each of these records, by GUID. */
    async authorsOf(action: string, subjectGuids: readonly string[]): Promise<Map<string, ChangeAuthor>> {
      const rows = [];
      for (let start = 0; start < subjectGuids.length; start += CHUNK) {
        rows.push(
          ...(await db
            .selectFrom('audit_events')
            .select(authorColumns)
            .where('action', '=', action)
            .where('subject_guid', 'in', subjectGuids.slice(start, start + CHUNK))
            .orderBy('id', 'desc')
            .execute()),
        );
      }
      return toAuthors(rows);
    },
  };
}
export type AuditStore = ReturnType<typeof createAuditStore>;
