import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { DeployAnswerSchema } from '@envdesk/domain';
import { apiClient } from '../../../lib/api-client';
import { contentKeys } from './list-content';

/** POST /v1/content/{guid}/deploy: starts a deploy task and answers at once (202) with its id. */
export async function deployContent(guid: string, bundleId: string | null): Promise<string> {
  const answer = await apiClient.post(`/v1/content/${encodeURIComponent(guid)}/deploy`, { body: { bundle_id: bundleId } });
  return DeployAnswerSchema.parse(answer).task_id;
}

export function useDeployContent(guid: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (bundleId: string | null) => deployContent(guid, bundleId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: contentKeys.deployments(guid) }),
  });
}

/** After a deploy finishes: the content (runtime, rebuild mark), its bundles (active), history and lists change. */
export function useRefreshAfterDeploy(guid: string) {
  const queryClient = useQueryClient();
  return useCallback(
    () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: contentKeys.detail(guid) }),
        queryClient.invalidateQueries({ queryKey: contentKeys.bundles(guid) }),
        queryClient.invalidateQueries({ queryKey: contentKeys.deployments(guid) }),
        queryClient.invalidateQueries({ queryKey: contentKeys.lists() }),
      ]),
    [queryClient, guid],
  );
}
