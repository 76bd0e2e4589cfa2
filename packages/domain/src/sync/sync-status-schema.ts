import { z } from 'zod';

export const FileProblemSchema = z.object({
  entry: z.number().int().nullable(),
  field: z.string().nullable(),
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
  environments: z.number().int(),
});
export type PendingRemoval = z.infer<typeof PendingRemovalSchema>;

/** `GET /v1/environments/sync` (envdesk): what the declarative file did last. */
export const SyncStatusSchema = z.object({
  enabled: z.boolean(),
  file: z.string().nullable(),
  poll_ms: z.number().int().optional(),
  settle_ms: z.number().int().optional(),
  remove_grace_ms: z.number().int().optional(),
  hash: z.string().nullable().optional(),
  last_sync_time: z.string().nullable().optional(),
  last_changes: z
    .array(z.object({ kind: SyncChangeKindSchema, guid: z.string(), name: z.string(), fields: z.array(z.string()) }))
    .optional(),
  last_error: z.object({ time: z.string(), message: z.string(), problems: z.array(FileProblemSchema) }).nullable(),
  pending_removal: PendingRemovalSchema.nullable().optional(),
});
export type SyncStatus = z.infer<typeof SyncStatusSchema>;

/** `GET /v1/environments/{guid}/content` (envdesk): content that chose or runs on an environment. */
export const EnvironmentUsageSchema = z.object({
  guid: z.string(),
  name: z.string(),
  title: z.string().nullable(),
  owner_guid: z.string(),
  owner_username: z.string(),
  /** The content's runtime choice names this environment. */
  chosen: z.boolean(),
  /** The content's active bundle was built on it. */
  running: z.boolean(),
});
export type EnvironmentUsage = z.infer<typeof EnvironmentUsageSchema>;
