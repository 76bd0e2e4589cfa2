import { type Deployment, DeploymentSchema } from '@envdesk/domain';
import { queryOptions, useQuery } from '@tanstack/react-query';
import * as z from 'zod/mini';
import { apiClient } from '../../../lib/api-client';
import { contentKeys } from './list-content';

const DeploymentListSchema = z.array(DeploymentSchema);

/** GET /v1/content/{guid}/deployments: the content's deploys, newest first, each with its log. */
export async function listDeployments(guid: string, signal?: AbortSignal): Promise<Deployment[]> {
  return DeploymentListSchema.parse(await apiClient.get(`/v1/content/${encodeURIComponent(guid)}/deployments`, { signal }));
}

/** While a deploy started elsewhere (another tab, a client) is running, the history keeps itself current. */
const RUNNING_REFRESH_MS = 2_000;

export const deploymentListQueryOptions = (guid: string) =>
  queryOptions({
    queryKey: contentKeys.deployments(guid),
    queryFn: ({ signal }) => listDeployments(guid, signal),
    refetchInterval: (query) => (query.state.data?.some((deployment) => !deployment.finished) ? RUNNING_REFRESH_MS : false),
  });

export function useDeploymentList(guid: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ ...deploymentListQueryOptions(guid), enabled });
}
