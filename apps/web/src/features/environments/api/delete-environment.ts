import { type Environment, environmentEtag } from '@envdesk/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { environmentKeys, environmentListQueryOptions } from '../../../lib/environments/list-environments';

/** DELETE with If-Match: a version changed since `environment` was loaded answers 412 and stays. */
export async function deleteEnvironment(environment: Environment): Promise<void> {
  await apiClient.delete(`/v1/environments/${encodeURIComponent(environment.guid)}`, { headers: { 'If-Match': environmentEtag(environment) } });
}

/**
 * Removes the row at once and puts it back if the server refuses: deleting is confirmed first, so
 * showing its outcome early is safe.
 */
export function useDeleteEnvironment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (environment: Environment) => deleteEnvironment(environment),
    onMutate: async (environment) => {
      const { queryKey } = environmentListQueryOptions();
      await queryClient.cancelQueries({ queryKey });
      const previous = queryClient.getQueryData(queryKey);
      queryClient.setQueryData(queryKey, (list) => list?.filter((item) => item.guid !== environment.guid));
      return { previous };
    },
    onError: (_error, _environment, context) => {
      if (context?.previous) queryClient.setQueryData(environmentListQueryOptions().queryKey, context.previous);
    },
    onSuccess: (_data, environment) => {
      queryClient.removeQueries({ queryKey: environmentKeys.detail(environment.guid) });
      queryClient.removeQueries({ queryKey: environmentKeys.permissions(environment.guid) });
    },
    onSettled: () => {
      // A deleted environment moves to Recently deleted.
      void queryClient.invalidateQueries({ queryKey: environmentKeys.deleted() });
      return queryClient.invalidateQueries({ queryKey: environmentKeys.list() });
    },
  });
}
