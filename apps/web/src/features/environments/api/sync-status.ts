import { queryOptions, useQuery } from '@tanstack/react-query';
import { type SyncStatus, SyncStatusSchema } from '@envdesk/domain';
import { apiClient } from '../../../lib/api-client';
import { environmentKeys } from '../../../lib/environments/list-environments';

export type { SyncStatus };

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
