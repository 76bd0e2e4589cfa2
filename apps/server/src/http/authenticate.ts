import type { Result } from '@envdesk/domain';
import type { Request, RequestHandler } from 'express';
import type { Authenticated, AuthService } from '../auth/auth-service.js';
import { type RequestAuth, SESSION_COOKIE, anonymous } from './request-auth.js';

const KEY_HEADER = /^Key\s+(\S+)\s*$/i;

/** `Authorization: Key …` (or X-RSC-Authorization, used beside other schemes), else the session cookie. */
export function readApiKey(header: string | undefined): string | null {
  return header ? (KEY_HEADER.exec(header)?.[1] ?? null) : null;
}

/**
 * The cookie's value, or null when it is absent or cannot be read (a malformed percent escape such
 * as `envdesk_session=%`): an unreadable session cookie is no session, so it never locks its holder
 * out of every route, sign-in included (issue 9 § 3).
 */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) {
      try {
        return decodeURIComponent(part.slice(index + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

const requestAuthOf = (result: Result<Authenticated>): RequestAuth =>
  result.ok ? { ...result.value, rejection: null } : { ...anonymous, rejection: result.error };

/** The credential a request carries: an API key wins over the session cookie. */
export type Credential = { readonly kind: 'key' | 'session'; readonly secret: string };

export function credentialOf(req: Request): Credential | null {
  const key = readApiKey(req.get('authorization')) ?? readApiKey(req.get('x-rsc-authorization'));
  if (key) return { kind: 'key', secret: key };
  const token = readCookie(req.get('cookie'), SESSION_COOKIE);
  return token ? { kind: 'session', secret: token } : null;
}

/** Who `credential` belongs to now, or why it no longer holds (revoked, ended, its owner locked). */
export const authenticateCredential = (auth: AuthService, credential: Credential): Promise<Result<Authenticated>> =>
  credential.kind === 'key' ? auth.authenticateKey(credential.secret) : auth.authenticateSession(credential.secret);

/** Finds out who is asking; refusing is left to each route's guard (public routes ignore bad credentials). */
export function authenticate(auth: AuthService): RequestHandler {
  return async (req, _res, next) => {
    const credential = credentialOf(req);
    req.auth = credential ? requestAuthOf(await authenticateCredential(auth, credential)) : anonymous;
    next();
  };
}
