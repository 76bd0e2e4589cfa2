import { ApiError, ErrorCode, type Group } from '@envdesk/domain';
import type { Kysely } from 'kysely';
import { unlessDuplicate } from '../db/errors.js';
import type { Database } from '../db/schema.js';
import { type UserRecord, toUserRecord } from './users-store.js';

export interface GroupRecord {
  readonly id: number;
  readonly group: Group;
}

const toGroupRecord = (row: { id: number; guid: string; name: string; owner_guid: string | null }): GroupRecord => ({
  id: row.id,
  group: { guid: row.guid, name: row.name, owner_guid: row.owner_guid },
});

export function createGroupsStore(db: Kysely<Database>) {
  const byPrefix = (prefix: string | undefined) => {
    const q = db.selectFrom('groups');
    return prefix ? q.where('name_key', 'like', `${prefix.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : q;
  };

  return {
    async list(query: { prefix?: string | undefined; offset: number; limit: number }) {
      const [rows, total] = await Promise.all([
        byPrefix(query.prefix).selectAll().orderBy('name_key').offset(query.offset).limit(query.limit).execute(),
        byPrefix(query.prefix).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { records: rows.map(toGroupRecord), total: Number(total.n) };
    },

    async findByGuid(guid: string): Promise<GroupRecord | undefined> {
      const row = await db.selectFrom('groups').selectAll().where('guid', '=', guid).executeTakeFirst();
      return row && toGroupRecord(row);
    },

    /** Throws DuplicateName when the name (in any case) is taken. */
    async insert(guid: string, name: string, ownerGuid: string | null, now: string): Promise<GroupRecord> {
      const row = await unlessDuplicate(
        () =>
          db
            .insertInto('groups')
            .values({ guid, name, name_key: name.toLowerCase(), owner_guid: ownerGuid, created_time: now })
            .returningAll()
            .executeTakeFirstOrThrow(),
        () => new ApiError(ErrorCode.DuplicateName, 'A group with that name already exists.', { field: 'name' }),
      );
      return toGroupRecord(row);
    },

    async remove(guid: string): Promise<boolean> {
      const result = await db.deleteFrom('groups').where('guid', '=', guid).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async members(groupId: number, query: { offset: number; limit: number }) {
      const base = db.selectFrom('group_members as m').innerJoin('users as u', 'u.id', 'm.user_id').where('m.group_id', '=', groupId);
      const [rows, total] = await Promise.all([
        base.selectAll('u').orderBy('u.username_key').offset(query.offset).limit(query.limit).execute(),
        base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { records: rows.map(toUserRecord), total: Number(total.n) };
    },

    async isMember(groupId: number, userId: number): Promise<boolean> {
      const row = await db
        .selectFrom('group_members')
        .select('user_id')
        .where('group_id', '=', groupId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row !== undefined;
    },

    async addMember(groupId: number, user: UserRecord): Promise<void> {
      await db.insertInto('group_members').values({ group_id: groupId, user_id: user.id }).execute();
    },

    async removeMember(groupId: number, userId: number): Promise<boolean> {
      const result = await db
        .deleteFrom('group_members')
        .where('group_id', '=', groupId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
export type GroupsStore = ReturnType<typeof createGroupsStore>;
