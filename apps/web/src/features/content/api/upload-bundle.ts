import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { type Bundle, BundleSchema } from '@envdesk/domain';
import { contentKeys } from './list-content';

/**
 * POST /v1/content/{guid}/bundles with the archive's bytes as the body. A broken archive is refused
 * with field `archive`, a manifest problem with field `manifest.json` and a message naming it.
 */
export async function uploadBundle(guid: string, archive: Blob): Promise<Bundle> {
  return BundleSchema.parse(
    await apiClient.post(`/v1/content/${encodeURIComponent(guid)}/bundles`, { body: archive, contentType: 'application/gzip' }),
  );
}

export function useUploadBundle(guid: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (archive: Blob) => uploadBundle(guid, archive),
    onSuccess: (bundle) => {
      queryClient.setQueryData(contentKeys.bundles(guid), (list: Bundle[] | undefined) => [bundle, ...(list ?? []).filter((item) => item.id !== bundle.id)]);
      // The picker judges compatibility against the latest bundle: this one now.
      void queryClient.invalidateQueries({ queryKey: contentKeys.selection(guid) });
      return queryClient.invalidateQueries({ queryKey: contentKeys.bundles(guid) });
    },
  });
}
