import { type Content, ContentSchema } from '@envdesk/domain';
import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { contentKeys } from './list-content';

export async function getContent(guid: string, signal?: AbortSignal): Promise<Content> {
  return ContentSchema.parse(await apiClient.get(`/v1/content/${encodeURIComponent(guid)}`, { signal }));
}

export const contentQueryOptions = (guid: string) =>
  queryOptions({ queryKey: contentKeys.detail(guid), queryFn: ({ signal }) => getContent(guid, signal) });

/** One content item; shown at once from a loaded list, then refreshed. */
export function useContent(guid: string) {
  const queryClient = useQueryClient();
  const cached = () =>
    queryClient
      .getQueriesData<Content[]>({ queryKey: contentKeys.lists() })
      .flatMap(([, list]) => list ?? [])
      .find((content) => content.guid === guid);
  return useQuery({
    ...contentQueryOptions(guid),
    initialData: cached,
    // Whatever the list's age, refresh at once: the page shows runtime details the list may not have current.
    initialDataUpdatedAt: 0,
  });
}
