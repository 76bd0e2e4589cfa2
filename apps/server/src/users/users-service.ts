import {
  type Actor,
  ApiError,
  type CreateGroupInput,
  type CreateUserInput,
  ErrorCode,
  type Group,
  type ListGroupsQuery,
  type ListUsersQuery,
  type UpdateUserInput,
  type User,
  UserRoleSchema,
  authorOf,
  environmentPermissionChange,
  groupChange,
  groupMemberChange,
  notFound,
  userChange,
} from '@envdesk/domain';
import { authorize } from '../auth/authorize.js';
import { hashPassword } from '../auth/secrets.js';
import { type Clock, newGuid, timestamp } from '../clock.js';
import type { Store } from '../db/store.js';

export interface Page<T> {
  results: T[];
  current_page: number;
  total: number;
}

const pageOf = (query: { page_number: number; page_size: number }) => ({
  offset: (query.page_number - 1) * query.page_size,
  limit: query.page_size,
});

export function createUsersService({ store, clock }: { store: Pick<Store, 'users' | 'groups' | 'audit' | 'transaction'>; clock: Clock }) {
  async function existingUser(guid: string) {
    const record = await store.users.findByGuid(guid);
    if (!record) throw notFound('User');
    return record;
  }

  async function existingGroup(guid: string) {
    const record = await store.groups.findByGuid(guid);
    if (!record) throw notFound('Group');
    return record;
  }

  return {
    async listUsers(actor: Actor, query: ListUsersQuery): Promise<Page<User>> {
      authorize(actor, 'users:read');
      const role = UserRoleSchema.safeParse(query.user_role);
      const locked = query.account_status === 'locked' ? true : query.account_status === 'licensed' ? false : undefined;
      const { records, total } = await store.users.list({
        prefix: query.prefix,
        role: role.success ? role.data : undefined,
        locked,
        ...pageOf(query),
      });
      return { results: records.map((record) => record.user), current_page: query.page_number, total };
    },

    async getUser(actor: Actor, guid: string): Promise<User> {
      authorize(actor, 'users:read');
      return (await existingUser(guid)).user;
    },

    async createUser(actor: Actor, input: CreateUserInput): Promise<User> {
      authorize(actor, 'users:write');
      const { password, ...fields } = input;
      const passwordHash = password ? await hashPassword(password) : null;
      const record = await store.transaction(async (tx) => {
        const now = timestamp(clock);
        const inserted = await tx.users.insert(newGuid(), fields, passwordHash, now);
        await tx.audit.append(authorOf(actor), [userChange('add', null, inserted.user, { passwordSet: passwordHash !== null })], now);
        return inserted;
      });
      return record.user;
    },

    async updateUser(actor: Actor, guid: string, input: UpdateUserInput): Promise<User> {
      authorize(actor, 'users:write');
      const current = await existingUser(guid);
      if (input.user_role && input.user_role !== current.user.user_role) {
        authorize(actor, 'users:change-role', current.user, () =>
          new ApiError(ErrorCode.InvalidParameter, 'You cannot change your own role.', { field: 'user_role' }),
        );
      }
      const updated = await store.transaction(async (tx) => {
        const now = timestamp(clock);
        const record = await tx.users.update(guid, input, now);
        if (record) await tx.audit.append(authorOf(actor), [userChange('update', current.user, record.user)], now);
        return record;
      });
      if (!updated) throw notFound('User');
      return updated.user;
    },

    async lockUser(actor: Actor, guid: string, locked: boolean): Promise<void> {
      authorize(actor, 'users:write');
      if (locked) {
        authorize(actor, 'users:lock', { guid }, () =>
          new ApiError(ErrorCode.InvalidParameter, 'You cannot lock your own account.', { field: 'locked' }),
        );
      }
      const current = await existingUser(guid);
      await store.transaction(async (tx) => {
        const record = await tx.users.setLocked(guid, locked);
        // Locking a locked account changes nothing, and records nothing.
        if (record && record.user.locked !== current.user.locked) {
          await tx.audit.append(authorOf(actor), [userChange(locked ? 'lock' : 'unlock', current.user, record.user)], timestamp(clock));
        }
      });
    },

    async listGroups(actor: Actor, query: ListGroupsQuery): Promise<Page<Group>> {
      authorize(actor, 'groups:read');
      const { records, total } = await store.groups.list({ prefix: query.prefix, ...pageOf(query) });
      return { results: records.map((record) => record.group), current_page: query.page_number, total };
    },

    async getGroup(actor: Actor, guid: string): Promise<Group> {
      authorize(actor, 'groups:read');
      return (await existingGroup(guid)).group;
    },

    async createGroup(actor: Actor, input: CreateGroupInput): Promise<Group> {
      authorize(actor, 'groups:write');
      const record = await store.transaction(async (tx) => {
        const now = timestamp(clock);
        const inserted = await tx.groups.insert(newGuid(), input.name, actor.guid, now);
        await tx.audit.append(authorOf(actor), [groupChange('add', inserted.group)], now);
        return inserted;
      });
      return record.group;
    },

    /**
     * Deleting a group also removes the environment permissions that named it (its content
     * permissions go by cascade), each recorded on its environment as a removed permission: the
     * environment's history says why the group's members lost it, and their open tabs are told.
     */
    async removeGroup(actor: Actor, guid: string): Promise<void> {
      authorize(actor, 'groups:write');
      const group = await existingGroup(guid);
      await store.transaction(async (tx) => {
        const now = timestamp(clock);
        const removed = await tx.environments.removeGrantsOf(guid);
        const deleted = await tx.groups.remove(guid);
        const events = removed.map(({ environment, grant }) => environmentPermissionChange('removePermission', environment, grant, group.group.name));
        if (deleted) events.push(groupChange('delete', group.group));
        if (events.length > 0) await tx.audit.append(authorOf(actor), events, now);
      });
    },

    async listMembers(actor: Actor, guid: string, query: { page_number: number; page_size: number }): Promise<Page<User>> {
      authorize(actor, 'groups:read');
      const group = await existingGroup(guid);
      const { records, total } = await store.groups.members(group.id, pageOf(query));
      return { results: records.map((record) => record.user), current_page: query.page_number, total };
    },

    /** Adding a member twice is not an error: the member is there either way. */
    async addMember(actor: Actor, guid: string, userGuid: string): Promise<void> {
      authorize(actor, 'groups:write');
      const group = await existingGroup(guid);
      const user = await store.users.findByGuid(userGuid);
      if (!user) throw new ApiError(ErrorCode.InvalidUser, `No user has the GUID ${userGuid}.`, { field: 'user_guid' });
      await store.transaction(async (tx) => {
        if (await tx.groups.isMember(group.id, user.id)) return;
        await tx.groups.addMember(group.id, user);
        await tx.audit.append(authorOf(actor), [groupMemberChange('addMember', group.group, user.user)], timestamp(clock));
      });
    },

    async removeMember(actor: Actor, guid: string, userGuid: string): Promise<void> {
      authorize(actor, 'groups:write');
      const group = await existingGroup(guid);
      const user = await existingUser(userGuid);
      const removed = await store.transaction(async (tx) => {
        const gone = await tx.groups.removeMember(group.id, user.id);
        if (gone) await tx.audit.append(authorOf(actor), [groupMemberChange('removeMember', group.group, user.user)], timestamp(clock));
        return gone;
      });
      if (!removed) throw notFound('Group member');
    },
  };
}
export type UsersService = ReturnType<typeof createUsersService>;
