import type { ApiKey } from '@envdesk/domain';
import { type Kysely, sql } from 'kysely';
import { type ChangeMark, keptWhileUnchanged } from '../db/kept-reads.js';
import { type ReadRows, precompiled, readRows } from '../db/precompiled.js';
import type { Database, UserRow } from '../db/schema.js';
import { type UserRecord, groupGuidsOf, toUserRecord } from '../users/users-store.js';

/** A credential's owner with the GUIDs of their groups: everything a request needs to know who asks. */
export interface OwnerRecord extends UserRecord {
  readonly groupGuids: readonly string[];
}

/**
 * Read in the same statement as every credential: the environments revision, which the list route
 * needs next. A list request, the one clients poll, then makes one read (on PostgreSQL, one round
 * trip) instead of two, and the revision is as fresh as if the route had read it itself.
 */
export interface ReadAlongside {
  readonly environmentsRevision: number;
}
const environmentsRevision = sql<number | string>`(select value from revisions where name = 'environments')`.as('environments_revision');

export interface SessionRecord {
  readonly id: number;
  readonly csrfToken: string;
  readonly expiresTime: string;
  readonly owner: OwnerRecord;
}

/**
 * The owner from the rows of a credential query that joins each of the owner's groups (one row per
 * group; one row with a null GUID for none): who asks and what they may see come from one read, one
 * snapshot, on every request.
 */
function ownerOf<Row extends UserRow & { group_guid: string | null; environments_revision: number | string }>(
  rows: readonly Row[],
): ({ first: Row; owner: OwnerRecord } & ReadAlongside) | undefined {
  const [first] = rows;
  if (!first) return undefined;
  const { group_guid: _group, ...user } = first;
  return { first, owner: { ...toUserRecord(user), groupGuids: groupGuidsOf(rows) }, environmentsRevision: Number(first.environments_revision) };
}

const toApiKey = (row: { id: number; name: string; created_time: string; last_used_time: string | null }): ApiKey => ({
  id: String(row.id),
  name: row.name,
  created_time: row.created_time,
  last_used_time: row.last_used_time,
});

/** API keys and browser sessions; only hashes of their secrets are stored. */
export function createCredentialsStore(db: Kysely<Database>, read: ReadRows = readRows(db), changeMark?: ChangeMark) {
  // Every request signed in with a key runs this one.
  const apiKeyOwnerQuery = precompiled(
    (keyHash: string) =>
      db
        .selectFrom('api_keys as k')
        .innerJoin('users as u', 'u.id', 'k.user_id')
        .leftJoin('group_members as m', 'm.user_id', 'u.id')
        .leftJoin('groups as g', 'g.id', 'm.group_id')
        .selectAll('u')
        .select(['k.id as key_id', 'k.last_used_time as key_last_used_time', 'g.guid as group_guid', environmentsRevision])
        .where('k.key_hash', '=', keyHash),
    '',
  );
  // Every request signed in with a session runs this one.
  const sessionOwnerQuery = precompiled(
    (tokenHash: string) =>
      db
        .selectFrom('sessions as s')
        .innerJoin('users as u', 'u.id', 's.user_id')
        .leftJoin('group_members as m', 'm.user_id', 'u.id')
        .leftJoin('groups as g', 'g.id', 'm.group_id')
        .selectAll('u')
        .select(['s.id as session_id', 's.csrf_token', 's.expires_time', 'g.guid as group_guid', environmentsRevision])
        .where('s.token_hash', '=', tokenHash),
    '',
  );
  // Every signed-in request reads its credential's owner; between two writes to the database the
  // answer cannot change, so it is read once (SQLite; on PostgreSQL every request reads).
  const apiKeyOwner = keptWhileUnchanged(changeMark, async (keyHash: string) => {
    const found = ownerOf(await read(apiKeyOwnerQuery(keyHash)));
    return found && { keyId: found.first.key_id, lastUsedTime: found.first.key_last_used_time, owner: found.owner, environmentsRevision: found.environmentsRevision };
  });
  const sessionOwner = keptWhileUnchanged(changeMark, async (tokenHash: string) => {
    const found = ownerOf(await read(sessionOwnerQuery(tokenHash)));
    return (
      found && {
        id: found.first.session_id,
        csrfToken: found.first.csrf_token,
        expiresTime: found.first.expires_time,
        owner: found.owner,
        environmentsRevision: found.environmentsRevision,
      }
    );
  });
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

    findApiKeyOwner(keyHash: string): Promise<({ keyId: number; lastUsedTime: string | null; owner: OwnerRecord } & ReadAlongside) | undefined> {
      return apiKeyOwner(keyHash);
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

    findSession(tokenHash: string): Promise<(SessionRecord & ReadAlongside) | undefined> {
      return sessionOwner(tokenHash);
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
