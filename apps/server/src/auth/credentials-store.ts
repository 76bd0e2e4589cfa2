import type { ApiKey } from '@envdesk/domain';
import type { Kysely } from 'kysely';
import { precompiled } from '../db/precompiled.js';
import type { Database } from '../db/schema.js';
import { type UserRecord, toUserRecord } from '../users/users-store.js';

export interface SessionRecord {
  readonly id: number;
  readonly csrfToken: string;
  readonly expiresTime: string;
  readonly owner: UserRecord;
}

const toApiKey = (row: { id: number; name: string; created_time: string; last_used_time: string | null }): ApiKey => ({
  id: String(row.id),
  name: row.name,
  created_time: row.created_time,
  last_used_time: row.last_used_time,
});

/** API keys and browser sessions; only hashes of their secrets are stored. */
export function createCredentialsStore(db: Kysely<Database>) {
  // Every request signed in with a key runs this one.
  const apiKeyOwnerQuery = precompiled(
    (keyHash: string) =>
      db
        .selectFrom('api_keys as k')
        .innerJoin('users as u', 'u.id', 'k.user_id')
        .selectAll('u')
        .select(['k.id as key_id', 'k.last_used_time as key_last_used_time'])
        .where('k.key_hash', '=', keyHash),
    '',
  );
  return {
    async insertApiKey(userId: number, name: string, keyHash: string, now: string): Promise<ApiKey> {
      const row = await db
        .insertInto('api_keys')
        .values({ user_id: userId, name, key_hash: keyHash, created_time: now })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toApiKey(row);
    },

    async listApiKeys(userId: number): Promise<ApiKey[]> {
      const rows = await db.selectFrom('api_keys').selectAll().where('user_id', '=', userId).orderBy('id').execute();
      return rows.map(toApiKey);
    },

    async removeApiKey(userId: number, id: number): Promise<boolean> {
      const result = await db.deleteFrom('api_keys').where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async findApiKeyOwner(keyHash: string): Promise<{ keyId: number; lastUsedTime: string | null; owner: UserRecord } | undefined> {
      const [row] = (await db.executeQuery(apiKeyOwnerQuery(keyHash))).rows;
      if (!row) return undefined;
      const { key_id, key_last_used_time, ...user } = row;
      return { keyId: key_id, lastUsedTime: key_last_used_time, owner: toUserRecord(user) };
    },

    async touchApiKey(id: number, now: string): Promise<void> {
      await db.updateTable('api_keys').set({ last_used_time: now }).where('id', '=', id).execute();
    },

    async insertSession(userId: number, tokenHash: string, csrfToken: string, now: string, expires: string): Promise<void> {
      await db
        .insertInto('sessions')
        .values({ user_id: userId, token_hash: tokenHash, csrf_token: csrfToken, created_time: now, expires_time: expires })
        .execute();
    },

    async findSession(tokenHash: string): Promise<SessionRecord | undefined> {
      const row = await db
        .selectFrom('sessions as s')
        .innerJoin('users as u', 'u.id', 's.user_id')
        .selectAll('u')
        .select(['s.id as session_id', 's.csrf_token', 's.expires_time'])
        .where('s.token_hash', '=', tokenHash)
        .executeTakeFirst();
      if (!row) return undefined;
      const { session_id, csrf_token, expires_time, ...user } = row;
      return { id: session_id, csrfToken: csrf_token, expiresTime: expires_time, owner: toUserRecord(user) };
    },

    async removeSession(id: number): Promise<void> {
      await db.deleteFrom('sessions').where('id', '=', id).execute();
    },

    async removeExpiredSessions(now: string): Promise<void> {
      await db.deleteFrom('sessions').where('expires_time', '<', now).execute();
    },
  };
}
export type CredentialsStore = ReturnType<typeof createCredentialsStore>;
