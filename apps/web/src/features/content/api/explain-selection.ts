import { ApiError, ErrorCode, type SelectionExplanation, SelectionExplanationSchema } from '@envdesk/domain';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { useBundleList } from './list-bundles';
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

/** What the picker needs of the judgement: null data means "no bundle yet, nothing to judge". */
export interface LatestBundleSelection {
  readonly data: SelectionExplanation | null | undefined;
  readonly isPending: boolean;
  readonly isError: boolean;
  readonly error: unknown;
  readonly refetch: () => unknown;
}

/**
 * The judgement of the content's latest bundle, asked only once the bundle list shows there is one:
 * without a bundle the server can only refuse (400, no manifest), a failed request in the console.
 */
export function useSelectionExplanation(contentGuid: string): LatestBundleSelection {
  const bundles = useBundleList(contentGuid);
  const noBundle = bundles.isSuccess && bundles.data.length === 0;
  const explanation = useQuery({ ...selectionQueryOptions(contentGuid), enabled: bundles.isSuccess && !noBundle });
  if (noBundle) return { data: null, isPending: false, isError: false, error: null, refetch: () => undefined };
  // The bundle list failed: compatibility cannot be judged, which the picker says like a failed judgement.
  if (bundles.isError) return { data: undefined, isPending: false, isError: true, error: bundles.error, refetch: () => bundles.refetch() };
  return explanation;
}
