import * as z from 'zod/mini';
import { MAX_RECORD_ID } from '../validation.js';
import type { AuditEvent } from './audit-schemas.js';

/** One entry of Connect's audit log (`/v1/audit_logs`, `/v1/search/auditlogs`). */
export const AuditLogSchema = z.object({
  id: z.string(),
  time: z.string(),
  /** "0" for the system: the environments file and envdesk itself. */
  user_id: z.string(),
  user_guid: z.nullable(z.string()),
  user_description: z.string(),
  action: z.string(),
  event_description: z.string(),
});
export type AuditLog = z.infer<typeof AuditLogSchema>;

/** A recorded event as Connect's audit log shows it. */
export const toAuditLog = (event: Pick<AuditEvent, 'id' | 'time' | 'user_id' | 'user_guid' | 'user_description' | 'action' | 'event_description'>): AuditLog => ({
  id: String(event.id),
  time: event.time,
  user_id: String(event.user_guid === null ? 0 : (event.user_id ?? 0)),
  user_guid: event.user_guid,
  user_description: event.user_description,
  action: event.action,
  event_description: event.event_description,
});

/** A keyset cursor: the id of an entry, or one past either end (the `last` link points past the end). */
const CursorSchema = z.pipe(
  z.string().check(z.regex(/^\d{1,10}$/, 'must be a cursor from a previous page')),
  z.transform((text, ctx) => {
    const id = Number(text);
    if (id <= MAX_RECORD_ID + 1) return id;
    ctx.issues.push({ code: 'custom', message: 'must be a cursor from a previous page', input: text });
    return z.NEVER;
  }),
);

/** `GET /v1/audit_logs`: keyset paging, as Connect pages it. */
export const AuditLogsQuerySchema = z
  .object({
    limit: z._default(z.coerce.number().check(z.int(), z.gte(1, 'must be at least 1'), z.lte(500, 'must be at most 500')), 20),
    next: z.optional(CursorSchema),
    previous: z.optional(CursorSchema),
    ascOrder: z._default(
      z.pipe(
        z.enum(['true', 'false'], { error: 'must be true or false' }),
        z.transform((text) => text === 'true'),
      ),
      true,
    ),
  })
  .check(
    z.refine((query) => query.next === undefined || query.previous === undefined, { message: 'give next or previous, not both', path: ['previous'] }),
  );
export type AuditLogsQuery = z.infer<typeof AuditLogsQuerySchema>;

const Link = z.nullable(z.string());

/** The answer of `GET /v1/audit_logs`: a page, its cursors, and full URLs of the pages around it. */
export const AuditLogsPageSchema = z.object({
  results: z.array(AuditLogSchema),
  paging: z.object({
    cursors: z.object({ previous: Link, next: Link }),
    first: Link,
    previous: Link,
    next: Link,
    last: Link,
  }),
});
export type AuditLogsPage = z.infer<typeof AuditLogsPageSchema>;

export const AuditLogSearchResultsSchema = z.object({ total: z.number().check(z.int()), results: z.array(AuditLogSchema) });
export const AuditActionResultSchema = z.object({ action: z.string(), description: z.string() });
