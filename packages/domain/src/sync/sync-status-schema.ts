import { z } from 'zod';

export const FileProblemSchema = z.object({
  entry: z.number().int().nullable(),
  field: z.string().nullable(),
  message: z.string(),
});

/** `GET /v1/environments/sync` (envdesk): what the declarative file did last. */
export const SyncStatusSchema = z.object({
  enabled: z.boolean(),
  file: z.string().nullable(),
  poll_ms: z.number().int().optional(),
  hash: z.string().nullable().optional(),
  last_sync_time: z.string().nullable().optional(),
  last_changes: z
    .array(z.object({ kind: z.enum(['create', 'update', 'adopt', 'delete']), guid: z.string(), name: z.string(), fields: z.array(z.string()) }))
    .optional(),
  last_error: z.object({ time: z.string(), message: z.string(), problems: z.array(FileProblemSchema) }).nullable(),
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
