import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { type ApiKey, apiKeyKeys } from './list-api-keys';

/** DELETE /v1/user/keys/{id}: clients using the key are refused from then on. */
export async function deleteApiKey(id: string): Promise<void> {
  await apiClient.delete(`/v1/user/keys/${encodeURIComponent(id)}`);
}

export function useDeleteApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteApiKey,
    // The row goes at once, with the dialog, rather than after the list is asked for again.
    onSuccess: (_data, id) => queryClient.setQueryData<ApiKey[]>(apiKeyKeys.list(), (keys) => keys?.filter((key) => key.id !== id)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: apiKeyKeys.list() }),
  });
}
