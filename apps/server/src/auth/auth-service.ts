import {
  type Actor,
  type ApiKey,
  ApiError,
  type CreatedApiKey,
  type LoginInput,
  type Result,
  type User,
  ErrorCode,
  err,
  invalidLogin,
  notFound,
  ok,
  parseRecordId,
} from '@envdesk/domain';
import type { Logger } from 'pino';
import type { Store } from '../db/store.js';
import { type Clock, rfc3339, timestamp } from '../clock.js';
import type { UserRecord } from '../users/users-store.js';
import type { OwnerRecord, ReadAlongside, SessionRecord } from './credentials-store.js';
import { DEFAULT_SIGN_IN_LIMITS, type SignInLimits, decideThrottle, waitInWords } from './sign-in-throttle.js';
import { dummyPasswordHash, hashPassword, newSecret, sha256, verifyPassword } from './secrets.js';

const SESSION_HOURS = 12;
/**
 * The one answer to every failed sign-in: an unknown user, a wrong password and a locked account
 * (even with the right password) read the same, so the answer reveals neither who exists nor
 * whether a guessed password was right.
 */
export const SIGN_IN_FAILED = 'The username or password is not correct.';
/** Writing last-used times on every request would turn each read into a write. */
const TOUCH_INTERVAL_MS = 60_000;

export interface AuthServiceDeps {
  readonly store: Pick<Store, 'credentials' | 'signInFailures' | 'users' | 'transaction'>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly signInLimits?: SignInLimits;
}

/** Credentials that hold: who sent them, and how. */
export interface Authenticated extends ReadAlongside {
  readonly actor: Actor;
  readonly user: UserRecord;
  readonly via: 'key' | 'session';
  readonly session: SessionRecord | null;
}

/** 429 with the wait in `payload.retry_after` (seconds), which the error middleware also sends as Retry-After. */
const tooManySignIns = (retryAfterSeconds: number): ApiError =>
  new ApiError(
    ErrorCode.InvalidLogin,
    `Too many failed sign-ins. Try again in ${waitInWords(retryAfterSeconds)}.`,
    { retry_after: retryAfterSeconds },
    429,
  );

export function createAuthService({ store, clock, logger, signInLimits = DEFAULT_SIGN_IN_LIMITS }: AuthServiceDeps) {
  // Made now rather than on the first unknown username, whose answer would otherwise take twice as long.
  void dummyPasswordHash();

  function signedIn(record: OwnerRecord, via: 'key' | 'session', session: SessionRecord | null, alongside: ReadAlongside): Result<Authenticated> {
    if (record.user.locked) return err(invalidLogin('This account is locked.'));
    const actor = { guid: record.user.guid, role: record.user.user_role, groupGuids: record.groupGuids };
    return ok({ actor, user: record, via, session, environmentsRevision: alongside.environmentsRevision });
  }

  return {
    /** The key's owner, or why the key is refused (unknown, or its owner locked). */
    async authenticateKey(key: string): Promise<Result<Authenticated>> {
      const found = await store.credentials.findApiKeyOwner(sha256(key));
      if (!found) return err(invalidLogin('The API key is not valid.'));
      const current = clock.now();
      if (!found.lastUsedTime || current.getTime() - Date.parse(found.lastUsedTime) > TOUCH_INTERVAL_MS) {
        await store.credentials.touchApiKey(found.keyId, rfc3339(current));
      }
      return signedIn(found.owner, 'key', null, found);
    },

    /** The session's owner, or why the session is refused (unknown, ended, or its owner locked). */
    async authenticateSession(token: string): Promise<Result<Authenticated>> {
      const session = await store.credentials.findSession(sha256(token));
      if (!session || session.expiresTime < timestamp(clock)) {
        return err(invalidLogin('Your session has ended; sign in again.'));
      }
      return signedIn(session.owner, 'session', session, session);
    },

    /**
     * Checks the password and opens a session; the same work and the same answer for every failure.
     * `address` is the client's, as the throttle keys it.
     */
    async login(input: LoginInput, address: string): Promise<{ token: string; user: User; expires: Date }> {
      const usernameKey = input.username.toLowerCase();
      const started = clock.now();
      const since = new Date(started.getTime() - signInLimits.windowMs).toISOString();
      await store.signInFailures.removeBefore(since);
      // Counted as a failure from the start, so a burst of concurrent guesses sees itself.
      const attempt = await store.signInFailures.record(usernameKey, address, started.toISOString());
      const recent = await store.signInFailures.recent({ usernameKey, address, since, excludeId: attempt, ...signInLimits });
      const decision = decideThrottle(recent, signInLimits, started);
      if (decision.throttled) {
        await store.signInFailures.forget(attempt);
        logger.warn(
          { username: input.username, address, throttled_by: decision.throttled, retry_after: decision.retryAfterSeconds },
          'sign-in throttled',
        );
        throw tooManySignIns(decision.retryAfterSeconds);
      }

      const record = await store.users.findByUsername(input.username);
      // An unknown user costs one scrypt too, so timing does not enumerate usernames.
      const valid = await verifyPassword(input.password, record?.passwordHash ?? (await dummyPasswordHash()));
      // A failure keeps its row: that is what the throttle counts.
      if (!record?.passwordHash || !valid || record.user.locked) throw invalidLogin(SIGN_IN_FAILED);
      const token = newSecret(32);
      const current = clock.now();
      const expires = new Date(current.getTime() + SESSION_HOURS * 3600_000);
      await store.transaction(async (tx) => {
        await tx.signInFailures.forget(attempt);
        await tx.credentials.removeExpiredSessions(rfc3339(current));
        await tx.credentials.insertSession(record.id, sha256(token), newSecret(24), rfc3339(current), rfc3339(expires));
        await tx.users.markActive(record.id, rfc3339(current));
      });
      const user = (await store.users.findById(record.id))?.user ?? record.user;
      return { token, user, expires };
    },

    async logout(sessionId: number): Promise<void> {
      await store.credentials.removeSession(sessionId);
    },

    listKeys: (owner: UserRecord): Promise<ApiKey[]> => store.credentials.listApiKeys(owner.id),

    /** The key text is returned here once and never again: only its hash is kept. */
    async createKey(owner: UserRecord, name: string): Promise<CreatedApiKey> {
      const key = newSecret(24);
      const created = await store.credentials.insertApiKey(owner.id, name, sha256(key), timestamp(clock));
      return { ...created, key };
    },

    async removeKey(owner: UserRecord, id: string): Promise<void> {
      const keyId = parseRecordId(id);
      const removed = keyId !== null && (await store.credentials.removeApiKey(owner.id, keyId));
      if (!removed) throw notFound('API key');
    },

    /** Used by first start: a key chosen by the operator, stored hashed like any other. */
    async importKey(owner: UserRecord, name: string, key: string): Promise<void> {
      await store.credentials.insertApiKey(owner.id, name, sha256(key), timestamp(clock));
    },

    hashPassword,
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
