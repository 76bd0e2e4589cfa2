import { type Bundle, clusterNameOf, summarizeManifest } from '@envdesk/domain';
import type { BundleRecord } from './bundles-store.js';

/** A bundle in Connect's shape; runtime fields stay null until a deploy builds it. */
export function presentBundle(bundle: BundleRecord, contentGuid: string): Bundle {
  return {
    id: String(bundle.id),
    content_guid: contentGuid,
    created_time: bundle.created_time,
    created_by: bundle.created_by,
    environment_guid: bundle.environment_guid,
    cluster_name: clusterNameOf(bundle.image_name),
    image_name: bundle.image_name,
    r_version: bundle.r_version,
    r_environment_management: bundle.r_environment_management,
    py_version: bundle.py_version,
    py_environment_management: bundle.py_environment_management,
    quarto_version: bundle.quarto_version,
    active: bundle.active,
    size: bundle.size,
    metadata: {
      ...bundle.origin,
      archive_md5: bundle.archive_md5,
      archive_sha1: bundle.archive_sha1,
    },
    build_plan: bundle.build_plan,
    manifest_summary: bundle.manifest.ok ? summarizeManifest(bundle.manifest.value) : null,
  };
}
