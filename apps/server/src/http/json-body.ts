import type { IncomingMessage } from 'node:http';
import { ApiError, ErrorCode } from '@envdesk/domain';
import express, { type RequestHandler } from 'express';

type JsonOptions = NonNullable<Parameters<typeof express.json>[0]>;

/** As body-parser decides it: a request with neither Transfer-Encoding nor a numeric Content-Length has none. */
const hasBody = (req: IncomingMessage) => req.headers['transfer-encoding'] !== undefined || !Number.isNaN(Number(req.headers['content-length']));

const contentEncoding = (req: IncomingMessage) => (req.headers['content-encoding'] ?? 'identity').toLowerCase();

/**
 * express.json, but a body its Content-Encoding does not decode (bytes sent as `gzip` that are not
 * gzip, a truncated brotli stream) answers 415 rather than 500. body-parser names every error it
 * raises itself with a `type`; the decompressor's errors it passes on without one (issue 9 § 3).
 */
export function jsonBody(options: JsonOptions): RequestHandler {
  const parse = express.json(options);
  return (req, res, next) => {
    // Most requests (every GET) have no body: body-parser would only find that out, a few calls deeper.
    if (!hasBody(req)) {
      req.body = undefined;
      return next();
    }
    parse(req, res, (error?: unknown) => {
      const typed = typeof error === 'object' && error !== null && 'type' in error;
      if (error && !typed && contentEncoding(req) !== 'identity') {
        return next(
          new ApiError(
            ErrorCode.CannotParseRequestBody,
            `The request body cannot be decoded as its Content-Encoding (${contentEncoding(req)}) says: ${(error as Error).message}.`,
            { field: 'Content-Encoding' },
            415,
          ),
        );
      }
      next(error as Error | undefined);
    });
  };
}
