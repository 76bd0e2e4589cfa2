import { queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiClient } from '../../../lib/api-client';
import { environmentKeys } from '../../../lib/environments/list-environments';

/**
 * The parts of `GET /v1/environments/sync` the tab shows. The server declares the full shape
 * (SyncStatus in apps/server); this reads only what it needs and ignores the rest.
 */
const SyncStatusSchema = z.object({
  enabled: z.boolean(),
  file: z.string().nullable(),
  last_error: z
    .object({
      message: z.string(),
      problems: z
        .array(z.object({ entry: z.number().nullable().catch(null), field: z.string().nullable().catch(null), message: z.string() }))
        .catch([]),
    })
    .nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatusSchema>;

export async function getSyncStatus(signal?: AbortSignal): Promise<SyncStatus> {
  return SyncStatusSchema.parse(await apiClient.get('/v1/environments/sync', { signal }));
}

/** How often administrators' tabs ask; the server polls the file itself, more often. */
export const SYNC_STATUS_POLL_MS = 5_000;

export const syncStatusQueryOptions = () =>
  queryOptions({ queryKey: environmentKeys.syncStatus(), queryFn: ({ signal }) => getSyncStatus(signal), staleTime: 0 });

export function useSyncStatus({ enabled }: { enabled: boolean }) {
  return useQuery({
    ...syncStatusQueryOptions(),
    enabled,
    refetchInterval: SYNC_STATUS_POLL_MS,
    refetchOnWindowFocus: true,
  });
}
