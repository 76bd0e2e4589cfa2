import { type Content, ContentSchema, type UpdateContentInput } from '@envdesk/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { contentKeys } from './list-content';

/**
 * PATCH /v1/content/{guid}: fields present replace. A changed runtime choice on deployed content
 * comes back with `needs_rebuild`; an environment the owner may not use is refused (25).
 */
export async function updateContent(guid: string, input: UpdateContentInput): Promise<Content> {
  return ContentSchema.parse(await apiClient.patch(`/v1/content/${encodeURIComponent(guid)}`, { body: input }));
}

export function useUpdateContent(guid: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateContentInput) => updateContent(guid, input),
    onSuccess: (content) => {
      queryClient.setQueryData(contentKeys.detail(guid), content);
      return queryClient.invalidateQueries({ queryKey: contentKeys.lists() });
    },
  });
}
