import { createHash } from 'node:crypto';
import { ApiError, ErrorCode, type Manifest, parseManifest } from '@envdesk/domain';
import { readTarGz } from './tar-archive.js';

export interface ReadBundle {
  readonly manifest: Manifest;
  readonly md5: string;
  readonly sha1: string;
  readonly fileCount: number;
}

const invalidArchive = (message: string) =>
  new ApiError(ErrorCode.BadRequest, `The bundle ${message}.`, { field: 'archive' });

/**
 * Checks an uploaded bundle: a .tar.gz whose entries stay inside it, with a manifest.json at its
 * top level that the manifest schema accepts. Throws an ApiError naming what is wrong.
 */
export function readBundle(archive: Buffer, maxBytes: number): ReadBundle {
  if (archive.length === 0) throw new ApiError(ErrorCode.BundleMissing, 'The request has no bundle: send the .tar.gz as the body, or as the multipart part "archive".', { field: 'archive' });
  const read = readTarGz(archive, { maxUnpackedBytes: maxBytes * 4, maxEntries: 100_000 });
  if (!read.ok) throw invalidArchive(read.message);
  const manifestEntry = read.entries.find((entry) => entry.path === 'manifest.json' && entry.type === 'file');
  if (!manifestEntry) {
    throw new ApiError(ErrorCode.InvalidManifest, 'The bundle has no manifest.json at its top level.', { field: 'manifest.json' });
  }
  let document: unknown;
  try {
    document = JSON.parse(manifestEntry.data.toString('utf8'));
  } catch (error) {
    throw new ApiError(ErrorCode.InvalidManifest, `manifest.json is not valid JSON: ${(error as Error).message}`, { field: 'manifest.json' });
  }
  const manifest = parseManifest(document);
  if (!manifest.ok) throw new ApiError(ErrorCode.InvalidManifest, manifest.error, { field: 'manifest.json' });
  return {
    manifest: manifest.value,
    md5: createHash('md5').update(archive).digest('hex'),
    sha1: createHash('sha1').update(archive).digest('hex'),
    fileCount: read.entries.filter((entry) => entry.type === 'file').length,
  };
}
