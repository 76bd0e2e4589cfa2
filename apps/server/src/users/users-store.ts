import type { User, UserRole } from '@envdesk/domain';
import type { Kysely } from 'kysely';
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
      user_role: row.user_role as UserRole,
      created_time: row.created_time,
      updated_time: row.updated_time,
      active_time: row.active_time,
      confirmed: row.confirmed === 1,
      locked: row.locked === 1,
    },
  };
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export function createUsersStore(db: Kysely<Database>) {
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
    if (query.locked !== undefined) q = q.where('locked', '=', query.locked ? 1 : 0);
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

    async insert(guid: string, fields: UserFields, passwordHash: string | null, now: string): Promise<UserRecord> {
      const row = await db
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
        .executeTakeFirstOrThrow();
      return toUserRecord(row);
    },

    async update(guid: string, changes: Partial<UserFields>, now: string): Promise<UserRecord | undefined> {
      const row = await db
        .updateTable('users')
        .set({
          ...changes,
          ...(changes.username ? { username_key: changes.username.toLowerCase() } : {}),
          updated_time: now,
        })
        .where('guid', '=', guid)
        .returningAll()
        .executeTakeFirst();
      return row && toUserRecord(row);
    },

    async setLocked(guid: string, locked: boolean, now: string): Promise<UserRecord | undefined> {
      const row = await db
        .updateTable('users')
        .set({ locked: locked ? 1 : 0, updated_time: now })
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
