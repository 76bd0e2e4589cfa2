import { createHash } from 'node:crypto';
import { PassThrough, Readable, Transform, type TransformCallback, Writable, pipeline as pipeStreams } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { ApiError, type ImageTreeEntry } from '@envdesk/domain';
import { Decompress } from 'fzstd';
import { type Descriptor, imageProblem, parseDigest, shortDigest } from './blob-source.js';
import { HeaderLimitError, type TarEntryHeader, TarHeaderReader } from './tar-headers.js';

/**
 * What one layer does to the file system below it, in tar order. Whiteouts and opaque folders
 * remove what lower layers hold (OCI image-spec `layer.md`); a hard link takes its target's entry
 * when the layer is applied, as the target may sit in a lower layer.
 */
export type LayerChange =
  | { readonly kind: 'put'; readonly path: string; readonly entry: ImageTreeEntry }
  | { readonly kind: 'hardlink'; readonly path: string; readonly target: string }
  | { readonly kind: 'whiteout'; readonly path: string }
  | { readonly kind: 'opaque'; readonly path: string };

export interface LayerLimits {
  /** Decompressed bytes between two entries' data (PAX and GNU long-name records are held whole). */
  readonly maxHeaderBytes: number;
  /** A layer expanding more than this many times its stored size, past `ratioGraceBytes`, is a bomb. */
  readonly maxRatio: number;
  readonly ratioGraceBytes: number;
  /** A file `holdsVersion` picks is kept only up to this size (a version file is a few lines). */
  readonly maxContentBytes: number;
}

/** What one inspection may still read, shared by its layers. */
export interface ReadBudget {
  /** Stored (compressed) bytes: ENVDESK_INSPECT_MAX_BYTES. */
  bytesLeft: number;
  readonly maxBytes: number;
  /** Entries across all layers: a tar of millions of empty files would fill memory with headers. */
  entriesLeft: number;
  readonly maxEntries: number;
}

export const DEFAULT_LAYER_LIMITS: LayerLimits = {
  maxHeaderBytes: 1024 * 1024,
  maxRatio: 200,
  ratioGraceBytes: 256 * 1024 * 1024,
  maxContentBytes: 64 * 1024,
};

/** Layer media types inspection reads; their compression is then told by the blob's first bytes. */
const LAYER_MEDIA_TYPES = new Set([
  '',
  'application/vnd.oci.image.layer.v1.tar',
  'application/vnd.oci.image.layer.v1.tar+gzip',
  'application/vnd.oci.image.layer.v1.tar+zstd',
  'application/vnd.oci.image.layer.nondistributable.v1.tar',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
  'application/vnd.docker.image.rootfs.diff.tar',
  'application/vnd.docker.image.rootfs.diff.tar.gzip',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
]);

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);

/**
 * The compression is told by the blob's first bytes, not only its media type: `docker save`
 * layers are plain tars with no media type, and some tools label a plain tar `+gzip`.
 */
function decompressorFor(head: Buffer): Transform {
  if (head.subarray(0, 2).equals(GZIP_MAGIC)) return createGunzip({ chunkSize: 256 * 1024 });
  if (head.subarray(0, 4).equals(ZSTD_MAGIC)) return zstdDecompressor();
  return new PassThrough();
}

/** fzstd's streaming decompressor as a Node stream; it works a chunk at a time, synchronously. */
function zstdDecompressor(): Transform {
  const transform: Transform = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      try {
        decompress.push(chunk);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback: TransformCallback) {
      try {
        decompress.push(new Uint8Array(0), true);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
  const decompress = new Decompress((data) => {
    transform.push(Buffer.from(data));
  });
  return transform;
}

/** A name needing no tidying, told without splitting it: relative, no empty, `.` or `..` segment, no NUL (most of a layer's names). */
function isTidy(name: string): boolean {
  if (name === '' || name.charCodeAt(0) === 0x2f || name.includes('\0')) return false;
  const bare = name.endsWith('/') ? name.slice(0, -1) : name;
  if (bare === '.' || bare === '..' || bare.startsWith('./') || bare.startsWith('../') || bare.endsWith('/.') || bare.endsWith('/..')) return false;
  return !bare.includes('//') && !bare.includes('/./') && !bare.includes('/../');
}

/** `./opt/R/` → `/opt/R`; a name that is absolute, climbs with `..` or holds a NUL is refused. */
export function layerPath(name: string, layer: string): string {
  if (isTidy(name)) return name.endsWith('/') ? `/${name.slice(0, -1)}` : `/${name}`;
  const shown = name.replace(/\0/g, '\\0').slice(0, 200);
  if (name.includes('\0')) throw imageProblem(`Layer ${layer} holds the entry "${shown}", which contains a NUL character.`);
  if (name.startsWith('/')) throw imageProblem(`Layer ${layer} holds the entry "${shown}", which is an absolute path.`);
  const segments = name.split('/').filter((part) => part !== '' && part !== '.');
  if (segments.includes('..')) throw imageProblem(`Layer ${layer} holds the entry "${shown}", which climbs out of the image with "..".`);
  return `/${segments.join('/')}`;
}

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

/** The change one tar entry makes, or null for entries that change nothing inspection sees. */
function changeOf(header: TarEntryHeader, layer: string): LayerChange | null {
  const path = layerPath(header.name, layer);
  const slash = path.lastIndexOf('/');
  const folder = slash === 0 ? '/' : path.slice(0, slash);
  const base = path.slice(slash + 1);
  if (base === OPAQUE) return { kind: 'opaque', path: folder };
  // Other `.wh..wh.` names are aufs bookkeeping (hard-link stores), not files of the image.
  if (base.startsWith(`${WHITEOUT}${WHITEOUT}`)) return null;
  if (base.startsWith(WHITEOUT)) {
    const hidden = base.slice(WHITEOUT.length);
    return { kind: 'whiteout', path: folder === '/' ? `/${hidden}` : `${folder}/${hidden}` };
  }
  if (path === '/') return null;
  switch (header.type) {
    case 'directory':
      return { kind: 'put', path, entry: { kind: 'directory' } };
    case 'symlink':
      return { kind: 'put', path, entry: { kind: 'symlink', target: header.linkname ?? '' } };
    case 'link':
      return { kind: 'hardlink', path, target: layerPath(header.linkname ?? '', layer) };
    case 'file':
    case 'contiguous-file':
    case 'character-device':
    case 'block-device':
    case 'fifo': {
      const executable = header.type === 'file' || header.type === 'contiguous-file' ? ((header.mode ?? 0) & 0o111) !== 0 : false;
      return { kind: 'put', path, entry: { kind: 'file', executable, size: header.type.endsWith('file') ? (header.size ?? 0) : 0 } };
    }
    default:
      return null;
  }
}

/** What the tar reader threw, as the inspection's error: a refusal as it is, a record past the limit said so, anything else left to the caller. */
function readerError(error: unknown, layer: string, limits: LayerLimits): Error {
  if (error instanceof HeaderLimitError) {
    return imageProblem(`Layer ${layer} holds more than ${limits.maxHeaderBytes} bytes of tar headers between two entries (an oversized PAX or long-name record).`);
  }
  if (error instanceof ApiError) return error;
  return imageProblem(`Layer ${layer} cannot be read: ${(error as Error).message} (the blob is truncated or corrupt).`);
}

/** The first `count` bytes of a stream, and the stream again from its start. */
async function peek(stream: Readable, count: number): Promise<{ head: Buffer; whole: Readable }> {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const pieces: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < count) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    pieces.push(next.value);
    length += next.value.length;
  }
  const head = Buffer.concat(pieces);
  async function* whole() {
    if (head.length > 0) yield head;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { head, whole: Readable.from(whole(), { objectMode: false }) };
}

export const formatMegabytes = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;

/** The error an aborted read ends with: the timeout, or the caller giving up. */
export function stoppedError(signal: AbortSignal): ApiError {
  const reason: unknown = signal.reason;
  return reason instanceof Error && reason.name === 'TimeoutError'
    ? imageProblem('Inspecting the image took longer than its time limit (ENVDESK_INSPECT_TIMEOUT_SECONDS) and was stopped.')
    : imageProblem('Inspecting the image was stopped before it finished.');
}

/**
 * Reads one layer blob as it streams: counts and hashes the stored bytes (the digest is checked
 * once the blob ends, so a layer that is not what its manifest names is refused and never
 * remembered), decompresses, and parses tar headers, skipping file data except the few small
 * files `holdsVersion` picks.
 */
export async function readLayer(
  blob: Readable,
  descriptor: Descriptor,
  options: { holdsVersion: (path: string) => boolean; signal: AbortSignal; budget: ReadBudget; limits?: LayerLimits },
): Promise<LayerChange[]> {
  const limits = options.limits ?? DEFAULT_LAYER_LIMITS;
  const { budget, signal } = options;
  const layer = shortDigest(descriptor.digest);
  if (!LAYER_MEDIA_TYPES.has(descriptor.mediaType)) {
    blob.destroy();
    throw imageProblem(`Layer ${layer} has the media type ${descriptor.mediaType}, which is not a file-system layer inspection can read (an encrypted or foreign layer?).`);
  }
  const { algorithm, hex } = parseDigest(descriptor.digest);
  const hash = createHash(algorithm);
  let stored = 0;
  let expanded = 0;
  let failure: Error | null = null;
  const fail = (error: Error) => {
    failure ??= error;
    return failure;
  };

  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      stored += chunk.length;
      budget.bytesLeft -= chunk.length;
      if (budget.bytesLeft < 0) {
        return callback(fail(imageProblem(`The image is larger than ${budget.maxBytes} bytes, the most inspection reads (ENVDESK_INSPECT_MAX_BYTES).`)));
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  const onAbort = () => blob.destroy(fail(stoppedError(signal)));
  signal.addEventListener('abort', onAbort, { once: true });
  pipeStreams(blob, meter, () => undefined);

  const changes: LayerChange[] = [];
  /** The change whose file's content was asked for, to be given it once read. */
  let awaitingContent: (LayerChange & { kind: 'put' }) | null = null;
  const reader = new TarHeaderReader(
    {
      entry(header) {
        const change = changeOf(header, layer);
        budget.entriesLeft -= 1;
        if (budget.entriesLeft < 0) throw imageProblem(`The image holds more than ${budget.maxEntries} files, the most inspection reads.`);
        if (!change) return false;
        changes.push(change);
        if (change.kind !== 'put' || change.entry.kind !== 'file' || (header.type !== 'file' && header.type !== 'contiguous-file')) return false;
        if (change.entry.size > limits.maxContentBytes || !options.holdsVersion(change.path)) return false;
        awaitingContent = change;
        return true;
      },
      content(data) {
        const change = awaitingContent!;
        awaitingContent = null;
        if (change.entry.kind !== 'file') return;
        changes[changes.length - 1] = { kind: 'put', path: change.path, entry: { ...change.entry, content: data.toString('utf8') } };
      },
    },
    { maxHeaderBytes: limits.maxHeaderBytes },
  );
  // The tar is read as it is inflated, a chunk at a time and synchronously: no stream per entry.
  const tar = new Writable({
    highWaterMark: 1024 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      expanded += chunk.length;
      if (expanded > limits.ratioGraceBytes && expanded > limits.maxRatio * stored) {
        return callback(fail(imageProblem(`Layer ${layer} expands more than ${limits.maxRatio} times its stored size (a decompression bomb?).`)));
      }
      try {
        reader.push(chunk);
      } catch (error) {
        return callback(fail(readerError(error, layer, limits)));
      }
      callback();
    },
    final(callback) {
      try {
        reader.end();
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });

  try {
    const { head, whole } = await peek(meter, 4);
    if (head.length > 0) await pipeline(whole, decompressorFor(head), tar, { signal });
    else await pipeline(whole, new PassThrough(), { signal });
  } catch (error) {
    if (failure) throw failure;
    if (signal.aborted) throw stoppedError(signal);
    if (error instanceof ApiError) throw error;
    throw imageProblem(`Layer ${layer} cannot be read: ${(error as Error).message} (the blob is truncated or corrupt).`);
  } finally {
    signal.removeEventListener('abort', onAbort);
    blob.destroy();
  }
  if (failure) throw failure;
  if (hash.digest('hex') !== hex) {
    throw imageProblem(`Layer ${layer} does not match its digest: its content is not what the manifest names (corrupt, truncated or tampered with).`);
  }
  if (stored !== descriptor.size) throw imageProblem(`Layer ${layer} is ${stored} bytes, not the ${descriptor.size} its manifest says.`);
  return changes;
}
