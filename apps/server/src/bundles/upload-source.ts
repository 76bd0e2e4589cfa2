import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { ApiError, BUNDLE_SOURCE_MAX_BYTES, ErrorCode } from '@envdesk/domain';
import type busboy from 'busboy';

const missing = () =>
  new ApiError(ErrorCode.BundleMissing, 'The multipart body has no "archive" part holding the .tar.gz.', { field: 'archive' });

const unreadable = (message: string) =>
  new ApiError(ErrorCode.CannotParseRequestBody, `The upload cannot be read: ${message}.`, { field: 'archive' });

/**
 * The stream's pieces; an error while reading (a client that hung up, a malformed multipart body)
 * becomes a 400, and leaving the loop early does not destroy the request, so the answer still goes out.
 */
async function* piecesOf(stream: Readable): AsyncGenerator<Buffer> {
  try {
    for await (const piece of stream.iterator({ destroyOnReturn: false })) yield piece as Buffer;
  } catch (error) {
    throw error instanceof ApiError ? error : unreadable((error as Error).message);
  }
}

export const isMultipart = (req: IncomingMessage) => /^multipart\/form-data/i.test(req.headers['content-type'] ?? '');

/** What an upload carries: the archive's bytes, and the text of the multipart part `metadata` if any. */
export interface UploadSource {
  readonly archive: AsyncIterable<Buffer>;
  /**
   * Settles once the whole body has been read (the part may follow the archive), never rejects:
   * a failure is the archive's to report, and a rejection nobody awaits would crash the process.
   */
  readonly metadata: Promise<string | null>;
}

/**
 * The archive's bytes however the client sends them (API.md, "What real clients trip on" 1): the
 * raw body with any or no Content-Type, plain or chunked, or the multipart part `archive`
 * (rsconnect-python with git metadata in the part `metadata`), parsed by busboy as it arrives.
 * Other parts are skipped.
 */
export async function archiveSource(req: IncomingMessage, maxBytes: number): Promise<UploadSource> {
  const encoding = req.headers['content-encoding'];
  if (encoding && encoding.toLowerCase() !== 'identity') {
    return Promise.reject(
      new ApiError(ErrorCode.CannotParseRequestBody, 'Send the .tar.gz as it is, without a Content-Encoding.', { field: 'Content-Encoding' }, 415),
    );
  }
  if (!isMultipart(req)) return { archive: piecesOf(req), metadata: Promise.resolve(null) };
  // The multipart parser loads with the first such upload, not with every start. The request
  // stays paused meanwhile: nothing reads it until it is piped below.
  const { default: parseMultipart } = await import('busboy');
  let parser: busboy.Busboy;
  try {
    // One byte over the limit is enough to tell the upload is too large.
    parser = parseMultipart({ headers: req.headers, limits: { fileSize: maxBytes + 1, files: 4, fields: 16, fieldSize: BUNDLE_SOURCE_MAX_BYTES + 1, parts: 20 } });
  } catch (error) {
    return Promise.reject(unreadable((error as Error).message));
  }
  let metadataText: string | null = null;
  const metadata = new Promise<string | null>((settle) => {
    parser.on('close', () => settle(metadataText));
    parser.on('error', () => settle(null));
  });
  // Sent as a plain field, or as a part with a file name (some form libraries do): the same text,
  // kept to a little over the limit so that parseBundleSource can tell it was too large.
  parser.on('field', (name, value) => {
    if (name === 'metadata') metadataText ??= value;
  });
  return new Promise((resolve, reject) => {
    let found = false;
    parser.on('file', (name, file) => {
      if (name === 'archive' && !found) {
        found = true;
        resolve({ archive: piecesOf(file), metadata });
      } else if (name === 'metadata' && metadataText === null) {
        const pieces: Buffer[] = [];
        let bytes = 0;
        file.on('data', (piece: Buffer) => {
          if (bytes > BUNDLE_SOURCE_MAX_BYTES) return;
          pieces.push(piece);
          bytes += piece.length;
        });
        file.on('end', () => {
          metadataText ??= Buffer.concat(pieces).toString('utf8');
        });
      } else file.resume();
    });
    parser.on('close', () => {
      if (!found) reject(missing());
    });
    parser.on('error', (error: Error) => reject(unreadable(error.message)));
    req.pipe(parser);
  });
}
