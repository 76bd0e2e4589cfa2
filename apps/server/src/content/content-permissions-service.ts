import {
  type Actor,
  ApiError,
  type ContentGrant,
  type ContentPermission,
  type CreateContentPermissionInput,
  ErrorCode,
  type PrincipalType,
  type UpdateContentPermissionInput,
  authorOf,
  contentPermissionChange,
  notFound,
  parseRecordId,
} from '@envdesk/domain';
import { type Clock, timestamp } from '../clock.js';
import type { Store } from '../db/store.js';
import type { PrincipalKey } from './content-permissions-store.js';
import { type ContentService, auditedContent } from './content-service.js';
import type { ContentRecord } from './content-store.js';

const grantOf = ({ principal_guid, principal_type, role }: ContentPermission): ContentGrant => ({ principal_guid, principal_type, role });

/**
 * A content item's access list (Connect's `/v1/content/{guid}/permissions`): users and groups
 * that may view it, or collaborate on it (role `owner`). Who may read and change the list is the
 * policy's `content-permissions:*` rules; how an entry counts, its `relationTo`.
 */
export function createContentPermissionsService({
  store,
  clock,
  content,
}: {
  store: Pick<Store, 'contentPermissions' | 'users' | 'groups' | 'audit' | 'transaction'>;
  clock: Clock;
  content: Pick<ContentService, 'authorized'>;
}) {
  /**
   * The principal's key, and its name for the audit record; an unknown GUID is refused naming
   * `principal_guid`, as Connect's InvalidUser / InvalidGroup.
   */
  async function principalKey(record: ContentRecord, type: PrincipalType, guid: string): Promise<PrincipalKey & { name: string }> {
    if (type === 'user') {
      const user = await store.users.findByGuid(guid);
      if (!user) throw new ApiError(ErrorCode.InvalidUser, `No user has the GUID ${guid}.`, { field: 'principal_guid' });
      if (user.user.guid === record.owner.guid) {
        throw new ApiError(ErrorCode.InvalidParameter, 'That user owns this content already.', { field: 'principal_guid' });
      }
      return { user_id: user.id, group_id: null, name: user.user.username };
    }
    const group = await store.groups.findByGuid(guid);
    if (!group) throw new ApiError(ErrorCode.InvalidGroup, `No group has the GUID ${guid}.`, { field: 'principal_guid' });
    return { user_id: null, group_id: group.id, name: group.group.name };
  }

  /** The entry `id` of the content, with its key, or 404 (an id that cannot name a record names none). */
  async function entry(record: ContentRecord, id: string): Promise<{ key: number; permission: ContentPermission }> {
    const key = parseRecordId(id);
    const permission = key === null ? undefined : await store.contentPermissions.find(record.id, key);
    if (key === null || !permission) throw notFound('Content permission');
    return { key, permission };
  }

  /** Who an entry names, for the audit record: a username or group name, else the GUID. */
  async function principalName(permission: ContentPermission): Promise<string> {
    if (permission.principal_type === 'user') return (await store.users.findByGuid(permission.principal_guid))?.user.username ?? permission.principal_guid;
    return (await store.groups.findByGuid(permission.principal_guid))?.group.name ?? permission.principal_guid;
  }

  return {
    async list(actor: Actor, guid: string): Promise<ContentPermission[]> {
      const record = await content.authorized(actor, guid, 'content-permissions:read');
      return store.contentPermissions.list(record.id);
    },

    async get(actor: Actor, guid: string, id: string): Promise<ContentPermission> {
      const record = await content.authorized(actor, guid, 'content-permissions:read');
      return (await entry(record, id)).permission;
    },

    /** Adds the principal, or changes the role of the entry it already has. */
    async add(actor: Actor, guid: string, input: CreateContentPermissionInput): Promise<ContentPermission> {
      const record = await content.authorized(actor, guid, 'content-permissions:write');
      const { name, ...principal } = await principalKey(record, input.principal_type, input.principal_guid);
      return store.transaction(async (tx) => {
        const now = timestamp(clock);
        const permission = await tx.contentPermissions.upsert(record.id, principal, input.role, now);
        const before = record.permissions.find((grant) => grant.principal_guid === permission.principal_guid) ?? null;
        const after = grantOf(permission);
        await tx.audit.append(authorOf(actor), [contentPermissionChange(before ? 'updatePermission' : 'addPermission', auditedContent(record), before, after, name)], now);
        return permission;
      });
    },

    /** The fields present replace; moving the entry to a principal that has one already is refused. */
    async update(actor: Actor, guid: string, id: string, input: UpdateContentPermissionInput): Promise<ContentPermission> {
      const record = await content.authorized(actor, guid, 'content-permissions:write');
      const { key, permission } = await entry(record, id);
      const type = input.principal_type ?? permission.principal_type;
      const { name, ...principal } = await principalKey(record, type, input.principal_guid ?? permission.principal_guid);
      const updated = await store.transaction(async (tx) => {
        const changed = await tx.contentPermissions.update(record.id, key, principal, input.role ?? permission.role);
        if (changed) {
          const event = contentPermissionChange('updatePermission', auditedContent(record), grantOf(permission), grantOf(changed), name);
          await tx.audit.append(authorOf(actor), [event], timestamp(clock));
        }
        return changed;
      });
      // Removed by someone else meanwhile.
      if (!updated) throw notFound('Content permission');
      return updated;
    },

    async remove(actor: Actor, guid: string, id: string): Promise<void> {
      const record = await content.authorized(actor, guid, 'content-permissions:write');
      const { key, permission } = await entry(record, id);
      const name = await principalName(permission);
      await store.transaction(async (tx) => {
        if (!(await tx.contentPermissions.remove(record.id, key))) return;
        await tx.audit.append(authorOf(actor), [contentPermissionChange('removePermission', auditedContent(record), grantOf(permission), null, name)], timestamp(clock));
      });
    },
  };
}
export type ContentPermissionsService = ReturnType<typeof createContentPermissionsService>;
