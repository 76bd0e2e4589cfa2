import type { Readable } from 'node:stream';
import { ApiError, ErrorCode, type OciDescriptor as Descriptor } from '@envdesk/domain';

export type { Descriptor };

/**
 * Where an image's documents and blobs come from: an OCI layout folder, a saved tarball, or a
 * registry (OCI distribution API). A source only fetches bytes; `inspectImage` verifies every
 * digest and size, picks the platform and reads the layers, so a source need not trust itself.
 */
export interface BlobSource {
  /** A short name for progress lines and errors: `OCI layout ./image`, `registry.example/r:4.4`. */
  describe(): string;
  /**
   * The document the image starts from, as stored: an image index / manifest list, or a manifest.
   * `digest` is its digest when it is itself a blob (a registry's manifest, a layout's nested
   * index); null for a layout's own `index.json` and a `docker save` archive's `manifest.json`.
   */
  readRoot(signal: AbortSignal): Promise<{ readonly bytes: Buffer; readonly digest: string | null }>;
  /** A small blob whole (an index, a manifest, a config); the caller caps it by `descriptor.size`. */
  readBlob(descriptor: Descriptor, signal: AbortSignal): Promise<Buffer>;
  /** A layer blob as stored (compressed or not), streamed; it is never held whole. */
  openBlob(descriptor: Descriptor, signal: AbortSignal): Promise<Readable>;
  /**
   * The reference a saved image gives itself (`docker save`'s `RepoTags`, a layout's name
   * annotation), once `readRoot` has picked the image; null when it gives none. Registry sources,
   * named by their reference already, have none.
   */
  imageName?(): string | null;
}

/** An image that cannot be read as asked: a 400 whose message says what is wrong with it. */
export const imageProblem = (message: string): ApiError => new ApiError(ErrorCode.BadRequest, message, { field: 'name' });

const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

/**
 * The digest's algorithm and hex, or an error: a digest is also a file name in a layout
 * (`blobs/sha256/<hex>`), so one like `sha256:../../etc/passwd` must never reach a path.
 */
export function parseDigest(digest: unknown): { algorithm: 'sha256' | 'sha512'; hex: string } {
  if (typeof digest !== 'string' || !DIGEST.test(digest)) {
    throw imageProblem(`The image names a blob by "${String(digest).slice(0, 100)}", which is not a sha256 or sha512 digest.`);
  }
  const [algorithm, hex] = digest.split(':') as ['sha256' | 'sha512', string];
  return { algorithm, hex };
}

/** The short form progress lines use: `sha256:0123456789ab`. */
export const shortDigest = (digest: string) => digest.slice(0, digest.indexOf(':') + 13);
