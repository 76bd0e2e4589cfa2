import { CreateApiKeyInputSchema, LoginInputSchema, type SessionState, parseOrThrow } from '@envdesk/domain';
import type { Request, Response } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { SESSION_COOKIE } from '../http/request-auth.js';
import { type RouteSpec, param, requireCsrfToken, route, userOf } from '../http/routes.js';
import type { AuthService } from './auth-service.js';

/**
 * The client's address as the sign-in throttle counts it: `req.ip` (which honours ENVDESK_TRUST_PROXY),
 * an IPv6 client by its /56 network, since one subscriber commonly holds a whole such range.
 */
function clientAddress(req: Request): string {
  return req.ip ? ipKeyGenerator(req.ip, 56) : 'unknown';
}

function sessionCookieOptions(req: Request) {
  return { httpOnly: true, sameSite: 'lax' as const, secure: req.secure, path: '/' };
}

/**
 * Where a session starts and ends. app.ts lets only JSON from envdesk's own pages reach them
 * (http/own-origin.ts), refusing anything else before its body is read.
 */
export const SESSION_PATHS = ['/v1/auth/login', '/v1/auth/logout'];

/** Sign-in, sign-out, CSRF tokens and the current user's API keys (envdesk additions, Connect style). */
export function authRoutes(auth: AuthService): RouteSpec[] {
  return [
    route('get', '/v1/user', 'session:own', (req, res) => {
      res.json(userOf(req).user);
    }),

    // Connect's legacy "me" (connectapi's `client$me()`): the v1 record plus the numeric `id` older clients key on.
    route('get', '/me', 'session:own', (req, res) => {
      const { id, user } = userOf(req);
      res.json({ ...user, id });
    }),

    // Public: being signed out is an answer here (user null), not a 401, so the web app's first
    // request logs no error in the browser's console. Refused credentials answer null as well.
    route('get', '/v1/auth/session', 'public', (req, res) => {
      const state: SessionState = { user: req.auth.user?.user ?? null };
      res.json(state);
    }),

    route('post', '/v1/auth/login', 'public', async (req, res) => {
      const { token, user, expires } = await auth.login(parseOrThrow(LoginInputSchema, req.body), clientAddress(req));
      res.cookie(SESSION_COOKIE, token, { ...sessionCookieOptions(req), expires });
      res.json(user);
    }),

    route('post', '/v1/auth/logout', 'public', async (req: Request, res: Response) => {
      // Ending a live session takes its CSRF token, like any cookie-authenticated write; with no
      // live session there is nothing to end, and the cookie is cleared all the same.
      const { session } = req.auth;
      if (session) {
        requireCsrfToken(req, session);
        await auth.logout(session.id);
      }
      res.clearCookie(SESSION_COOKIE, sessionCookieOptions(req));
      res.status(204).end();
    }),

    route('get', '/v1/auth/csrf', 'session:own', (req, res) => {
      // Key-authenticated callers need no token; they get one anyway so a client need not branch.
      res.json({ token: req.auth.session?.csrfToken ?? null });
    }),

    route('get', '/v1/user/keys', 'session:own', async (req, res) => {
      res.json(await auth.listKeys(userOf(req)));
    }),

    route('post', '/v1/user/keys', 'session:own', async (req, res) => {
      const { name } = parseOrThrow(CreateApiKeyInputSchema, req.body ?? {});
      res.json(await auth.createKey(userOf(req), name));
    }),

    route('delete', '/v1/user/keys/:id', 'session:own', async (req, res) => {
      await auth.removeKey(userOf(req), param(req, 'id'));
      res.status(204).end();
    }),
  ];
}
