import * as z from 'zod/mini';
import { type Actor, type EnvironmentGrant, can } from '../access/can.js';
import { type AuditEvent, AuditSubjectTypeSchema, AuditViaSchema } from './audit-schemas.js';

/**
 * One change as `GET /v1/events` sends it: enough for a page to know which of its queries went
 * stale and to say who changed what, never the change's fields (the page reads those through the
 * routes that check access to them). The SSE `id:` is the same `id`.
 */
export const LiveEventSchema = z.object({
  id: z.number().check(z.int()),
  time: z.string(),
  action: z.string(),
  subject_type: AuditSubjectTypeSchema,
  subject_guid: z.nullable(z.string()),
  subject_name: z.string(),
  user_guid: z.nullable(z.string()),
  user_description: z.string(),
  via: AuditViaSchema,
});
export type LiveEvent = z.infer<typeof LiveEventSchema>;

/** The file sync's banner state, sent as a `sync_status` event (not recorded: it is this process's own). */
export const LiveSyncStatusSchema = z.object({ failed: z.boolean(), pending_removal: z.boolean() });
export type LiveSyncStatus = z.infer<typeof LiveSyncStatusSchema>;

export const liveEventOf = (event: AuditEvent): LiveEvent => ({
  id: event.id,
  time: event.time,
  action: event.action,
  subject_type: event.subject_type,
  subject_guid: event.subject_guid,
  subject_name: event.subject_name,
  user_guid: event.user_guid,
  user_description: event.user_description,
  via: event.via,
});

/** Where a reconnecting stream resumes: an audit event id (EventSource sends it back as Last-Event-ID). */
export const EventIdSchema = z.string().check(z.regex(/^\d{1,15}$/, 'Expected an event id (digits).'));
export const EventsQuerySchema = z.object({ lastEventId: z.optional(EventIdSchema) });

/** What deciding who sees an event needs beyond the event: the environment's grants, the content's owner. */
export interface EventAudience {
  /** The environment's grants now, or as they were before it was deleted; absent when unknown. */
  readonly grants?: readonly EnvironmentGrant[];
  readonly ownerGuid?: string;
}

function namesThem(actor: Actor, value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const grant = value as Partial<EnvironmentGrant>;
  return grant.user_guid === actor.guid || (typeof grant.group_guid === 'string' && actor.groupGuids.includes(grant.group_guid));
}

/**
 * Whether `actor` may be told of `event` (issue 13 § 4): administrators of everything; publishers
 * of environments they may read (and of a grant to or from them, so a list gains or loses it) and
 * of their own content; nobody else of anything.
 */
export function canSeeEvent(actor: Actor, event: Pick<AuditEvent, 'subject_type' | 'changes'>, audience: EventAudience): boolean {
  if (can(actor, 'environments:read-all')) return true;
  if (!can(actor, 'events:read')) return false;
  switch (event.subject_type) {
    case 'environment':
      if (event.changes.some((change) => change.field === 'permissions' && (namesThem(actor, change.before) || namesThem(actor, change.after)))) return true;
      return audience.grants !== undefined && can(actor, 'environments:read', { grants: audience.grants });
    case 'content':
      return audience.ownerGuid !== undefined && audience.ownerGuid === actor.guid;
    default:
      return false;
  }
}
