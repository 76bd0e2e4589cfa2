import type { Generated, Insertable, Selectable } from 'kysely';

/**
 * Tables as both dialects store them: times are RFC 3339 text, booleans 0/1 integers and
 * structured fields JSON text, so one set of queries and migrations serves SQLite and PostgreSQL.
 */
export interface Database {
  environments: EnvironmentsTable;
  environment_permissions: EnvironmentPermissionsTable;
  users: UsersTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
  revisions: RevisionsTable;
}

export interface EnvironmentsTable {
  id: Generated<number>;
  guid: string;
  name: string;
  title: string | null;
  description: string | null;
  matching: string;
  supervisor: string | null;
  managed_by: string | null;
  python: string;
  r: string;
  quarto: string;
  tensorflow: string;
  nodejs: string;
  volume_mounts: string;
  created_time: string;
  updated_time: string;
}
export type EnvironmentRow = Selectable<EnvironmentsTable>;
export type NewEnvironmentRow = Insertable<EnvironmentsTable>;

export interface EnvironmentPermissionsTable {
  id: Generated<number>;
  guid: string;
  environment_id: number;
  user_guid: string | null;
  group_guid: string | null;
  created_time: string;
}

export interface UsersTable {
  id: Generated<number>;
  guid: string;
  username: string;
  /** Lower-cased username: sign-in and uniqueness ignore case. */
  username_key: string;
  email: string;
  first_name: string;
  last_name: string;
  user_role: string;
  password_hash: string | null;
  confirmed: number;
  locked: number;
  created_time: string;
  updated_time: string;
  active_time: string | null;
}
export type UserRow = Selectable<UsersTable>;

export interface GroupsTable {
  id: Generated<number>;
  guid: string;
  name: string;
  name_key: string;
  owner_guid: string | null;
  created_time: string;
}

export interface GroupMembersTable {
  group_id: number;
  user_id: number;
}

export interface ApiKeysTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  key_hash: string;
  created_time: string;
  last_used_time: string | null;
}

export interface SessionsTable {
  id: Generated<number>;
  token_hash: string;
  user_id: number;
  csrf_token: string;
  created_time: string;
  expires_time: string;
}

/** A counter per kind of record, bumped in the same transaction as every write to it. */
export interface RevisionsTable {
  name: string;
  value: number;
}
