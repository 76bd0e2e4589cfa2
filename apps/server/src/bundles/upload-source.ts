import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { ApiError, ErrorCode } from '@envdesk/domain';
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

/**
 * The archive's bytes however the client sends them (API.md, "What real clients trip on" 1): the
 * raw body with any or no Content-Type, plain or chunked, or the multipart part `archive`
 * (rsconnect-python with git metadata), parsed by busboy as it arrives. Other parts are skipped.
 */
export async function archiveSource(req: IncomingMessage, maxBytes: number): Promise<AsyncIterable<Buffer>> {
  const encoding = req.headers['content-encoding'];
  if (encoding && encoding.toLowerCase() !== 'identity') {
    return Promise.reject(
      new ApiError(ErrorCode.CannotParseRequestBody, 'Send the .tar.gz as it is, without a Content-Encoding.', { field: 'Content-Encoding' }, 415),
    );
  }
  if (!isMultipart(req)) return piecesOf(req);
  // The multipart parser loads with the first such upload, not with every start. The request
  // stays paused meanwhile: nothing reads it until it is piped below.
  const { default: parseMultipart } = await import('busboy');
  let parser: busboy.Busboy;
  try {
    // One byte over the limit is enough to tell the upload is too large.
    parser = parseMultipart({ headers: req.headers, limits: { fileSize: maxBytes + 1, files: 4, fields: 16, fieldSize: 1024 * 1024, parts: 20 } });
  } catch (error) {
    return Promise.reject(unreadable((error as Error).message));
  }
  return new Promise((resolve, reject) => {
    let found = false;
    parser.on('file', (name, file) => {
      if (name === 'archive' && !found) {
        found = true;
        resolve(piecesOf(file));
      } else file.resume();
    });
    parser.on('close', () => {
      if (!found) reject(missing());
    });
    parser.on('error', (error: Error) => reject(unreadable(error.message)));
    req.pipe(parser);
  });
}
