import * as z from 'zod/mini';

export const FileProblemSchema = z.object({
  entry: z.nullable(z.number().check(z.int())),
  name: z.optional(z.nullable(z.string())),
  field: z.nullable(z.string()),
  message: z.string(),
});

export const SyncChangeKindSchema = z.enum(['create', 'update', 'adopt', 'delete', 'restore']);

/**
 * The file went missing or empty: its file-managed environments go only after a grace period, so an
 * editor's save dance or a remount does not cost them their GUIDs (issue 8 § 1).
 */
export const PendingRemovalSchema = z.object({
  reason: z.enum(['missing', 'empty']),
  /** When the file was first seen missing or empty. */
  since: z.string(),
  /** When the removal happens if the file is still missing or empty. */
  at: z.string(),
  /** How many file-managed environments it would remove. */
  environments: z.number().check(z.int()),
});
export type PendingRemoval = z.infer<typeof PendingRemovalSchema>;

/** `GET /v1/environments/sync` (envdesk): what the declarative file did last. */
export const SyncStatusSchema = z.object({
  enabled: z.boolean(),
  file: z.nullable(z.string()),
  poll_ms: z.optional(z.number().check(z.int())),
  settle_ms: z.optional(z.number().check(z.int())),
  remove_grace_ms: z.optional(z.number().check(z.int())),
  hash: z.optional(z.nullable(z.string())),
  last_sync_time: z.optional(z.nullable(z.string())),
  last_changes: z.optional(z.array(z.object({ kind: SyncChangeKindSchema, guid: z.string(), name: z.string(), fields: z.array(z.string()) }))),
  last_error: z.nullable(z.object({ time: z.string(), message: z.string(), problems: z.array(FileProblemSchema) })),
  pending_removal: z.optional(z.nullable(PendingRemovalSchema)),
});
export type SyncStatus = z.infer<typeof SyncStatusSchema>;

/** `GET /v1/environments/{guid}/content` (envdesk): content that chose or runs on an environment. */
export const EnvironmentUsageSchema = z.object({
  guid: z.string(),
  name: z.string(),
  title: z.nullable(z.string()),
  owner_guid: z.string(),
  owner_username: z.string(),
  /** The content's runtime choice names this environment. */
  chosen: z.boolean(),
  /** The content's active bundle was built on it. */
  running: z.boolean(),
});
export type EnvironmentUsage = z.infer<typeof EnvironmentUsageSchema>;
