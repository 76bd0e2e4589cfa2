import { type Content, ContentSchema } from '@envdesk/domain';
import { queryOptions, useQuery } from '@tanstack/react-query';
import * as z from 'zod/mini';
import { apiClient } from '../../../lib/api-client';

export const contentKeys = {
  all: ['content'] as const,
  lists: () => [...contentKeys.all, 'list'] as const,
  /** Everything the caller may see: the server leaves out content not shared with them. */
  list: () => [...contentKeys.lists(), 'visible'] as const,
  detail: (guid: string) => [...contentKeys.all, 'detail', guid] as const,
  bundles: (guid: string) => [...contentKeys.all, 'bundles', guid] as const,
  deployments: (guid: string) => [...contentKeys.all, 'deployments', guid] as const,
  selection: (guid: string) => [...contentKeys.all, 'selection', guid] as const,
  task: (id: string) => [...contentKeys.all, 'task', id] as const,
};

const ContentListSchema = z.array(ContentSchema);

export async function listContent(signal?: AbortSignal): Promise<Content[]> {
  return ContentListSchema.parse(await apiClient.get('/v1/content', { signal }));
}

export const contentListQueryOptions = () => queryOptions({ queryKey: contentKeys.list(), queryFn: ({ signal }) => listContent(signal) });

export function useContentList() {
  return useQuery(contentListQueryOptions());
}
