import { type AuditEvent, AuditEventSchema, type Environment, EnvironmentSchema, environmentEtag } from '@envdesk/domain';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as z from 'zod/mini';
import { apiClient } from '../../../lib/api-client';
import { environmentKeys } from '../../../lib/environments/list-environments';

const HistorySchema = z.array(AuditEventSchema);
const path = (guid: string) => `/v1/environments/${encodeURIComponent(guid)}/history`;

export async function getEnvironmentHistory(guid: string, signal?: AbortSignal): Promise<AuditEvent[]> {
  return HistorySchema.parse(await apiClient.get(path(guid), { signal }));
}

// Always asked again when shown: any save, delete or sync adds to it, and none of them says so here.
export const environmentHistoryQueryOptions = (guid: string) =>
  queryOptions({ queryKey: environmentKeys.history(guid), queryFn: ({ signal }) => getEnvironmentHistory(guid, signal), staleTime: 0 });

export function useEnvironmentHistory(guid: string) {
  return useQuery(environmentHistoryQueryOptions(guid));
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
