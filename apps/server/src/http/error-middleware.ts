import { ApiError, ErrorCode } from '@envdesk/domain';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { classifyDatabaseError } from '../db/errors.js';

/** How long a client should wait before retrying after a 503: about what a PostgreSQL restart takes. */
export const RETRY_AFTER_SECONDS = 5;

interface BodyParserError {
  type: string;
  message: string;
}

const isBodyParserError = (error: unknown): error is BodyParserError =>
  typeof error === 'object' && error !== null && typeof (error as { type?: unknown }).type === 'string';

/**
 * Express's router answers a path parameter it cannot percent-decode (`/v1/users/%E0%A4%A`) with a
 * URIError marked 400; it is the client's mistake, never a 500.
 */
const isUndecodablePath = (error: unknown): error is URIError & { status: number } =>
  error instanceof URIError && (error as { status?: unknown }).status === 400;

/** Anything thrown → Connect's `{code, error, payload}`; only unexpected errors are logged, as 500s. */
export function toApiError(error: unknown, logger: Logger): ApiError {
  if (error instanceof ApiError) return error;
  if (isUndecodablePath(error)) {
    return new ApiError(ErrorCode.BadRequest, `The request path is not valid: it has a malformed percent escape (${error.message}).`);
  }
  if (isBodyParserError(error)) {
    switch (error.type) {
      case 'entity.parse.failed':
        return new ApiError(ErrorCode.InvalidJson, `The request body is not valid JSON: ${error.message}`);
      case 'entity.too.large':
        return new ApiError(ErrorCode.BadRequest, 'The request body is too large.', null, 413);
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return new ApiError(ErrorCode.CannotParseRequestBody, error.message, null, 415);
      default:
        return new ApiError(ErrorCode.CannotParseRequestBody, `The request body cannot be read: ${error.message}`);
    }
  }
  // Connect has no error code for "try later" or "no space": both keep InternalFailure (1), which
  // Connect clients already treat as a server-side failure, and the HTTP status tells them apart.
  switch (classifyDatabaseError(error)) {
    case 'unavailable':
      logger.warn({ err: error }, 'database unavailable: answered 503');
      return new ApiError(
        ErrorCode.InternalFailure,
        `The database is unavailable, so the request could not be completed. Try again in ${RETRY_AFTER_SECONDS} seconds.`,
        null,
        503,
      );
    case 'disk-full':
      logger.error({ err: error }, 'disk full: the change cannot be written; free disk space (or raise the database size limit)');
      return new ApiError(
        ErrorCode.InternalFailure,
        'The disk is full: this change cannot be stored, so nothing was changed. An administrator must free disk space.',
        null,
        507,
      );
    case null:
      break;
  }
  logger.error({ err: error }, 'unexpected error');
  return new ApiError(ErrorCode.InternalFailure, 'An internal error occurred; the server log has the details.');
}

export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const apiError = toApiError(error, logger);
    // Refused before its body was read (a bundle upload by an anonymous caller, or over the limit):
    // close the connection once answered, or Node would read and discard the rest of the body to
    // keep the connection alive, up to hundreds of megabytes nobody asked for.
    if (!req.complete) res.setHeader('Connection', 'close');
    // A 503 is temporary by definition; saying when to retry spares the database a stampede.
    if (apiError.status === 503) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    // A 429 says how long in its payload (a throttled sign-in); the header says it to HTTP clients.
    const retryAfter = apiError.payload?.['retry_after'];
    if (apiError.status === 429 && typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
    res.status(apiError.status).json(apiError.toJSON());
  };
}

/** Unknown paths under `/__api__` answer Connect's JSON 404, never the web app's HTML. */
export const apiNotFound: RequestHandler = (req, _res, next) => {
  next(new ApiError(ErrorCode.ObjectDoesNotExist, `There is no API endpoint ${req.method} ${req.originalUrl.split('?')[0]}.`));
};
