import { type BuiltRuntimeVersions, type Manifest, cachesOfBuild, packagesOfBuild } from '@envdesk/domain';
import { hostname } from 'node:os';
import { newSecret } from '../auth/secrets.js';
import { readArchiveFile } from '../bundles/archive-file.js';
import type { BundlesStore } from '../bundles/bundles-store.js';
import type { BuildRecords, NewJob } from './runtime-store.js';

/** A requirements file is a few KiB; a larger one is not read for the package list. */
const MAX_REQUIREMENTS_BYTES = 1024 * 1024;

/** The job of a task just started on a bundle: a fresh key (`tHawGvHZTosJA2Dx`), this host, now. */
export const jobOf = (task: Pick<NewJob, 'content_id' | 'bundle_id' | 'task_id' | 'tag'>, now: string): NewJob => ({
  ...task,
  key: newSecret(12),
  hostname: hostname(),
  start_time: now,
});

/** The caches a build uses and the packages it installs; Python's are read from the archive's requirements. */
export async function buildRecordsOf(bundles: Pick<BundlesStore, 'archive'>, bundleId: number, manifest: Manifest, runtime: BuiltRuntimeVersions): Promise<BuildRecords> {
  const file = manifest.python?.package_manager?.package_file ?? 'requirements.txt';
  // The archive was checked when uploaded: one that no longer reads was deleted with its content
  // while the deploy ran, which the deploy's own transaction then reports.
  const requirements =
    manifest.python && runtime.py_environment_management
      ? await readArchiveFile(bundles.archive(bundleId), file, MAX_REQUIREMENTS_BYTES).catch(() => null)
      : null;
  return { caches: cachesOfBuild(runtime), packages: packagesOfBuild(manifest, runtime, requirements) };
}
