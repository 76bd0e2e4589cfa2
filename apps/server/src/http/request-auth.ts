import type { Actor, ApiError } from '@envdesk/domain';
import type { SessionRecord } from '../auth/credentials-store.js';
import type { UserRecord } from '../users/users-store.js';

/** The browser session's cookie. */
export const SESSION_COOKIE = 'envdesk_session';

/** Who sent a request, as the authenticate middleware found out. */
export interface RequestAuth {
  readonly actor: Actor | null;
  readonly user: UserRecord | null;
  readonly via: 'key' | 'session' | null;
  readonly session: SessionRecord | null;
  /** Set when credentials were sent but refused (unknown key, expired session, locked account). */
  readonly rejection: ApiError | null;
  /** The environments revision, read with the credentials (null without them): the list route's. */
  readonly environmentsRevision: number | null;
}

export const anonymous: RequestAuth = { actor: null, user: null, via: null, session: null, rejection: null, environmentsRevision: null };

declare module 'express-serve-static-core' {
  interface Request {
    auth: RequestAuth;
  }
}
