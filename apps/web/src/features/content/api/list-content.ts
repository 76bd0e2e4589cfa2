import { type Content, ContentSchema, type User } from '@envdesk/domain';
import { queryOptions, useQuery } from '@tanstack/react-query';
import * as z from 'zod/mini';
import { offers, SOMEONE_ELSES_CONTENT } from '../../../lib/access';
import { apiClient } from '../../../lib/api-client';

export const contentKeys = {
  all: ['content'] as const,
  lists: () => [...contentKeys.all, 'list'] as const,
  /** `owner`: only that person's content (a publisher's own); null: all content the caller may see. */
  list: (owner: string | null) => [...contentKeys.lists(), { owner }] as const,
  detail: (guid: string) => [...contentKeys.all, 'detail', guid] as const,
  bundles: (guid: string) => [...contentKeys.all, 'bundles', guid] as const,
  deployments: (guid: string) => [...contentKeys.all, 'deployments', guid] as const,
  selection: (guid: string) => [...contentKeys.all, 'selection', guid] as const,
  task: (id: string) => [...contentKeys.all, 'task', id] as const,
};

const ContentListSchema = z.array(ContentSchema);

export async function listContent(owner: string | null, signal?: AbortSignal): Promise<Content[]> {
  const query = owner === null ? '' : `?owner_guid=${encodeURIComponent(owner)}`;
  return ContentListSchema.parse(await apiClient.get(`/v1/content${query}`, { signal }));
}

export const contentListQueryOptions = (owner: string | null) =>
  queryOptions({ queryKey: contentKeys.list(owner), queryFn: ({ signal }) => listContent(owner, signal) });

/**
 * Whose content `user`'s list shows: those who may change only their own content see theirs (null:
 * everything they may see — administrators all of it, viewers all of it read-only).
 */
export function contentListOwnerFor(user: User): string | null {
  const ownOnly = offers(user, 'content:create') && !offers(user, 'content:update', SOMEONE_ELSES_CONTENT);
  return ownOnly ? user.guid : null;
}

export function useContentList(owner: string | null) {
  return useQuery(contentListQueryOptions(owner));
}
