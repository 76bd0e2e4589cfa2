import {
  type AuditAuthor,
  type AuditEvent,
  AuditEventSchema,
  type AuditSubjectType,
  EnvironmentStateSchema,
  FieldChangeSchema,
  type NewAuditEvent,
} from '@envdesk/domain';
import type { Kysely, Selectable } from 'kysely';
import * as z from 'zod/mini';
import { readJson, readValue } from '../db/columns.js';
import type { AuditEventsTable, Database } from '../db/schema.js';

/** Few enough bound values per statement for both dialects (14 columns a row). */
const CHUNK = 200;
const FieldChangesSchema = z.array(FieldChangeSchema);

/** "Full Name (username)", as Connect describes the user behind an audit entry. */
function describeUser(user: { username: string; first_name: string; last_name: string }): string {
  const name = `${user.first_name} ${user.last_name}`.trim();
  return name ? `${name} (${user.username})` : user.username;
}

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
          user_description: user ? describeUser(user) : `user ${author.guid}`,
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
    async listForSubject(subjectType: AuditSubjectType, guid: string, { limit = 100 }: { limit?: number } = {}): Promise<AuditEvent[]> {
      const rows = await db
        .selectFrom('audit_events')
        .selectAll()
        .where('subject_type', '=', subjectType)
        .where('subject_guid', '=', guid)
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toEvent);
    },
  };
}
export type AuditStore = ReturnType<typeof createAuditStore>;
