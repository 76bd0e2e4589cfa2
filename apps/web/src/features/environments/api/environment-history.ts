import { type AuditEvent, AuditEventSchema, type Environment, EnvironmentSchema, HISTORY_PAGE_SIZE, environmentEtag } from '@envdesk/domain';
import { infiniteQueryOptions, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import * as z from 'zod/mini';
import { apiClient } from '../../../lib/api-client';
import { environmentKeys } from '../../../lib/environments/list-environments';

const HistorySchema = z.array(AuditEventSchema);
const path = (guid: string) => `/v1/environments/${encodeURIComponent(guid)}/history`;

/** A page of the history, newest first: the latest events, or those older than event `before`. */
export async function getEnvironmentHistory(guid: string, before?: number, signal?: AbortSignal): Promise<AuditEvent[]> {
  return HistorySchema.parse(await apiClient.get(before === undefined ? path(guid) : `${path(guid)}?before=${before}`, { signal }));
}

// Always asked again when shown: any save, delete or sync adds to it, and none of them says so here.
// A full page may have older events behind it; a short one is the start of the history.
export const environmentHistoryQueryOptions = (guid: string) =>
  infiniteQueryOptions({
    queryKey: environmentKeys.history(guid),
    queryFn: ({ signal, pageParam }) => getEnvironmentHistory(guid, pageParam, signal),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (page: AuditEvent[]) => (page.length < HISTORY_PAGE_SIZE ? undefined : page.at(-1)?.id),
    staleTime: 0,
  });

export function useEnvironmentHistory(guid: string) {
  return useInfiniteQuery(environmentHistoryQueryOptions(guid));
}

/** Restores over `environment` as loaded: a version changed since answers 412 and restores nothing. */
export async function restoreToEvent(environment: Environment, event: AuditEvent): Promise<Environment> {
  return EnvironmentSchema.parse(
    await apiClient.post(`${path(environment.guid)}/${event.id}/restore`, { headers: { 'If-Match': environmentEtag(environment) } }),
  );
}

export function useRestoreToEvent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ environment, event }: { environment: Environment; event: AuditEvent }) => restoreToEvent(environment, event),
    onSuccess: (restored) => queryClient.setQueryData(environmentKeys.detail(restored.guid), restored),
    // The list, the summary and this history all changed.
    onSettled: () => queryClient.invalidateQueries({ queryKey: environmentKeys.all }),
  });
}
