import type { Bundle } from '@envdesk/domain';
import type { BundleSummary } from './bundles-store.js';

const bool = (value: number | null) => (value === null ? null : value === 1);

/** A bundle in Connect's shape; runtime fields stay null until a deploy builds it. */
export function presentBundle(bundle: BundleSummary, contentGuid: string): Bundle {
  return {
    id: String(bundle.id),
    content_guid: contentGuid,
    created_time: bundle.created_time,
    created_by: bundle.created_by,
    environment_guid: bundle.environment_guid,
    cluster_name: bundle.image_name === null ? null : 'Kubernetes',
    image_name: bundle.image_name,
    r_version: bundle.r_version,
    r_environment_management: bool(bundle.r_environment_management),
    py_version: bundle.py_version,
    py_environment_management: bool(bundle.py_environment_management),
    quarto_version: bundle.quarto_version,
    active: bundle.active === 1,
    size: bundle.size,
    metadata: {
      source: null,
      source_repo: null,
      source_branch: null,
      source_commit: null,
      archive_md5: bundle.archive_md5,
      archive_sha1: bundle.archive_sha1,
    },
    build_plan: bundle.build_plan === null ? null : (JSON.parse(bundle.build_plan) as unknown),
  };
}
