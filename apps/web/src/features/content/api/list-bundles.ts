import { queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiClient } from '../../../lib/api-client';
import { contentKeys } from './list-content';

/**
 * A bundle in Connect's shape, as much of it as the content page shows. Runtime fields stay null
 * until a deploy builds the bundle. (The domain has no wire schema for bundles yet.)
 */
export const BundleSchema = z.object({
  id: z.string(),
  content_guid: z.string(),
  created_time: z.string(),
  active: z.boolean(),
  size: z.number(),
  image_name: z.string().nullable(),
  r_version: z.string().nullable(),
  py_version: z.string().nullable(),
  quarto_version: z.string().nullable(),
});
export type Bundle = z.infer<typeof BundleSchema>;

const BundleListSchema = z.array(BundleSchema);

/** GET /v1/content/{guid}/bundles: newest first. */
export async function listBundles(guid: string, signal?: AbortSignal): Promise<Bundle[]> {
  return BundleListSchema.parse(await apiClient.get(`/v1/content/${encodeURIComponent(guid)}/bundles`, { signal }));
}

export const bundleListQueryOptions = (guid: string) =>
  queryOptions({ queryKey: contentKeys.bundles(guid), queryFn: ({ signal }) => listBundles(guid, signal) });

export function useBundleList(guid: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ ...bundleListQueryOptions(guid), enabled });
}
