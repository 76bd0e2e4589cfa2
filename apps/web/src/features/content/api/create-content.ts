import { type Content, ContentSchema, type CreateContentInput } from '@envdesk/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { contentKeys } from './list-content';

/** POST /v1/content: 409 (26, field `name`) when the owner already has content with that name. */
export async function createContent(input: CreateContentInput): Promise<Content> {
  return ContentSchema.parse(await apiClient.post('/v1/content', { body: input }));
}

export function useCreateContent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createContent,
    onSuccess: (content) => {
      queryClient.setQueryData(contentKeys.detail(content.guid), content);
      return queryClient.invalidateQueries({ queryKey: contentKeys.lists() });
    },
  });
}
