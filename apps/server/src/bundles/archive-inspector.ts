import { Transform, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ApiError, ErrorCode } from '@envdesk/domain';
import { type Header, extract } from 'tar-stream';

export interface ArchiveLimits {
  /** Bytes after decompression: a small gzip can expand enormously. */
  readonly maxExpandedBytes: number;
  /** Expanded bytes per compressed byte, checked once `ratioGraceBytes` have been expanded. */
  readonly maxRatio: number;
  readonly ratioGraceBytes: number;
  readonly maxEntries: number;
  readonly maxManifestBytes: number;
  /**
   * Bytes the tar may hold between two entries' data: headers, and PAX or GNU long-name records,
   * which the parser keeps in memory whole until they end.
   */
  readonly maxHeaderBytes: number;
}

export interface InspectedArchive {
  /** The text of the top-level manifest.json, or null when the archive has none. */
  readonly manifestText: string | null;
  readonly fileCount: number;
}

/** Reads an archive as it arrives: `write` each piece of the .tar.gz, then `end`. */
export interface ArchiveInspector {
  /** Resolves once the piece is taken (later when decompression lags), rejects once the archive is refused. */
  write(piece: Buffer): Promise<void>;
  end(): Promise<InspectedArchive>;
  /** Stops the decompression (the upload failed elsewhere). */
  abort(): void;
}

const MiB = 1024 * 1024;

export const invalidArchive = (message: string) => new ApiError(ErrorCode.BadRequest, `The bundle ${message}.`, { field: 'archive' });

/** Why `path` may not be unpacked (absolute, escaping with `..`, a drive path, a NUL), or null. */
export function unsafePathReason(path: string): string | null {
  if (path.includes('\0')) return 'contains a NUL character';
  if (path.startsWith('/') || path.startsWith('\\')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(path)) return 'is a drive path';
  if (path.split(/[\\/]/).includes('..')) return 'contains a ".." segment';
  return null;
}

/** The path's segments without empty and `.` ones: `./a//b/` and `a/b` are the same entry. */
export const segmentsOf = (path: string) => path.split(/[\\/]/).filter((part) => part !== '' && part !== '.');

/** Whether following `target` from the folder `from` climbs above the archive's root. */
function escapes(from: readonly string[], target: string): boolean {
  let depth = from.length;
  for (const part of target.split(/[\\/]/)) {
    if (part === '..') depth -= 1;
    else if (part !== '' && part !== '.') depth += 1;
    if (depth < 0) return true;
  }
  return false;
}

/** What the checks read of a tar header; tar-stream gives a null type for a typeflag it does not know. */
export interface EntryHeader {
  readonly name: string;
  readonly type: string | null;
  readonly linkname?: string | null;
}

const ACCEPTED_TYPES = new Set(['file', 'contiguous-file', 'directory', 'symlink', 'link']);

/**
 * Why an entry (its name and link target as the PAX or GNU long headers left them) may not be in a
 * bundle, or null. A symbolic link's target is relative to the link's own folder; a hard link's
 * names another entry, relative to the archive's root.
 */
export function entryProblem(header: EntryHeader): string | null {
  const reason = unsafePathReason(header.name);
  if (reason) return `holds the entry "${header.name}", which ${reason}`;
  if (!header.type || !ACCEPTED_TYPES.has(header.type)) {
    return `holds "${header.name}", an entry of a kind bundles may not contain (${header.type ?? 'unknown'})`;
  }
  if (header.type === 'symlink' || header.type === 'link') {
    const target = header.linkname ?? '';
    const folder = header.type === 'symlink' ? segmentsOf(header.name).slice(0, -1) : [];
    if (target.includes('\0') || /^([\\/]|[A-Za-z]:)/.test(target) || escapes(folder, target)) {
      return `holds the link "${header.name}" pointing outside the archive (${target.replace(/\0/g, '\\0')})`;
    }
  }
  return null;
}

/**
 * Counts what gunzip produces and stops it past the size or ratio caps, so a bomb is refused after
 * a few megabytes of work instead of being inflated whole.
 */
function expansionGuard(limits: ArchiveLimits, compressedSoFar: () => number, inEntry: () => boolean): Transform {
  let expanded = 0;
  let betweenEntries = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      expanded += chunk.length;
      // Counted as it is handed on, a few kilobytes ahead of the parser: far below the cap.
      betweenEntries = inEntry() ? 0 : betweenEntries + chunk.length;
      if (betweenEntries > limits.maxHeaderBytes) {
        return callback(invalidArchive(`holds more than ${limits.maxHeaderBytes} bytes of headers between two entries (an oversized PAX or GNU long-name record)`));
      }
      if (expanded > limits.maxExpandedBytes) {
        return callback(invalidArchive(`unpacks to more than ${limits.maxExpandedBytes} bytes, the cap on a bundle's expanded size`));
      }
      if (expanded > limits.ratioGraceBytes && expanded > limits.maxRatio * compressedSoFar()) {
        return callback(
          invalidArchive(`expands more than ${limits.maxRatio} times its compressed size, the cap on a bundle's compression ratio (a decompression bomb?)`),
        );
      }
      callback(null, chunk);
    },
  });
}

/**
 * Decompresses and reads a .tar.gz as it arrives. zlib inflates in Node's thread pool, a chunk at a
 * time, so the event loop stays free; tar-stream parses ustar, PAX (path, linkpath, size) and GNU
 * long names and links. Entries are checked and skipped without being kept, except manifest.json.
 */
export function inspectArchive(limits: ArchiveLimits): ArchiveInspector {
  let compressed = 0;
  let failure: ApiError | null = null;
  let manifestText: string | null = null;
  let entries = 0;
  let fileCount = 0;

  const gunzip = createGunzip();
  let inEntry = false;
  const guard = expansionGuard(limits, () => compressed, () => inEntry);
  // Old (v7) tars have no ustar magic; their headers' checksums are verified all the same.
  const tar = extract({ allowUnknownFormat: true } as Parameters<typeof extract>[0]);
  let rejectFailed: (error: ApiError) => void = () => undefined;
  const failed = new Promise<never>((_resolve, reject) => {
    rejectFailed = reject;
  });
  failed.catch(() => undefined);

  const fail = (error: ApiError) => {
    if (failure) return;
    failure = error;
    rejectFailed(error);
    gunzip.destroy();
    guard.destroy();
    tar.destroy();
  };

  gunzip.on('error', () => fail(invalidArchive('is not a gzip-compressed tar archive (.tar.gz)')));
  guard.on('error', (error) => fail(error instanceof ApiError ? error : invalidArchive('cannot be decompressed')));
  tar.on('error', (error: Error) => fail(invalidArchive(`is not a valid tar archive (${error.message})`)));

  tar.on('entry', (header: Header, stream, next) => {
    inEntry = true;
    stream.on('end', () => {
      inEntry = false;
    });
    const problem = entryProblem(header);
    if (problem) return fail(invalidArchive(problem));
    entries += 1;
    if (entries > limits.maxEntries) return fail(invalidArchive(`holds more than ${limits.maxEntries} entries`));
    if (header.type === 'file' || header.type === 'contiguous-file') fileCount += 1;

    const isManifest = segmentsOf(header.name).join('/') === 'manifest.json';
    if (!isManifest) {
      stream.on('end', () => next());
      stream.resume();
      return;
    }
    // Two manifests (`manifest.json` and `./manifest.json`) would let what is checked differ from
    // what a build reads; a link or folder named manifest.json has no text to check.
    if (manifestText !== null) return fail(invalidArchive('holds two manifest.json entries at its top level'));
    if (header.type !== 'file' && header.type !== 'contiguous-file') {
      return fail(new ApiError(ErrorCode.InvalidManifest, 'manifest.json must be a regular file.', { field: 'manifest.json' }));
    }
    if (header.size > limits.maxManifestBytes) {
      return fail(new ApiError(ErrorCode.InvalidManifest, `manifest.json is larger than ${limits.maxManifestBytes} bytes.`, { field: 'manifest.json' }));
    }
    const pieces: Buffer[] = [];
    stream.on('data', (piece: unknown) => pieces.push(piece as Buffer));
    stream.on('end', () => {
      manifestText = Buffer.concat(pieces).toString('utf8');
      next();
    });
  });

  const finished = new Promise<void>((resolve) => tar.on('finish', () => resolve()));
  gunzip.pipe(guard).pipe(tar);

  return {
    async write(piece) {
      if (failure) throw failure;
      compressed += piece.length;
      if (gunzip.write(piece)) return;
      await Promise.race([new Promise((resolve) => gunzip.once('drain', resolve)), failed]);
    },
    async end() {
      if (failure) throw failure;
      gunzip.end();
      await Promise.race([finished, failed]);
      if (failure) throw failure;
      return { manifestText, fileCount };
    },
    abort() {
      if (!failure) fail(invalidArchive('upload was abandoned'));
    },
  };
}

/** The caps for a bundle limit: expanded size 4× the limit, ratio 200:1 after the first MiB. */
export function archiveLimitsFor(maxBundleBytes: number): ArchiveLimits {
  return {
    maxExpandedBytes: maxBundleBytes * 4,
    maxRatio: 200,
    ratioGraceBytes: MiB,
    maxEntries: 100_000,
    maxManifestBytes: 16 * MiB,
    maxHeaderBytes: 16 * MiB,
  };
}
