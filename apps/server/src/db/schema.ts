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
  content: ContentTable;
  bundles: BundlesTable;
  bundle_uploads: BundleUploadsTable;
  bundle_chunks: BundleChunksTable;
  tasks: TasksTable;
  environment_tombstones: EnvironmentTombstonesTable;
  sign_in_failures: SignInFailuresTable;
  content_environment_variables: ContentEnvironmentVariablesTable;
  tags: TagsTable;
  content_tags: ContentTagsTable;
  vanities: VanitiesTable;
  content_repositories: ContentRepositoriesTable;
  runtime_caches: RuntimeCachesTable;
  jobs: JobsTable;
  bundle_packages: BundlePackagesTable;
  content_permissions: ContentPermissionsTable;
  audit_events: AuditEventsTable;
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
  /** GUID of the user whose write made the current version; null for the file sync and older rows. */
  updated_by: string | null;
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

/** What a build recorded: the environment and versions used (on both content and bundles). */
export interface RuntimeColumns {
  environment_guid: string | null;
  image_name: string | null;
  r_version: string | null;
  py_version: string | null;
  quarto_version: string | null;
  r_environment_management: number | null;
  py_environment_management: number | null;
}

export interface ContentTable extends RuntimeColumns {
  id: Generated<number>;
  guid: string;
  name: string;
  title: string | null;
  description: Generated<string>;
  owner_id: number;
  default_image_name: string | null;
  default_environment_guid: string | null;
  default_r_environment_management: number | null;
  default_py_environment_management: number | null;
  /** The active bundle. */
  bundle_id: number | null;
  app_mode: Generated<string>;
  content_category: Generated<string>;
  parameterized: Generated<number>;
  needs_rebuild: Generated<number>;
  created_time: string;
  last_deployed_time: string | null;
  /** Settings stored as sent (0009); booleans as 0/1. `access_type` decides, with the access list, who sees the content. */
  access_type: Generated<string>;
  locked: Generated<number>;
  locked_message: Generated<string>;
  connection_timeout: number | null;
  read_timeout: number | null;
  init_timeout: number | null;
  idle_timeout: number | null;
  max_processes: number | null;
  min_processes: number | null;
  max_conns_per_process: number | null;
  load_factor: number | null;
  /** bigint: PostgreSQL's driver reads it as text. */
  memory_request: number | string | null;
  memory_limit: number | string | null;
  cpu_request: number | null;
  cpu_limit: number | null;
  amd_gpu_limit: number | null;
  nvidia_gpu_limit: number | null;
  service_account_name: string | null;
  run_as: string | null;
  run_as_current_user: Generated<number>;
  metrics_collection_enabled: number | null;
  notify_on_share: number | null;
  otel_enabled: Generated<number>;
}
export type ContentRow = Selectable<ContentTable>;

export interface BundlesTable extends RuntimeColumns {
  id: Generated<number>;
  content_id: number;
  created_time: string;
  created_by: string | null;
  size: number;
  archive_md5: string;
  archive_sha1: string;
  /** manifest.json as uploaded (JSON text). */
  manifest: string;
  active: Generated<number>;
  /** What the build step would hand to Kubernetes (JSON text). */
  build_plan: string | null;
  /** The upload's git metadata (rsconnect-python's multipart part `metadata`). */
  source: string | null;
  source_repo: string | null;
  source_branch: string | null;
  source_commit: string | null;
}
export type BundleRow = Selectable<BundlesTable>;

/** An archive being uploaded, or a bundle's once `bundle_id` is set; its pieces hang off it. */
export interface BundleUploadsTable {
  upload_key: string;
  bundle_id: number | null;
  created_time: string;
}

/** A piece of about 1 MiB of an archive, in `seq` order. */
export interface BundleChunksTable {
  upload_key: string;
  seq: number;
  data: Buffer;
}

export interface TasksTable {
  id: string;
  user_id: number;
  content_id: number | null;
  /** The log lines so far (JSON array text). */
  output: Generated<string>;
  finished: Generated<number>;
  code: Generated<number>;
  error: Generated<string>;
  result: string | null;
  created_time: string;
  finished_time: string | null;
  /** The replica running the task (see tasks/task-runner.ts). */
  owner: string | null;
  /** When the owner last confirmed it still runs the task: ISO 8601 with milliseconds. */
  heartbeat_time: string | null;
}
export type TaskRow = Selectable<TasksTable>;

/** A removed environment (by a sync or by hand): enough to give it back its identity. */
export interface EnvironmentTombstonesTable {
  guid: string;
  environment_id: number;
  name: string;
  created_time: string;
  /** JSON array of TombstonePermission. */
  permissions: string;
  removed_time: string;
  file: string | null;
  /** JSON EnvironmentState; null on tombstones written before hand deletes kept one. */
  state: string | null;
  /** What managed it; null for a hand-made environment deleted by hand. */
  managed_by: string | null;
}

/**
 * A failed sign-in (or one being checked right now: its row is removed if the password was right).
 * `username_key` is the lower-cased name as typed, whether or not such a user exists.
 */
export interface SignInFailuresTable {
  id: Generated<number>;
  username_key: string;
  /** The client's address (an IPv6 client's /56 network), as the throttle keys it. */
  address: string;
  /** ISO 8601 with milliseconds. */
  failed_time: string;
}

/** A content item's environment variable; the value only ever sealed (content/variable-cipher.ts). */
export interface ContentEnvironmentVariablesTable {
  content_id: number;
  name: string;
  /** base64 of AES-256-GCM IV ‖ tag ‖ ciphertext, bound to the content GUID and name. */
  sealed_value: string;
  /** Which key sealed it, so a server started with another key says so instead of failing vaguely. */
  key_id: string;
  updated_time: string;
}

/** A tag; one without a parent is a category. Names are unique among siblings. */
export interface TagsTable {
  id: Generated<number>;
  name: string;
  parent_id: number | null;
  created_time: string;
  updated_time: string;
}

/** A tag on content; a tag's ancestors (but its category) are on the content too. */
export interface ContentTagsTable {
  content_id: number;
  tag_id: number;
}

/** A content item's vanity URL: at most one each. */
export interface VanitiesTable {
  content_id: number;
  /** As shown: `/sales/report/`. */
  path: string;
  /** Lower-cased, for uniqueness. */
  path_key: string;
  created_time: string;
}

/** A content item's git repository settings. */
export interface ContentRepositoriesTable {
  content_id: number;
  repository: string;
  branch: string;
  directory: string;
  polling: number;
  updated_time: string;
}

/** A package cache builds share: one per image, language (`R`, `Python`) and version. */
export interface RuntimeCachesTable {
  id: Generated<number>;
  image_name: string;
  language: string;
  version: string;
  created_time: string;
  /** The last build that used it. */
  used_time: string;
}

/** A deploy's build or a render, as Connect lists jobs; its progress is its task's. */
export interface JobsTable {
  id: Generated<number>;
  key: string;
  content_id: number;
  bundle_id: number | null;
  task_id: string | null;
  tag: string;
  hostname: string | null;
  start_time: string;
}

/** A package a built bundle installs (Python's requirements, R's manifest `packages`). */
export interface BundlePackagesTable {
  bundle_id: number;
  language: string;
  language_version: string | null;
  name: string;
  version: string;
  hash: string | null;
}

/** An entry of a content item's access list: exactly one of `user_id` and `group_id` is set. */
export interface ContentPermissionsTable {
  id: Generated<number>;
  content_id: number;
  user_id: number | null;
  group_id: number | null;
  /** `viewer` or `owner` (a collaborator). */
  role: string;
  created_time: string;
}

/** One recorded change (issue 13); see AuditEventSchema in the domain for what each column holds. */
export interface AuditEventsTable {
  id: Generated<number>;
  time: string;
  user_guid: string | null;
  user_id: number | null;
  user_description: string;
  via: string;
  file: string | null;
  action: string;
  subject_type: string;
  subject_guid: string | null;
  subject_name: string;
  event_description: string;
  /** JSON array of FieldChange. */
  changes: string;
  /** JSON EnvironmentState, for environment events that keep one. */
  state: string | null;
}
