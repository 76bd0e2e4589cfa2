import type { EnvironmentPermission } from '@envdesk/domain';

/** One entry of an environment's access control, as the form edits it. */
export interface GrantRow {
  readonly kind: 'user' | 'group';
  readonly guid: string;
  /** Known when picked in this form; otherwise looked up by GUID. */
  readonly name: string | null;
  /** The permission's GUID once it exists on the server. */
  readonly permissionGuid: string | null;
}

export function grantRowsFrom(permissions: readonly EnvironmentPermission[]): GrantRow[] {
  return permissions.map((permission) => ({
    kind: permission.user_guid ? 'user' : 'group',
    guid: permission.user_guid ?? permission.group_guid ?? '',
    name: null,
    permissionGuid: permission.guid,
  }));
}

export interface GrantChanges {
  /** Grants to create. */
  readonly added: readonly GrantRow[];
  /** Permission GUIDs to delete. */
  readonly removed: readonly string[];
}

/** What saving must do to go from the server's grants to the form's. */
export function grantChanges(initial: readonly GrantRow[], current: readonly GrantRow[]): GrantChanges {
  const kept = new Set(current.map((grant) => grant.permissionGuid).filter((guid): guid is string => guid !== null));
  return {
    added: current.filter((grant) => grant.permissionGuid === null),
    removed: initial.map((grant) => grant.permissionGuid).filter((guid): guid is string => guid !== null && !kept.has(guid)),
  };
}

export const sameGrantee = (a: Pick<GrantRow, 'kind' | 'guid'>, b: Pick<GrantRow, 'kind' | 'guid'>): boolean =>
  a.kind === b.kind && a.guid === b.guid;
