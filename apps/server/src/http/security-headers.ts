import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * helmet's headers, with those that only make sense over TLS sent only then. Over plain HTTP,
 * `upgrade-insecure-requests` makes browsers fetch the web app's scripts and styles over https, which
 * nothing answers on any host but localhost: a blank page. HSTS there is meaningless (browsers ignore
 * it) and wrong (it would pin https on a server that has none); Cross-Origin-Opener-Policy is ignored
 * there too. "Over TLS" is Express's `req.secure`: a TLS connection, or X-Forwarded-Proto: https from
 * a proxy that ENVDESK_TRUST_PROXY trusts.
 */
export function securityHeaders(): RequestHandler {
  const overTls = helmet();
  const overPlainHttp = helmet({
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    strictTransportSecurity: false,
    // Browsers ignore COOP on an origin that is not secure, and Chromium logs an error on every page
    // saying so: it is sent where it works.
    crossOriginOpenerPolicy: false,
  });
  return (req, res, next) => (req.secure ? overTls : overPlainHttp)(req, res, next);
}
