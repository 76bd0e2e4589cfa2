import * as z from 'zod/mini';
import { EnvironmentSchema } from '../environments/environment-schemas.js';
import { AuditViaSchema, type EnvironmentState } from './audit-schemas.js';
import { EventIdSchema } from './live-events.js';

/** The history's longest page; its first page is this long unless `limit` says otherwise. */
export const HISTORY_PAGE_SIZE = 200;

/** `GET /v1/environments/{guid}/history`: newest first, `limit` at a time, older than event `before` when given. */
export const EnvironmentHistoryQuerySchema = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1, 'must be at least 1'), z.lte(500, 'must be at most 500')), HISTORY_PAGE_SIZE),
  before: z.optional(z.pipe(EventIdSchema, z.transform(Number))),
});
export type EnvironmentHistoryQuery = z.infer<typeof EnvironmentHistoryQuerySchema>;

/**
 * A kept state read back for a restore: exactly the audited fields, each checked by the
 * environment's own schema. A state that does not read (hand-edited, or from a later version)
 * restores nothing rather than something half-made.
 */
const RestorableStateSchema = z.pick(EnvironmentSchema, {
  name: true,
  title: true,
  description: true,
  matching: true,
  supervisor: true,
  managed_by: true,
  python: true,
  r: true,
  quarto: true,
  tensorflow: true,
  nodejs: true,
  volume_mounts: true,
});

/** The state a restore puts back, or null when `state` is missing or does not read as one. */
export function restorableState(state: unknown): EnvironmentState | null {
  if (state === null || state === undefined) return null;
  const parsed = RestorableStateSchema.safeParse(state);
  return parsed.success ? parsed.data : null;
}

/** Who made a change, as a list shows it next to the record. */
export const ChangeAuthorSchema = z.object({
  time: z.string(),
  user_guid: z.nullable(z.string()),
  user_description: z.string(),
  via: AuditViaSchema,
});
export type ChangeAuthor = z.infer<typeof ChangeAuthorSchema>;

/**
 * An environment deleted within the tombstone period (issue 13 § 3), by hand or by the file sync.
 * `managed_by` is what it was: a file-managed one comes back only through the file.
 */
export const DeletedEnvironmentSchema = z.object({
  guid: z.string(),
  name: z.string(),
  title: z.nullable(z.string()),
  managed_by: z.nullable(z.string()),
  /** The environments file that removed it, for file-managed ones. */
  file: z.nullable(z.string()),
  removed_time: z.string(),
  /** From its delete event; null when none is recorded (removed before envdesk kept a history). */
  removed_by: z.nullable(ChangeAuthorSchema),
});
export type DeletedEnvironment = z.infer<typeof DeletedEnvironmentSchema>;

/**
 * envdesk's companion to Connect's environment list, for administrators: who changed each
 * environment last and how much content uses it. Kept out of `/v1/environments` so that list stays
 * Connect's exact shape and one cached document shared by every caller.
 */
export const EnvironmentSummarySchema = z.object({
  guid: z.string(),
  last_changed: z.nullable(ChangeAuthorSchema),
  /** Content that chose the environment or last ran on it, each counted once. */
  content_count: z.number().check(z.int()),
});
export type EnvironmentSummary = z.infer<typeof EnvironmentSummarySchema>;
