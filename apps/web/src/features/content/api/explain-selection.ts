import { ApiError, ErrorCode } from '@envdesk/domain';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiClient } from '../../../lib/api-client';
import { contentKeys } from './list-content';

/**
 * `POST /v1/environments/select` (envdesk): how a deploy would choose among every environment for
 * the content's latest bundle, with each one's reasons. The web reads only what it shows.
 */
export const SelectionExplanationSchema = z.object({
  request: z.object({ kind: z.string(), description: z.string() }),
  bundle: z.object({
    r: z.string().nullable(),
    python: z.string().nullable(),
    quarto: z.string().nullable(),
    rRequires: z.string().nullable(),
    pythonRequires: z.string().nullable(),
  }),
  selected_guid: z.string().nullable(),
  failure: z.string().nullable(),
  candidates: z.array(
    z.object({
      guid: z.string(),
      name: z.string(),
      title: z.string().nullable(),
      matching: z.enum(['any', 'exact', 'none']),
      accepted: z.boolean(),
      rank: z.number().nullable(),
      reasons: z.array(z.string()),
      installations: z.array(z.object({ language: z.string(), version: z.string(), path: z.string() })),
    }),
  ),
});
export type SelectionExplanation = z.infer<typeof SelectionExplanationSchema>;
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
