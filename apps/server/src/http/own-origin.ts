import { ApiError, ErrorCode } from '@envdesk/domain';
import type { RequestHandler } from 'express';

export interface OriginHeaders {
  /** `Origin`, sent by browsers on every POST. */
  readonly origin: string | undefined;
  /** `Sec-Fetch-Site`, set by the browser (pages cannot forge it): how the page relates to the URL. */
  readonly fetchSite: string | undefined;
  /** The host the client asked for: `Host`, or a trusted proxy's `X-Forwarded-Host`. */
  readonly host: string | undefined;
}

/**
 * Whether a request comes from envdesk's own pages, or from no page at all (curl, scripts).
 *
 * The browser's Sec-Fetch-Site decides when sent: it compares the page with the URL the browser
 * itself used, so it stays right behind a proxy that rewrites Host (and the web app's dev server).
 * Without it (older browsers), Origin must name the requested host. Without either, the caller is
 * not a browser, and cannot be riding a visitor's cookies.
 */
export function isOwnOrigin({ origin, fetchSite, host }: OriginHeaders): boolean {
  if (fetchSite !== undefined) return fetchSite === 'same-origin';
  if (origin === undefined) return true;
  if (!host) return false;
  try {
    const page = new URL(origin);
    // The requested host read with the page's scheme, so an omitted default port compares equal.
    return page.host === new URL(`${page.protocol}//${host}`).host;
  } catch {
    // `Origin: null` (sandboxed frames, file pages) and malformed values are nobody's own origin.
    return false;
  }
}

/**
 * Signing in and out: JSON only (a cross-site HTML form cannot send it) from envdesk's own pages,
 * so another site can neither sign a visitor in to an account of its choosing nor sign them out.
 * Mounted before the body parsers, so a refused body is never read.
 */
export const ownOriginJsonOnly: RequestHandler = (req, _res, next) => {
  if (req.is('application/json') !== 'application/json') {
    throw new ApiError(ErrorCode.CannotParseRequestBody, 'Send this request as JSON (Content-Type: application/json).', null, 415);
  }
  if (!isOwnOrigin({ origin: req.get('origin'), fetchSite: req.get('sec-fetch-site'), host: req.host })) {
    throw new ApiError(ErrorCode.PermissionDenied, "Signing in and out is accepted only from envdesk's own pages.", { field: 'Origin' });
  }
  next();
};
