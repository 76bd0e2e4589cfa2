import { ApiError, ErrorCode, userChange } from '@envdesk/domain';
import type { Logger } from 'pino';
import type { AuthService } from '../auth/auth-service.js';
import { hashPassword, newSecret } from '../auth/secrets.js';
import { type Clock, newGuid, timestamp } from '../clock.js';
import type { Store } from '../db/store.js';
import type { Settings } from '../settings.js';

export interface FirstStartDeps {
  readonly store: Store;
  readonly auth: AuthService;
  readonly clock: Clock;
  readonly settings: Pick<Settings, 'bootstrap'>;
  readonly logger: Logger;
  /** Where a generated password is shown, once; not the structured log, which may be shipped elsewhere. */
  readonly announce: (text: string) => void;
}

/**
 * On a database with no users, creates the first administrator from the ENVDESK_BOOTSTRAP_*
 * settings, or with a generated password printed once. Returns whether the database was empty.
 */
export async function ensureAdministrator({ store, auth, clock, settings, logger, announce }: FirstStartDeps): Promise<boolean> {
  if ((await store.users.count()) > 0) return false;
  const username = settings.bootstrap.username ?? 'admin';
  const password = settings.bootstrap.password ?? newSecret(12);
  try {
    const admin = await store.transaction(async (tx) => {
      const now = timestamp(clock);
      const record = await tx.users.insert(
        newGuid(),
        { username, email: '', first_name: 'envdesk', last_name: 'Administrator', user_role: 'administrator' },
        await hashPassword(password),
        now,
      );
      await tx.audit.append({ kind: 'system' }, [userChange('add', null, record.user, { passwordSet: true })], now);
      return record;
    });
    if (settings.bootstrap.apiKey) await auth.importKey(admin, 'bootstrap', settings.bootstrap.apiKey);
  } catch (error) {
    // Another replica created the administrator first (the users store says so as a duplicate name).
    if (error instanceof ApiError && error.code === ErrorCode.DuplicateName) return false;
    throw error;
  }
  logger.info({ username }, 'created the first administrator');
  if (!settings.bootstrap.password) {
    announce(
      `\n  envdesk created the administrator "${username}" with the password:\n\n      ${password}\n\n  It is shown only this once. Sign in and keep it somewhere safe.\n`,
    );
  }
  return true;
}
