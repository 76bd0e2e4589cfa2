import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { Dialect } from './dialect.js';

type Builder = Kysely<unknown>;

function migrations(dialect: Dialect): Record<string, Migration> {
  // The one place the dialects differ: how an auto-incrementing key is declared.
  const withId = (table: ReturnType<Builder['schema']['createTable']>) =>
    dialect === 'postgres'
      ? table.addColumn('id', 'serial', (col) => col.primaryKey())
      : table.addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement());

  return {
    '0001-foundation': {
      async up(db: Builder) {
        await withId(db.schema.createTable('users'))
          .addColumn('guid', 'text', (col) => col.notNull().unique())
          .addColumn('username', 'text', (col) => col.notNull())
          .addColumn('username_key', 'text', (col) => col.notNull().unique())
          .addColumn('email', 'text', (col) => col.notNull().defaultTo(''))
          .addColumn('first_name', 'text', (col) => col.notNull().defaultTo(''))
          .addColumn('last_name', 'text', (col) => col.notNull().defaultTo(''))
          .addColumn('user_role', 'text', (col) => col.notNull())
          .addColumn('password_hash', 'text')
          .addColumn('confirmed', 'integer', (col) => col.notNull().defaultTo(1))
          .addColumn('locked', 'integer', (col) => col.notNull().defaultTo(0))
          .addColumn('created_time', 'text', (col) => col.notNull())
          .addColumn('updated_time', 'text', (col) => col.notNull())
          .addColumn('active_time', 'text')
          .execute();

        await withId(db.schema.createTable('groups'))
          .addColumn('guid', 'text', (col) => col.notNull().unique())
          .addColumn('name', 'text', (col) => col.notNull())
          .addColumn('name_key', 'text', (col) => col.notNull().unique())
          .addColumn('owner_guid', 'text')
          .addColumn('created_time', 'text', (col) => col.notNull())
          .execute();

        await db.schema
          .createTable('group_members')
          .addColumn('group_id', 'integer', (col) => col.notNull().references('groups.id').onDelete('cascade'))
          .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
          .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'user_id'])
          .execute();

        await withId(db.schema.createTable('api_keys'))
          .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
          .addColumn('name', 'text', (col) => col.notNull())
          .addColumn('key_hash', 'text', (col) => col.notNull().unique())
          .addColumn('created_time', 'text', (col) => col.notNull())
          .addColumn('last_used_time', 'text')
          .execute();

        await withId(db.schema.createTable('sessions'))
          .addColumn('token_hash', 'text', (col) => col.notNull().unique())
          .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
          .addColumn('csrf_token', 'text', (col) => col.notNull())
          .addColumn('created_time', 'text', (col) => col.notNull())
          .addColumn('expires_time', 'text', (col) => col.notNull())
          .execute();

        await withId(db.schema.createTable('environments'))
          .addColumn('guid', 'text', (col) => col.notNull().unique())
          .addColumn('name', 'text', (col) => col.notNull())
          .addColumn('title', 'text')
          .addColumn('description', 'text')
          .addColumn('matching', 'text', (col) => col.notNull())
          .addColumn('supervisor', 'text')
          .addColumn('managed_by', 'text')
          .addColumn('python', 'text', (col) => col.notNull())
          .addColumn('r', 'text', (col) => col.notNull())
          .addColumn('quarto', 'text', (col) => col.notNull())
          .addColumn('tensorflow', 'text', (col) => col.notNull())
          .addColumn('nodejs', 'text', (col) => col.notNull())
          .addColumn('volume_mounts', 'text', (col) => col.notNull())
          .addColumn('created_time', 'text', (col) => col.notNull())
          .addColumn('updated_time', 'text', (col) => col.notNull())
          .execute();
        await db.schema.createIndex('environments_name').on('environments').column('name').execute();

        await withId(db.schema.createTable('environment_permissions'))
          .addColumn('guid', 'text', (col) => col.notNull().unique())
          .addColumn('environment_id', 'integer', (col) =>
            col.notNull().references('environments.id').onDelete('cascade'),
          )
          .addColumn('user_guid', 'text')
          .addColumn('group_guid', 'text')
          .addColumn('created_time', 'text', (col) => col.notNull())
          .addUniqueConstraint('environment_permissions_user', ['environment_id', 'user_guid'])
          .addUniqueConstraint('environment_permissions_group', ['environment_id', 'group_guid'])
          .execute();

        await db.schema
          .createTable('revisions')
          .addColumn('name', 'text', (col) => col.primaryKey())
          .addColumn('value', 'integer', (col) => col.notNull())
          .execute();
        await sql`insert into revisions (name, value) values ('environments', 0)`.execute(db);
      },
    },

    '0002-content': {
      async up(db: Builder) {
        // What a build recorded, on the content (its active build) and on each bundle.
        const withRuntime = <T extends ReturnType<Builder['schema']['createTable']>>(table: T) =>
          table
            .addColumn('environment_guid', 'text')
            .addColumn('image_name', 'text')
            .addColumn('r_version', 'text')
            .addColumn('py_version', 'text')
            .addColumn('quarto_version', 'text')
            .addColumn('r_environment_management', 'integer')
            .addColumn('py_environment_management', 'integer');

        await withRuntime(withId(db.schema.createTable('content')))
          .addColumn('guid', 'text', (col) => col.notNull().unique())
          .addColumn('name', 'text', (col) => col.notNull())
          .addColumn('title', 'text')
          .addColumn('description', 'text', (col) => col.notNull().defaultTo(''))
          .addColumn('owner_id', 'integer', (col) => col.notNull().references('users.id'))
          .addColumn('default_image_name', 'text')
          .addColumn('default_environment_guid', 'text')
          .addColumn('default_r_environment_management', 'integer')
          .addColumn('default_py_environment_management', 'integer')
          .addColumn('bundle_id', 'integer')
          .addColumn('app_mode', 'text', (col) => col.notNull().defaultTo('unknown'))
          .addColumn('content_category', 'text', (col) => col.notNull().defaultTo(''))
          .addColumn('parameterized', 'integer', (col) => col.notNull().defaultTo(0))
          .addColumn('needs_rebuild', 'integer', (col) => col.notNull().defaultTo(0))
          .addColumn('created_time', 'text', (col) => col.notNull())
          .addColumn('last_deployed_time', 'text')
          .addUniqueConstraint('content_owner_name', ['owner_id', 'name'])
          .execute();

        await withRuntime(withId(db.schema.createTable('bundles')))
          .addColumn('content_id', 'integer', (col) => col.notNull().references('content.id').onDelete('cascade'))
          .addColumn('created_time', 'text', (col) => col.notNull())
          .addColumn('created_by', 'text')
          .addColumn('size', 'integer', (col) => col.notNull())
          .addColumn('archive_md5', 'text', (col) => col.notNull())
          .addColumn('archive_sha1', 'text', (col) => col.notNull())
          .addColumn('manifest', 'text', (col) => col.notNull())
          .addColumn('archive', dialect === 'postgres' ? 'bytea' : 'blob', (col) => col.notNull())
          .addColumn('active', 'integer', (col) => col.notNull().defaultTo(0))
          .addColumn('build_plan', 'text')
          .execute();
        await db.schema.createIndex('bundles_content').on('bundles').column('content_id').execute();

        await db.schema
          .createTable('tasks')
          .addColumn('id', 'text', (col) => col.primaryKey())
          .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
          .addColumn('content_id', 'integer', (col) => col.references('content.id').onDelete('set null'))
          .addColumn('output', 'text', (col) => col.notNull().defaultTo('[]'))
          .addColumn('finished', 'integer', (col) => col.notNull().defaultTo(0))
          .addColumn('code', 'integer', (col) => col.notNull().defaultTo(0))
          .addColumn('error', 'text', (col) => col.notNull().defaultTo(''))
          .addColumn('result', 'text')
          .addColumn('created_time', 'text', (col) => col.notNull())
          .addColumn('finished_time', 'text')
          .execute();
      },
    },

    '0003-sync-tombstones': {
      async up(db: Builder) {
        // What a sync keeps of a file-managed environment it removed, so that the entry coming back
        // gets its GUID, id and permissions back (issue 8 § 1). Kept ENVDESK_TOMBSTONE_DAYS.
        await db.schema
          .createTable('environment_tombstones')
          .addColumn('guid', 'text', (col) => col.primaryKey())
          .addColumn('environment_id', 'integer', (col) => col.notNull())
          .addColumn('name', 'text', (col) => col.notNull())
          .addColumn('created_time', 'text', (col) => col.notNull())
          /** JSON: the environment_permissions rows it had (id, guid, user_guid, group_guid, created_time). */
          .addColumn('permissions', 'text', (col) => col.notNull())
          .addColumn('removed_time', 'text', (col) => col.notNull())
          .addColumn('file', 'text')
          .execute();
        await db.schema.createIndex('environment_tombstones_name').on('environment_tombstones').column('name').execute();
        await db.schema.createIndex('environment_tombstones_removed').on('environment_tombstones').column('removed_time').execute();
      },
    },

    '0004-task-ownership': {
      async up(db: Builder) {
        // Which process runs a task and when it last said so: a task whose owner has stopped
        // heartbeating (killed, crashed, lost its database) is finished as interrupted by any replica.
        // Times are ISO 8601 with milliseconds, so text order is time order on both dialects.
        await db.schema.alterTable('tasks').addColumn('owner', 'text').execute();
        await db.schema.alterTable('tasks').addColumn('heartbeat_time', 'text').execute();
        await db.schema.createIndex('tasks_unfinished').on('tasks').columns(['finished', 'heartbeat_time']).execute();
      },
    },

    '0005-environment-edits': {
      // Who wrote an environment's current version, for the 412 that tells a second administrator
      // whose change they were about to overwrite. A user GUID, not a key: deleting the user keeps it.
      async up(db: Builder) {
        await db.schema.alterTable('environments').addColumn('updated_by', 'text').execute();
      },
    },

    '0006-bundle-storage': {
      // A bundle's archive is stored as ~1 MiB pieces, written as the upload arrives, instead of one
      // blob: better-sqlite3 binds a blob whole, so a 190 MiB bundle would sit in memory at once,
      // eight of them 1.5 GB. Rows (not files in the data folder) because every replica sharing a
      // PostgreSQL database must be able to serve any bundle, and a database backup holds them all.
      // Each piece is written once and never updated (SQLite rewrites a row's blob on any update):
      // the upload's row is what becomes the bundle's, and deleting either removes the pieces.
      async up(db: Builder) {
        await db.schema
          .createTable('bundle_uploads')
          .addColumn('upload_key', 'text', (col) => col.primaryKey())
          /** Null while the upload is in progress (or was abandoned by a process that died). */
          .addColumn('bundle_id', 'integer', (col) => col.unique().references('bundles.id').onDelete('cascade'))
          .addColumn('created_time', 'text', (col) => col.notNull())
          .execute();
        await db.schema.createIndex('bundle_uploads_pending').on('bundle_uploads').column('created_time').where(sql.ref('bundle_id'), 'is', null).execute();
        await db.schema
          .createTable('bundle_chunks')
          .addColumn('upload_key', 'text', (col) => col.notNull().references('bundle_uploads.upload_key').onDelete('cascade'))
          .addColumn('seq', 'integer', (col) => col.notNull())
          .addColumn('data', dialect === 'postgres' ? 'bytea' : 'blob', (col) => col.notNull())
          .addPrimaryKeyConstraint('bundle_chunks_pk', ['upload_key', 'seq'])
          .execute();
        // Bundles stored before keep their archive, as a single piece.
        await sql`insert into bundle_uploads (upload_key, bundle_id, created_time)
                  select 'bundle-' || cast(id as text), id, created_time from bundles`.execute(db);
        await sql`insert into bundle_chunks (upload_key, seq, data)
                  select 'bundle-' || cast(id as text), 0, archive from bundles`.execute(db);
        await db.schema.alterTable('bundles').dropColumn('archive').execute();
      },
    },

    '0007-sign-in-throttle': {
      // Recent failed sign-ins, shared by every replica, so the throttle counts them wherever they
      // landed (auth/sign-in-throttle.ts). Rows older than the throttle's window are deleted as new
      // attempts arrive. Times are ISO 8601 with milliseconds, so text order is time order.
      async up(db: Builder) {
        await withId(db.schema.createTable('sign_in_failures'))
          .addColumn('username_key', 'text', (col) => col.notNull())
          .addColumn('address', 'text', (col) => col.notNull())
          .addColumn('failed_time', 'text', (col) => col.notNull())
          .execute();
        await db.schema.createIndex('sign_in_failures_user').on('sign_in_failures').columns(['username_key', 'failed_time']).execute();
        await db.schema.createIndex('sign_in_failures_address').on('sign_in_failures').columns(['address', 'failed_time']).execute();
        await db.schema.createIndex('sign_in_failures_time').on('sign_in_failures').column('failed_time').execute();
      },
    },

    '0008-content-environment-variables': {
      // Values are stored sealed, never in plain text; rows go with their content (the cascade).
      async up(db: Builder) {
        await db.schema
          .createTable('content_environment_variables')
          .addColumn('content_id', 'integer', (col) => col.notNull().references('content.id').onDelete('cascade'))
          .addColumn('name', 'text', (col) => col.notNull())
          .addColumn('sealed_value', 'text', (col) => col.notNull())
          .addColumn('key_id', 'text', (col) => col.notNull())
          .addColumn('updated_time', 'text', (col) => col.notNull())
          .addPrimaryKeyConstraint('content_environment_variables_pk', ['content_id', 'name'])
          .execute();
      },
    },
    '0009-content-settings': {
      // Connect's content settings (access, lock, scheduler, resources, run-as), stored as sent so a
      // client reads back what it wrote; envdesk acts on none of them yet. Null is "the server's
      // default", as in Connect; the three always-boolean ones and the access type get Connect's
      // defaults, so existing content reads as Connect would show it. One column per statement:
      // SQLite adds one column per ALTER TABLE.
      async up(db: Builder) {
        const add = (name: string, type: 'text' | 'integer' | 'bigint' | 'double precision', notNullDefault?: string | number) =>
          db.schema
            .alterTable('content')
            .addColumn(name, type, (col) => (notNullDefault === undefined ? col : col.notNull().defaultTo(notNullDefault)))
            .execute();
        await add('access_type', 'text', 'acl');
        await add('locked', 'integer', 0);
        await add('locked_message', 'text', '');
        for (const name of ['connection_timeout', 'read_timeout', 'init_timeout', 'idle_timeout', 'max_processes', 'min_processes', 'max_conns_per_process']) {
          await add(name, 'integer');
        }
        await add('load_factor', 'double precision');
        // Bytes exceed 32 bits.
        await add('memory_request', 'bigint');
        await add('memory_limit', 'bigint');
        await add('cpu_request', 'double precision');
        await add('cpu_limit', 'double precision');
        await add('amd_gpu_limit', 'integer');
        await add('nvidia_gpu_limit', 'integer');
        await add('service_account_name', 'text');
        await add('run_as', 'text');
        await add('run_as_current_user', 'integer', 0);
        await add('metrics_collection_enabled', 'integer');
        await add('notify_on_share', 'integer');
        await add('otel_enabled', 'integer', 0);
      },
    },
    '0010-bundle-metadata': {
      // Where a bundle's files came from, as rsconnect-python sends it; null for older bundles and
      // uploads that do not say. One column per statement: SQLite adds one per ALTER TABLE.
      async up(db: Builder) {
        for (const name of ['source', 'source_repo', 'source_branch', 'source_commit']) {
          await db.schema.alterTable('bundles').addColumn(name, 'text').execute();
        }
      },
    },
    '0011-content-permissions': {
      // A content item's access list: one user or one group per row, as a viewer or a collaborator
      // (Connect's role `owner`). Keys, not GUIDs, so that deleting the content, the user or the
      // group deletes its rows with it (the cascades), whichever way it is deleted.
      async up(db: Builder) {
        await withId(db.schema.createTable('content_permissions'))
          .addColumn('content_id', 'integer', (col) => col.notNull().references('content.id').onDelete('cascade'))
          .addColumn('user_id', 'integer', (col) => col.references('users.id').onDelete('cascade'))
          .addColumn('group_id', 'integer', (col) => col.references('groups.id').onDelete('cascade'))
          .addColumn('role', 'text', (col) => col.notNull())
          .addColumn('created_time', 'text', (col) => col.notNull())
          .addUniqueConstraint('content_permissions_user', ['content_id', 'user_id'])
          .addUniqueConstraint('content_permissions_group', ['content_id', 'group_id'])
          .addCheckConstraint('content_permissions_one_principal', sql`(user_id is null) <> (group_id is null)`)
          .execute();
        await db.schema.createIndex('content_permissions_user_id').on('content_permissions').column('user_id').execute();
        await db.schema.createIndex('content_permissions_group_id').on('content_permissions').column('group_id').execute();
      },
    },
    '0012-tags-vanities-repository': {
      // What hangs from content besides its record: tags (a tree: deleting a tag deletes the tags
      // under it, and the cascade takes their links to content), vanity URLs and git settings. Each
      // goes with its content (the cascades), so deleting content leaves nothing behind.
      async up(db: Builder) {
        await withId(db.schema.createTable('tags'))
          .addColumn('name', 'text', (col) => col.notNull())
          .addColumn('parent_id', 'integer', (col) => col.references('tags.id').onDelete('cascade'))
          .addColumn('created_time', 'text', (col) => col.notNull())
          .addColumn('updated_time', 'text', (col) => col.notNull())
          .execute();
        // Names are unique among siblings; categories (no parent) are siblings of each other.
        await db.schema
          .createIndex('tags_sibling_name')
          .on('tags')
          .unique()
          .expression(sql`coalesce(parent_id, 0), name`)
          .execute();
        await db.schema
          .createTable('content_tags')
          .addColumn('content_id', 'integer', (col) => col.notNull().references('content.id').onDelete('cascade'))
          .addColumn('tag_id', 'integer', (col) => col.notNull().references('tags.id').onDelete('cascade'))
          .addPrimaryKeyConstraint('content_tags_pk', ['content_id', 'tag_id'])
          .execute();
        await db.schema.createIndex('content_tags_tag').on('content_tags').column('tag_id').execute();
        await db.schema
          .createTable('vanities')
          .addColumn('content_id', 'integer', (col) => col.primaryKey().references('content.id').onDelete('cascade'))
          .addColumn('path', 'text', (col) => col.notNull())
          // Lower-cased: paths that differ only in case clash.
          .addColumn('path_key', 'text', (col) => col.notNull().unique())
          .addColumn('created_time', 'text', (col) => col.notNull())
          .execute();
        await db.schema
          .createTable('content_repositories')
          .addColumn('content_id', 'integer', (col) => col.primaryKey().references('content.id').onDelete('cascade'))
          .addColumn('repository', 'text', (col) => col.notNull())
          .addColumn('branch', 'text', (col) => col.notNull())
          .addColumn('directory', 'text', (col) => col.notNull())
          .addColumn('polling', 'integer', (col) => col.notNull())
          .addColumn('updated_time', 'text', (col) => col.notNull())
          .execute();
      },
    },
    '0013-runtime-caches-jobs': {
      // What builds leave behind: the package cache each would use (one per image, language and
      // version), each build and render as a Connect job, and the packages each built bundle installs.
      async up(db: Builder) {
        await withId(db.schema.createTable('runtime_caches'))
          .addColumn('image_name', 'text', (col) => col.notNull())
          .addColumn('language', 'text', (col) => col.notNull())
          .addColumn('version', 'text', (col) => col.notNull())
          .addColumn('created_time', 'text', (col) => col.notNull())
          .addColumn('used_time', 'text', (col) => col.notNull())
          .addUniqueConstraint('runtime_caches_identity', ['image_name', 'language', 'version'])
          .execute();

        await withId(db.schema.createTable('jobs'))
          .addColumn('key', 'text', (col) => col.notNull().unique())
          .addColumn('content_id', 'integer', (col) => col.notNull().references('content.id').onDelete('cascade'))
          .addColumn('bundle_id', 'integer', (col) => col.references('bundles.id').onDelete('set null'))
          .addColumn('task_id', 'text', (col) => col.references('tasks.id').onDelete('set null'))
          .addColumn('tag', 'text', (col) => col.notNull())
          .addColumn('hostname', 'text')
          .addColumn('start_time', 'text', (col) => col.notNull())
          .execute();
        await db.schema.createIndex('jobs_content').on('jobs').column('content_id').execute();

        await db.schema
          .createTable('bundle_packages')
          .addColumn('bundle_id', 'integer', (col) => col.notNull().references('bundles.id').onDelete('cascade'))
          .addColumn('language', 'text', (col) => col.notNull())
          .addColumn('language_version', 'text')
          .addColumn('name', 'text', (col) => col.notNull())
          .addColumn('version', 'text', (col) => col.notNull())
          .addColumn('hash', 'text')
          .execute();
        await db.schema.createIndex('bundle_packages_bundle').on('bundle_packages').column('bundle_id').execute();

        // Bundles built before this migration used caches too: without them, clearing the caches
        // after a move to new images would not reach the content deployed until now.
        for (const [language, version, managed] of [
          ['R', 'r_version', 'r_environment_management'],
          ['Python', 'py_version', 'py_environment_management'],
        ] as const) {
          await sql`
            insert into runtime_caches (image_name, language, version, created_time, used_time)
            select image_name, ${language}, ${sql.ref(version)}, min(created_time), max(created_time) from bundles
            where image_name is not null and ${sql.ref(version)} is not null and ${sql.ref(managed)} = 1
            group by image_name, ${sql.ref(version)}`.execute(db);
        }
      },
    },
    '0014-audit-events': {
      // Every change to environments, users, groups and content, appended in the change's own
      // transaction (issue 13): who, how, what changed field by field, and what an environment
      // was afterwards, so that it can be put back.
      async up(db: Builder) {
        await withId(db.schema.createTable('audit_events'))
          .addColumn('time', 'text', (col) => col.notNull())
          .addColumn('user_guid', 'text')
          .addColumn('user_id', 'integer')
          .addColumn('user_description', 'text', (col) => col.notNull())
          .addColumn('via', 'text', (col) => col.notNull())
          .addColumn('file', 'text')
          .addColumn('action', 'text', (col) => col.notNull())
          .addColumn('subject_type', 'text', (col) => col.notNull())
          .addColumn('subject_guid', 'text')
          .addColumn('subject_name', 'text', (col) => col.notNull())
          .addColumn('event_description', 'text', (col) => col.notNull())
          .addColumn('changes', 'text', (col) => col.notNull())
          .addColumn('state', 'text')
          .execute();
        await db.schema.createIndex('audit_events_subject').on('audit_events').columns(['subject_type', 'subject_guid', 'id']).execute();
        await db.schema.createIndex('audit_events_time').on('audit_events').column('time').execute();
      },
    },
    '0015-deleted-environments': {
      // A hand delete leaves a tombstone too (issue 13 § 3), so the tombstone keeps what a restore
      // puts back: the environment's definition and manager. `managed_by` is its own column
      // because the sync's planner reads it for every tombstone and must not parse each state.
      // Every tombstone before this one was written by a sync, of a file-managed environment.
      async up(db: Builder) {
        await db.schema.alterTable('environment_tombstones').addColumn('state', 'text').execute();
        await db.schema.alterTable('environment_tombstones').addColumn('managed_by', 'text').execute();
        await sql`update environment_tombstones set managed_by = 'config-file'`.execute(db);
      },
    },
    '0016-group-members-by-user': {
      // Every signed-in request reads its caller's groups with the credential; the primary key
      // starts with the group, so without this index each request scanned every membership.
      async up(db: Builder) {
        await db.schema.createIndex('group_members_user').on('group_members').columns(['user_id', 'group_id']).execute();
      },
    },
  };
}

/**
 * Brings the schema up to date; safe to run from several processes (Kysely locks the migration table).
 * `upTo` stops after that migration: a test of a migration starts from the schema before it.
 */
export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect, upTo?: string): Promise<void> {
  const wanted = Object.entries(migrations(dialect)).filter(([name]) => upTo === undefined || name <= upTo);
  const provider: MigrationProvider = { getMigrations: async () => Object.fromEntries(wanted) };
  // Names compare by code unit, as Kysely orders the migrations themselves: its default comparator,
  // localeCompare, loads the ICU collator, which costs a start several milliseconds.
  const nameComparator = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const { error, results } = await new Migrator({ db, provider, nameComparator }).migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }
}
