import { type Actor, ApiError, ErrorCode, type Manifest } from '@envdesk/domain';
import type { ContentService } from '../content/content-service.js';
import type { Store } from '../db/store.js';
import { readArchiveFile } from './archive-file.js';
import type { BundleRecord } from './bundles-store.js';

/** Lockfiles are a few hundred KiB at most; a bundle's larger file of that name is no lockfile to send. */
const MAX_LOCKFILE_BYTES = 8 * 1024 * 1024;

export interface LockfileSource {
  /** The file inside the bundle. */
  readonly file: string;
  /** The name Connect gives the download, after the content's guid. */
  readonly downloadSuffix: string;
  /** `Generated-By`: posit-sdk-py reads the Python version from its `python=X.Y.Z`. */
  readonly generatedBy: string;
}

/**
 * Which lockfile a built bundle carries: Python's package file (`requirements.txt` unless the
 * manifest names another) when it has Python, else R's `renv.lock` when it has R, else none.
 */
export function lockfileSourceOf(manifest: Manifest, bundle: Pick<BundleRecord, 'py_version' | 'r_version'>): LockfileSource | null {
  if (manifest.python) {
    const file = manifest.python.package_manager?.package_file ?? 'requirements.txt';
    return { file, downloadSuffix: `${file}.lock`, generatedBy: `envdesk; python=${bundle.py_version ?? manifest.python.version}` };
  }
  if (manifest.platform) {
    return { file: 'renv.lock', downloadSuffix: 'renv.lock', generatedBy: `envdesk; r=${bundle.r_version ?? manifest.platform}` };
  }
  return null;
}

const noLockfile = (why: string) => new ApiError(ErrorCode.ObjectDoesNotExist, `The content has no lockfile: ${why}.`);

export function createLockfileService({ store, content }: { store: Pick<Store, 'bundles'>; content: ContentService }) {
  return {
    /** The lockfile the content's active bundle carries, read from the stored archive. */
    async read(actor: Actor, contentGuid: string) {
      const record = await content.authorized(actor, contentGuid, 'content:read-lockfile');
      const bundle = record.bundle_id === null ? undefined : await store.bundles.find(record.id, record.bundle_id);
      if (!bundle) throw noLockfile('it has no active bundle');
      const source = bundle.manifest.ok ? lockfileSourceOf(bundle.manifest.value, bundle) : null;
      if (!source) throw noLockfile('its active bundle uses neither Python nor R');
      const text = await readArchiveFile(store.bundles.archive(bundle.id), source.file, MAX_LOCKFILE_BYTES);
      if (text === null) throw noLockfile(`its active bundle carries no ${source.file}`);
      return { record, source, text };
    },
  };
}
export type LockfileService = ReturnType<typeof createLockfileService>;
