import { queryOptions, useQuery } from '@tanstack/react-query';
import { type Bundle, BundleSchema } from '@envdesk/domain';
import * as z from 'zod/mini';
import { apiClient } from '../../../lib/api-client';
import { contentKeys } from './list-content';

export type { Bundle };

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
