import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Request, RequestHandler } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

type Header = readonly [name: string, value: string];

/**
 * The headers helmet sets with `options`, found once by running it on a response that only records
 * them. With static options they are the same strings for every request; run as helmet's chain of a
 * dozen middlewares they cost each request a call, a check and a `next` apiece.
 */
function helmetHeaders(options?: HelmetOptions): readonly Header[] {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader(name: string, value: string) {
      headers.set(name, value);
    },
    removeHeader(name: string) {
      headers.delete(name);
    },
  };
  let finished = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  // helmet answers synchronously; were it ever to depend on the request, the headers found here would be wrong.
  if (!finished) throw new Error('helmet did not finish synchronously; security headers cannot be computed once');
  return [...headers];
}

/**
 * Over TLS, as Express's `req.secure` says, without asking it when nothing could make it true:
 * `req.secure` checks whether the peer is a trusted proxy (parsing its address) on every request,
 * and a plain connection without X-Forwarded-Proto is plain whoever the peer is.
 */
const overTls = (req: Request) => (req.socket as TLSSocket).encrypted === true || (req.headers['x-forwarded-proto'] !== undefined && req.secure);

const API_PREFIX = '/__api__/';

/**
 * What an API answer (JSON, a bundle, a task log) needs, as the OWASP REST Security Cheat Sheet lists
 * it: nothing may run, load or frame it, nobody may sniff it into HTML, nor read it from another
 * origin's page. The page headers (Origin-Agent-Cluster, DNS prefetching, the Flash and IE ones) are
 * about documents; an API answer sends a stricter policy in fewer bytes, on every call a client makes.
 */
const API_HEADERS: readonly Header[] = [
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Referrer-Policy', 'no-referrer'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
];

/**
 * helmet's headers, with those that only make sense over TLS sent only then. Over plain HTTP,
 * `upgrade-insecure-requests` makes browsers fetch the web app's scripts and styles over https, which
 * nothing answers on any host but localhost: a blank page. HSTS there is meaningless (browsers ignore
 * it) and wrong (it would pin https on a server that has none); Cross-Origin-Opener-Policy is ignored
 * there too. "Over TLS" is Express's `req.secure`: a TLS connection, or X-Forwarded-Proto: https from
 * a proxy that ENVDESK_TRUST_PROXY trusts.
 */
export function securityHeaders(): RequestHandler {
  const tlsHeaders = helmetHeaders();
  const plainHeaders = helmetHeaders({
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    strictTransportSecurity: false,
    // Browsers ignore COOP on an origin that is not secure, and Chromium logs an error on every page
    // saying so: it is sent where it works.
    crossOriginOpenerPolicy: false,
  });
  const hsts = tlsHeaders.filter(([name]) => name === 'Strict-Transport-Security');
  const apiTlsHeaders = [...API_HEADERS, ...hsts];
  return (req, res, next) => {
    const tls = overTls(req);
    const headers = req.url.startsWith(API_PREFIX) ? (tls ? apiTlsHeaders : API_HEADERS) : tls ? tlsHeaders : plainHeaders;
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}
