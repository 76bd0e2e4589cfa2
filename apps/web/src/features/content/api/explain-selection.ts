import { ApiError, ErrorCode, type SelectionExplanation, SelectionExplanationSchema } from '@envdesk/domain';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { contentKeys } from './list-content';

export type { SelectionExplanation };

export type SelectionCandidate = SelectionExplanation['candidates'][number];

/**
 * What Automatic selection would do with the content's latest bundle: every environment judged
 * without the content's current choice, so each one's own compatibility shows. Null when the
 * content has no bundle yet (the server cannot judge without a manifest).
 */
export async function explainAutomaticSelection(contentGuid: string, signal?: AbortSignal): Promise<SelectionExplanation | null> {
  try {
    const body = { content_guid: contentGuid, default_environment_guid: null, default_image_name: null };
    return SelectionExplanationSchema.parse(await apiClient.post('/v1/environments/select', { body, signal }));
  } catch (error) {
    if (error instanceof ApiError && error.code === ErrorCode.ParameterMissing && error.payload?.['field'] === 'manifest') return null;
    throw error;
  }
}

export const selectionQueryOptions = (contentGuid: string) =>
  queryOptions({
    queryKey: contentKeys.selection(contentGuid),
    queryFn: ({ signal }) => explainAutomaticSelection(contentGuid, signal),
  });

export function useSelectionExplanation(contentGuid: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ ...selectionQueryOptions(contentGuid), enabled });
}
