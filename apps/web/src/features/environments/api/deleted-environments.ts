import { type DeletedEnvironment, DeletedEnvironmentSchema, type Environment, EnvironmentSchema } from '@envdesk/domain';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as z from 'zod/mini';
import { apiClient } from '../../../lib/api-client';
import { environmentKeys } from '../../../lib/environments/list-environments';

const DeletedListSchema = z.array(DeletedEnvironmentSchema);

export async function listDeletedEnvironments(signal?: AbortSignal): Promise<DeletedEnvironment[]> {
  return DeletedListSchema.parse(await apiClient.get('/v1/environments/deleted', { signal }));
}

export const deletedEnvironmentsQueryOptions = () =>
  queryOptions({ queryKey: environmentKeys.deleted(), queryFn: ({ signal }) => listDeletedEnvironments(signal), staleTime: 0 });

export function useDeletedEnvironments() {
  return useQuery(deletedEnvironmentsQueryOptions());
}

export async function restoreDeletedEnvironment(guid: string): Promise<Environment> {
  return EnvironmentSchema.parse(await apiClient.post(`/v1/environments/deleted/${encodeURIComponent(guid)}/restore`));
}

export function useRestoreDeletedEnvironment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (deleted: DeletedEnvironment) => restoreDeletedEnvironment(deleted.guid),
    onSuccess: (restored) => queryClient.setQueryData(environmentKeys.detail(restored.guid), restored),
    onSettled: () => queryClient.invalidateQueries({ queryKey: environmentKeys.all }),
  });
}
