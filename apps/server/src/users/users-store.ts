import { type Actor, ApiError, ErrorCode, type User, type UserRole, UserRoleSchema, notFound } from '@envdesk/domain';
import type { Kysely } from 'kysely';
import { readFlag, readValue, writeFlag } from '../db/columns.js';
import { unlessDuplicate } from '../db/errors.js';
import { precompiled } from '../db/precompiled.js';
import type { Database, UserRow } from '../db/schema.js';

/** A user as the server knows them: the wire record plus what never leaves the server. */
export interface UserRecord {
  readonly id: number;
  readonly passwordHash: string | null;
  readonly user: User;
}

export interface UserFields {
  username: string;
  email: string;
  first_name: string;
  last_name: string;
  user_role: UserRole;
}

export interface UserListQuery {
  prefix?: string | undefined;
  role?: UserRole | undefined;
  locked?: boolean | undefined;
  offset: number;
  limit: number;
}

const duplicateUsername = () => new ApiError(ErrorCode.DuplicateName, 'A user with that username already exists.', { field: 'username' });

const roleOf = (row: { id: number; user_role: string }): UserRole => readValue(UserRoleSchema, row.user_role, `users ${row.id} user_role`);

/** Row → record; for the stores that join users (groups, credentials), not for services. */
export function toUserRecord(row: UserRow): UserRecord {
  return {
    id: row.id,
    passwordHash: row.password_hash,
    user: {
      guid: row.guid,
      username: row.username,
      email: row.email,
      first_name: row.first_name,
      last_name: row.last_name,
      user_role: roleOf(row),
      created_time: row.created_time,
      updated_time: row.updated_time,
      active_time: row.active_time,
      confirmed: readFlag(row.confirmed),
      locked: readFlag(row.locked),
    },
  };
}

/** The GUIDs of a user's groups from a query joining them: one row per group, one null GUID for none. */
export const groupGuidsOf = (rows: ReadonlyArray<{ group_guid: string | null }>): string[] =>
  rows.flatMap((row) => (row.group_guid === null ? [] : [row.group_guid]));

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export function createUsersStore(db: Kysely<Database>) {
  // Every signed-in request runs this one.
  const actorQuery = precompiled(
    (id: number) =>
      db
        .selectFrom('users as u')
        .leftJoin('group_members as m', 'm.user_id', 'u.id')
        .leftJoin('groups as g', 'g.id', 'm.group_id')
        .select(['u.id', 'u.guid', 'u.user_role', 'g.guid as group_guid'])
        .where('u.id', '=', id),
    0,
  );
  const filtered = (query: Omit<UserListQuery, 'offset' | 'limit'>) => {
    let q = db.selectFrom('users');
    if (query.prefix) {
      const pattern = `${escapeLike(query.prefix.toLowerCase())}%`;
      q = q.where((eb) =>
        eb.or(
          (['username_key', 'email', 'first_name', 'last_name'] as const).map((column) =>
            eb(eb.fn('lower', [column]), 'like', pattern),
          ),
        ),
      );
    }
    if (query.role) q = q.where('user_role', '=', query.role);
    if (query.locked !== undefined) q = q.where('locked', '=', writeFlag(query.locked));
    return q;
  };

  return {
    async count(): Promise<number> {
      const row = await db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async list(query: UserListQuery): Promise<{ records: UserRecord[]; total: number }> {
      const [rows, total] = await Promise.all([
        filtered(query).selectAll().orderBy('username_key').offset(query.offset).limit(query.limit).execute(),
        filtered(query).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { records: rows.map(toUserRecord), total: Number(total.n) };
    },

    async findByGuid(guid: string): Promise<UserRecord | undefined> {
      const row = await db.selectFrom('users').selectAll().where('guid', '=', guid).executeTakeFirst();
      return row && toUserRecord(row);
    },

    async findById(id: number): Promise<UserRecord | undefined> {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toUserRecord(row);
    },

    async findByUsername(username: string): Promise<UserRecord | undefined> {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('username_key', '=', username.toLowerCase())
        .executeTakeFirst();
      return row && toUserRecord(row);
    },

    /**
     * The user as an actor: their role and the groups they belong to, what every permission check
     * asks about (one query). Throws ObjectDoesNotExist when no user has that id.
     */
    async actorOf(id: number): Promise<Actor> {
      const { rows } = await db.executeQuery(actorQuery(id));
      const [first] = rows;
      if (!first) throw notFound('User');
      return { guid: first.guid, role: roleOf(first), groupGuids: groupGuidsOf(rows) };
    },

    /** Throws DuplicateName when the username (in any case) is taken. */
    async insert(guid: string, fields: UserFields, passwordHash: string | null, now: string): Promise<UserRecord> {
      const row = await unlessDuplicate(
        () =>
          db
            .insertInto('users')
            .values({
              ...fields,
              guid,
              username_key: fields.username.toLowerCase(),
              password_hash: passwordHash,
              confirmed: 1,
              locked: 0,
              created_time: now,
              updated_time: now,
            })
            .returningAll()
            .executeTakeFirstOrThrow(),
        duplicateUsername,
      );
      return toUserRecord(row);
    },

    /**
     * Throws DuplicateName when the new username (in any case) is taken. `updated_time` moves only
     * when a value differs from the stored one: clients compare two reads of a user, so sending
     * what is already there is not an update. Decided in the UPDATE itself, so a concurrent edit
     * cannot slip between a read and the write.
     */
    async update(guid: string, changes: Partial<UserFields>, now: string): Promise<UserRecord | undefined> {
      const present = (Object.keys(changes) as (keyof UserFields)[]).filter((key) => changes[key] !== undefined);
      const row = await unlessDuplicate(
        () =>
          db
            .updateTable('users')
            .set((eb) => ({
              ...changes,
              ...(changes.username ? { username_key: changes.username.toLowerCase() } : {}),
              updated_time:
                present.length === 0
                  ? eb.ref('updated_time')
                  : eb
                      .case()
                      .when(eb.or(present.map((key) => eb(key, '<>', changes[key]!))))
                      .then(now)
                      .else(eb.ref('updated_time'))
                      .end(),
            }))
            .where('guid', '=', guid)
            .returningAll()
            .executeTakeFirst(),
        duplicateUsername,
      );
      return row && toUserRecord(row);
    },

    /**
     * Locking is the account's status, not an edit of the user: Connect leaves `updated_time` as it
     * was (posit-sdk's users tests lock and unlock, then compare the user with the one created).
     */
    async setLocked(guid: string, locked: boolean): Promise<UserRecord | undefined> {
      const row = await db
        .updateTable('users')
        .set({ locked: writeFlag(locked) })
        .where('guid', '=', guid)
        .returningAll()
        .executeTakeFirst();
      return row && toUserRecord(row);
    },

    async markActive(id: number, now: string): Promise<void> {
      await db.updateTable('users').set({ active_time: now }).where('id', '=', id).execute();
    },
  };
}
export type UsersStore = ReturnType<typeof createUsersStore>;
