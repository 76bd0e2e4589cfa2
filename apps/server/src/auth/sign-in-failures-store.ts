import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** The failed sign-ins of the throttle's window that bear on one attempt; times newest first. */
export interface RecentFailures {
  /** From this address, any username (at most the address limit of them). */
  readonly byAddress: readonly string[];
  /** For this username, from any address (at most the username limit of them). */
  readonly byUser: readonly string[];
  /** For this username from this address: the latest one, if any. */
  readonly byUserFromAddress: readonly string[];
}

export interface RecentFailuresQuery {
  readonly usernameKey: string;
  readonly address: string;
  /** Only failures after this time count (ISO 8601 with milliseconds). */
  readonly since: string;
  /** The attempt being decided, which is not one of its own predecessors. */
  readonly excludeId: number;
  readonly maxFailuresPerUser: number;
  readonly maxFailuresPerAddress: number;
}

/** Failed sign-ins kept in the database, so every replica's throttle sees the same counts. */
export function createSignInFailuresStore(db: Kysely<Database>) {
  const times = (rows: Array<{ failed_time: string }>) => rows.map((row) => row.failed_time);
  const recentQuery = (since: string, excludeId: number) =>
    db
      .selectFrom('sign_in_failures')
      .select('failed_time')
      .where('failed_time', '>', since)
      .where('id', '!=', excludeId)
      .orderBy('failed_time', 'desc');

  return {
    /** Records an attempt before its password is checked, so concurrent guesses see each other. */
    async record(usernameKey: string, address: string, time: string): Promise<number> {
      const row = await db
        .insertInto('sign_in_failures')
        .values({ username_key: usernameKey, address, failed_time: time })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    /** An attempt that turned out not to be a failure (right password, or refused before checking). */
    async forget(id: number): Promise<void> {
      await db.deleteFrom('sign_in_failures').where('id', '=', id).execute();
    },

    async recent(query: RecentFailuresQuery): Promise<RecentFailures> {
      const { usernameKey, address, since, excludeId } = query;
      const [byAddress, byUser, byUserFromAddress] = await Promise.all([
        recentQuery(since, excludeId).where('address', '=', address).limit(query.maxFailuresPerAddress).execute(),
        recentQuery(since, excludeId).where('username_key', '=', usernameKey).limit(query.maxFailuresPerUser).execute(),
        recentQuery(since, excludeId).where('username_key', '=', usernameKey).where('address', '=', address).limit(1).execute(),
      ]);
      return { byAddress: times(byAddress), byUser: times(byUser), byUserFromAddress: times(byUserFromAddress) };
    },

    /** Failures older than the window no longer count for anything. */
    async removeBefore(time: string): Promise<void> {
      await db.deleteFrom('sign_in_failures').where('failed_time', '<=', time).execute();
    },
  };
}
export type SignInFailuresStore = ReturnType<typeof createSignInFailuresStore>;
