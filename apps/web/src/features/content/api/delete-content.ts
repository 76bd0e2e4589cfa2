import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { contentKeys } from './list-content';

export async function deleteContent(guid: string): Promise<void> {
  await apiClient.delete(`/v1/content/${encodeURIComponent(guid)}`);
}

export function useDeleteContent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteContent,
    onSuccess: (_data, guid) => {
      for (const key of [contentKeys.detail(guid), contentKeys.bundles(guid), contentKeys.deployments(guid), contentKeys.selection(guid)]) {
        queryClient.removeQueries({ queryKey: key });
      }
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: contentKeys.lists() }),
  });
}
