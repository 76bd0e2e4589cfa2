import { queryOptions, useQuery } from '@tanstack/react-query';
import { EnvironmentUsageSchema } from '@envdesk/domain';
import * as z from 'zod/mini';
import { apiClient } from '../../../lib/api-client';
import { environmentKeys } from '../../../lib/environments/list-environments';

/**
 * `GET /v1/environments/{guid}/content` (envdesk): the content that chose an environment or last ran
 * on it; administrators get all of it, a publisher only their own. The server shapes it in its
 * environments service; this reads it.
 */
const ContentUsingEnvironmentSchema = z.array(EnvironmentUsageSchema);
export type ContentUsingEnvironment = z.infer<typeof ContentUsingEnvironmentSchema>;

export async function listContentUsingEnvironment(guid: string, signal?: AbortSignal): Promise<ContentUsingEnvironment> {
  return ContentUsingEnvironmentSchema.parse(await apiClient.get(`/v1/environments/${encodeURIComponent(guid)}/content`, { signal }));
}

export const contentUsingEnvironmentQueryOptions = (guid: string) =>
  queryOptions({
    queryKey: [...environmentKeys.all, 'content', guid] as const,
    queryFn: ({ signal }) => listContentUsingEnvironment(guid, signal),
    staleTime: 0,
  });

export function useContentUsingEnvironment(guid: string) {
  return useQuery(contentUsingEnvironmentQueryOptions(guid));
}
