import { type Environment, EnvironmentSchema } from '@envdesk/domain';
import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { environmentKeys, environmentListQueryOptions } from '../../../lib/environments/list-environments';

export async function getEnvironment(guid: string, signal?: AbortSignal): Promise<Environment> {
  return EnvironmentSchema.parse(await apiClient.get(`/v1/environments/${encodeURIComponent(guid)}`, { signal }));
}

export const environmentQueryOptions = (guid: string) =>
  queryOptions({ queryKey: environmentKeys.detail(guid), queryFn: ({ signal }) => getEnvironment(guid, signal) });

/** One environment; shown at once from the list when the list is loaded, then refreshed. */
export function useEnvironment(guid: string) {
  const queryClient = useQueryClient();
  return useQuery({
    ...environmentQueryOptions(guid),
    initialData: () => queryClient.getQueryData(environmentListQueryOptions().queryKey)?.find((environment) => environment.guid === guid),
    initialDataUpdatedAt: () => queryClient.getQueryState(environmentKeys.list())?.dataUpdatedAt,
  });
}
