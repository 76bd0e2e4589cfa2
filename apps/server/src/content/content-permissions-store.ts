import {
  ApiError,
  type ContentGrant,
  type ContentPermission,
  type ContentPermissionRole,
  ContentPermissionRoleSchema,
  ErrorCode,
} from '@envdesk/domain';
import type { Kysely } from 'kysely';
import { readValue } from '../db/columns.js';
import { unlessDuplicate } from '../db/errors.js';
import type { Database } from '../db/schema.js';

/** The user or the group an entry names, by key: what the rows hang from. */
export type PrincipalKey = { readonly user_id: number; readonly group_id: null } | { readonly user_id: null; readonly group_id: number };

/** Content ids per query: well under either database's limit on bound parameters. */
const IDS_PER_QUERY = 500;

function entriesQuery(db: Kysely<Database>) {
  return db
    .selectFrom('content_permissions as p')
    .innerJoin('content as c', 'c.id', 'p.content_id')
    .leftJoin('users as u', 'u.id', 'p.user_id')
    .leftJoin('groups as g', 'g.id', 'p.group_id')
    .select(['p.id', 'p.content_id', 'p.role', 'c.guid as content_guid', 'u.guid as user_guid', 'g.guid as group_guid']);
}

type EntryRow = Awaited<ReturnType<ReturnType<typeof entriesQuery>['executeTakeFirstOrThrow']>>;

function toPermission(row: EntryRow): ContentPermission {
  const principal_type = row.user_guid !== null ? 'user' : 'group';
  return {
    id: String(row.id),
    content_guid: row.content_guid,
    principal_guid: (row.user_guid ?? row.group_guid)!,
    principal_type,
    role: readValue(ContentPermissionRoleSchema, row.role, `content_permissions ${row.id} role`),
  };
}

/**
 * The access list of each content item in `contentIds` (items shared with no one are absent), for
 * the content store to put on its records: the rules read it with the owner and the access type.
 */
export async function grantsByContent(db: Kysely<Database>, contentIds: readonly number[]): Promise<Map<number, ContentGrant[]>> {
  const grants = new Map<number, ContentGrant[]>();
  for (let start = 0; start < contentIds.length; start += IDS_PER_QUERY) {
    const ids = contentIds.slice(start, start + IDS_PER_QUERY);
    const rows = await entriesQuery(db).where('p.content_id', 'in', ids).orderBy('p.id').execute();
    for (const row of rows) {
      const { principal_guid, principal_type, role } = toPermission(row);
      const list = grants.get(row.content_id) ?? [];
      list.push({ principal_guid, principal_type, role });
      grants.set(row.content_id, list);
    }
  }
  return grants;
}

/** Two entries for one principal on one content item: the unique constraints refused the write. */
const duplicatePrincipal = () =>
  new ApiError(ErrorCode.InvalidParameter, 'That user or group already has a permission on this content; change that one instead.', {
    field: 'principal_guid',
  });

export function createContentPermissionsStore(db: Kysely<Database>) {
  async function find(contentId: number, id: number): Promise<ContentPermission | undefined> {
    const row = await entriesQuery(db).where('p.content_id', '=', contentId).where('p.id', '=', id).executeTakeFirst();
    return row && toPermission(row);
  }

  return {
    /** In the order they were added. */
    async list(contentId: number): Promise<ContentPermission[]> {
      const rows = await entriesQuery(db).where('p.content_id', '=', contentId).orderBy('p.id').execute();
      return rows.map(toPermission);
    },

    find,

    /** Adds the principal's entry, or gives the one it has `role` (Connect's POST is an upsert). */
    async upsert(contentId: number, principal: PrincipalKey, role: ContentPermissionRole, now: string): Promise<ContentPermission> {
      const existing = await db
        .selectFrom('content_permissions')
        .select('id')
        .where('content_id', '=', contentId)
        .where(principal.user_id !== null ? 'user_id' : 'group_id', '=', principal.user_id ?? principal.group_id)
        .executeTakeFirst();
      let id = existing?.id;
      if (id === undefined) {
        const row = await unlessDuplicate(
          () =>
            db
              .insertInto('content_permissions')
              .values({ content_id: contentId, ...principal, role, created_time: now })
              .returning('id')
              .executeTakeFirstOrThrow(),
          duplicatePrincipal,
        );
        id = row.id;
      } else {
        await db.updateTable('content_permissions').set({ role }).where('id', '=', id).execute();
      }
      return (await find(contentId, id))!;
    },

    /** Undefined when the entry is gone; throws when `principal` already has another entry on the same content. */
    async update(contentId: number, id: number, principal: PrincipalKey, role: ContentPermissionRole): Promise<ContentPermission | undefined> {
      await unlessDuplicate(
        () => db.updateTable('content_permissions').set({ ...principal, role }).where('content_id', '=', contentId).where('id', '=', id).execute(),
        duplicatePrincipal,
      );
      return find(contentId, id);
    },

    async remove(contentId: number, id: number): Promise<boolean> {
      const result = await db.deleteFrom('content_permissions').where('content_id', '=', contentId).where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
export type ContentPermissionsStore = ReturnType<typeof createContentPermissionsStore>;
