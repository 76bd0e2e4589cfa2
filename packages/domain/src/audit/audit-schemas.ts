import * as z from 'zod/mini';
import type { Actor } from '../access/rule.js';
import { DEFINITION_FIELDS, type EnvironmentDefinition } from '../environments/environment-schemas.js';

/**
 * How a change arrived: the Environments tab (a browser session), the API (an API key), the
 * declarative file, an `envdesk` command, or the server itself (demo data, start-up clean-up).
 */
export const AuditViaSchema = z.enum(['tab', 'api', 'file', 'command', 'system']);
export type AuditVia = z.infer<typeof AuditViaSchema>;

export const AuditSubjectTypeSchema = z.enum(['environment', 'user', 'group', 'content']);
export type AuditSubjectType = z.infer<typeof AuditSubjectTypeSchema>;

/** One field a change touched, with its value before and after (null where it did not exist). */
export const FieldChangeSchema = z.object({ field: z.string(), before: z.unknown(), after: z.unknown() });
export type FieldChange = z.infer<typeof FieldChangeSchema>;

/**
 * What an environment was after the change (before it, for a delete): its definition and who
 * manages it. Enough to put it back — ids, GUID and times stay the record's own.
 */
export const EnvironmentStateSchema = z.record(z.string(), z.unknown());
export type EnvironmentState = EnvironmentDefinition & { managed_by: string | null };

/** Who made a change: a signed-in user (through the tab, an API key or a command), the file, or the server. */
export type AuditAuthor =
  | { readonly kind: 'user'; readonly guid: string; readonly via: Extract<AuditVia, 'tab' | 'api' | 'command'> }
  | { readonly kind: 'file'; readonly file: string | null }
  | { readonly kind: 'system' };

/** The author of what `actor` does. */
export const authorOf = (actor: Actor): AuditAuthor => ({ kind: 'user', guid: actor.guid, via: actor.via ?? 'api' });

/** One recorded change, as the store keeps it and envdesk's own history API answers it. */
export const AuditEventSchema = z.object({
  id: z.number().check(z.int()),
  time: z.string(),
  /** Null for the file and the server (Connect's "system actor", user id 0). */
  user_guid: z.nullable(z.string()),
  user_id: z.nullable(z.number().check(z.int())),
  /** "Full Name (username)", or what the file or server is. */
  user_description: z.string(),
  via: AuditViaSchema,
  /** The environments file, for changes a sync made. */
  file: z.nullable(z.string()),
  /** Connect's action name where Connect has one (`add_user`), else envdesk's in the same style. */
  action: z.string(),
  subject_type: AuditSubjectTypeSchema,
  subject_guid: z.nullable(z.string()),
  subject_name: z.string(),
  event_description: z.string(),
  changes: z.array(FieldChangeSchema),
  state: z.nullable(EnvironmentStateSchema),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;

/** What a service hands the store: the event without what the store fills in (id, time, who). */
export type NewAuditEvent = Pick<AuditEvent, 'action' | 'subject_type' | 'subject_guid' | 'subject_name' | 'event_description' | 'changes'> & {
  readonly state: EnvironmentState | null;
};

/** The fields of an environment a change is recorded for: its definition and who manages it. */
export const AUDITED_ENVIRONMENT_FIELDS = [...DEFINITION_FIELDS, 'managed_by'] as const;
