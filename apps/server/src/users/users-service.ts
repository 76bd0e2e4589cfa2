import {
  type Action,
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
  can,
  notFound,
  permissionDenied,
} from '@envdesk/domain';
import { hashPassword } from '../auth/secrets.js';
import { type Clock, newGuid, timestamp } from '../clock.js';
import type { Store } from '../db/store.js';

export interface Page<T> {
  results: T[];
  current_page: number;
  total: number;
}

function assertCan(actor: Actor, action: Action): void {
  if (!can(actor, action)) throw permissionDenied();
}

const pageOf = (query: { page_number: number; page_size: number }) => ({
  offset: (query.page_number - 1) * query.page_size,
  limit: query.page_size,
});

export function createUsersService({ store, clock }: { store: Pick<Store, 'users' | 'groups' | 'transaction'>; clock: Clock }) {
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
      assertCan(actor, 'users:read');
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
      assertCan(actor, 'users:read');
      return (await existingUser(guid)).user;
    },

    async createUser(actor: Actor, input: CreateUserInput): Promise<User> {
      assertCan(actor, 'users:write');
      const { password, ...fields } = input;
      const passwordHash = password ? await hashPassword(password) : null;
      const record = await store.transaction((tx) => tx.users.insert(newGuid(), fields, passwordHash, timestamp(clock)));
      return record.user;
    },

    async updateUser(actor: Actor, guid: string, input: UpdateUserInput): Promise<User> {
      assertCan(actor, 'users:write');
      const current = await existingUser(guid);
      if (current.user.guid === actor.guid && input.user_role && input.user_role !== actor.role) {
        throw new ApiError(ErrorCode.InvalidParameter, 'You cannot change your own role.', { field: 'user_role' });
      }
      const updated = await store.transaction((tx) => tx.users.update(guid, input, timestamp(clock)));
      if (!updated) throw notFound('User');
      return updated.user;
    },

    async lockUser(actor: Actor, guid: string, locked: boolean): Promise<void> {
      assertCan(actor, 'users:write');
      if (guid === actor.guid && locked) {
        throw new ApiError(ErrorCode.InvalidParameter, 'You cannot lock your own account.', { field: 'locked' });
      }
      await existingUser(guid);
      await store.transaction((tx) => tx.users.setLocked(guid, locked, timestamp(clock)));
    },

    async listGroups(actor: Actor, query: ListGroupsQuery): Promise<Page<Group>> {
      assertCan(actor, 'groups:read');
      const { records, total } = await store.groups.list({ prefix: query.prefix, ...pageOf(query) });
      return { results: records.map((record) => record.group), current_page: query.page_number, total };
    },

    async getGroup(actor: Actor, guid: string): Promise<Group> {
      assertCan(actor, 'groups:read');
      return (await existingGroup(guid)).group;
    },

    async createGroup(actor: Actor, input: CreateGroupInput): Promise<Group> {
      assertCan(actor, 'groups:write');
      const record = await store.transaction((tx) => tx.groups.insert(newGuid(), input.name, actor.guid, timestamp(clock)));
      return record.group;
    },

    /** Deleting a group also removes the environment permissions that named it. */
    async removeGroup(actor: Actor, guid: string): Promise<void> {
      assertCan(actor, 'groups:write');
      await existingGroup(guid);
      await store.transaction(async (tx) => {
        await tx.environments.removeGrantsOf(guid);
        await tx.groups.remove(guid);
      });
    },

    async listMembers(actor: Actor, guid: string, query: { page_number: number; page_size: number }): Promise<Page<User>> {
      assertCan(actor, 'groups:read');
      const group = await existingGroup(guid);
      const { records, total } = await store.groups.members(group.id, pageOf(query));
      return { results: records.map((record) => record.user), current_page: query.page_number, total };
    },

    /** Adding a member twice is not an error: the member is there either way. */
    async addMember(actor: Actor, guid: string, userGuid: string): Promise<void> {
      assertCan(actor, 'groups:write');
      const group = await existingGroup(guid);
      const user = await store.users.findByGuid(userGuid);
      if (!user) throw new ApiError(ErrorCode.InvalidUser, `No user has the GUID ${userGuid}.`, { field: 'user_guid' });
      await store.transaction(async (tx) => {
        if (!(await tx.groups.isMember(group.id, user.id))) await tx.groups.addMember(group.id, user);
      });
    },

    async removeMember(actor: Actor, guid: string, userGuid: string): Promise<void> {
      assertCan(actor, 'groups:write');
      const group = await existingGroup(guid);
      const user = await existingUser(userGuid);
      const removed = await store.transaction((tx) => tx.groups.removeMember(group.id, user.id));
      if (!removed) throw notFound('Group member');
    },
  };
}
export type UsersService = ReturnType<typeof createUsersService>;
