import { randomBytes } from 'node:crypto';
import {
  type Action,
  type Actor,
  ApiError,
  type ContentSubject,
  type CreateContentInput,
  ErrorCode,
  type SubjectOf,
  type UpdateContentInput,
  authorOf,
  can,
  contentChange,
  isDisabled,
  notFound,
  changedIdentitySetting,
  defaultContentSettings,
  settingsConflict,
} from '@envdesk/domain';
import { authorize } from '../auth/authorize.js';
import { type Clock, newGuid, timestamp } from '../clock.js';
import type { Store } from '../db/store.js';
import type { ContentFields, ContentRecord } from './content-store.js';

const RUNTIME_CHOICE = [
  'default_image_name',
  'default_environment_guid',
  'default_r_environment_management',
  'default_py_environment_management',
] as const;

/** Actions on one content item, asked with that item. */
type ContentAction = { [A in Action]: SubjectOf<A> extends ContentSubject ? A : never }[Action];

/** The content as its audit events record it. */
export const auditedContent = (record: ContentRecord) => ({ ...record, owner_guid: record.owner.guid });

/** What the policy needs to know about a content item. */
export const contentSubject = (record: ContentRecord): ContentSubject => ({
  owner_guid: record.owner.guid,
  access_type: record.access_type,
  permissions: record.permissions,
});

export function createContentService({ store, clock }: { store: Pick<Store, 'content' | 'environments' | 'users' | 'audit' | 'transaction'>; clock: Clock }) {
  async function readable(actor: Actor, guid: string): Promise<ContentRecord> {
    authorize(actor, 'content:read');
    const record = await store.content.findByGuid(guid);
    if (!record) throw notFound('Content');
    // Content not shared with the caller is, to them, content that does not exist (Connect's 404).
    authorize(actor, 'content:read', contentSubject(record), () => notFound('Content'));
    return record;
  }

  /**
   * The content, once `actor` may do `action` to it: refused before the lookup when their role
   * never may, 404 when it does not exist, refused when it is not theirs to act on.
   */
  async function authorized(actor: Actor, guid: string, action: ContentAction): Promise<ContentRecord> {
    authorize(actor, action);
    const record = await readable(actor, guid);
    authorize(actor, action, contentSubject(record));
    return record;
  }

  /** A chosen environment must exist and be one the owner may use (PRODUCT.md §2). */
  async function checkRuntimeChoice(owner: Actor, input: UpdateContentInput): Promise<void> {
    const guid = input.default_environment_guid;
    if (!guid) return;
    const environment = await store.environments.findByGuid(guid);
    const permitted = environment && can(owner, 'environments:use', { grants: await store.environments.grantsOf(guid) });
    if (!environment || !permitted) {
      throw new ApiError(ErrorCode.InvalidParameter, 'No environment the content owner may use has that GUID.', {
        field: 'default_environment_guid',
      });
    }
    if (isDisabled(environment)) {
      throw new ApiError(ErrorCode.InvalidParameter, `The environment "${environment.title ?? environment.name}" is disabled (matching: none).`, {
        field: 'default_environment_guid',
      });
    }
  }

  /** Limits hold once the change is applied: min_processes ≤ max_processes, requests ≤ limits. */
  function checkSettings(record: ContentRecord | null, input: UpdateContentInput): void {
    const conflict = settingsConflict(record ?? defaultContentSettings, input);
    if (conflict) throw new ApiError(ErrorCode.InvalidParameter, conflict.message, { field: conflict.field });
  }

  /** Only administrators change who content runs as; anyone who may edit it may send the same value back. */
  function checkIdentity(actor: Actor, record: ContentRecord | null, input: UpdateContentInput): void {
    const field = changedIdentitySetting(record ?? defaultContentSettings, input);
    if (!field) return;
    authorize(actor, 'content:set-identity', undefined, () =>
      new ApiError(ErrorCode.PermissionDenied, `Only administrators may set ${field}.`, { field }),
    );
  }

  return {
    readable,
    authorized,

    /** What the caller may see: administrators every item, others what is theirs, shared with them or open to all. */
    async list(actor: Actor, filter: { name?: string | undefined; owner_guid?: string | undefined }): Promise<ContentRecord[]> {
      authorize(actor, 'content:read');
      const records = await store.content.list({ name: filter.name, ownerGuid: filter.owner_guid });
      return records.filter((record) => can(actor, 'content:read', contentSubject(record)));
    },

    /** `POST /v1/content` with `{}` works: Connect's clients rely on a generated name. */
    async create(actor: Actor, owner: { id: number }, input: CreateContentInput): Promise<ContentRecord> {
      authorize(actor, 'content:create');
      checkIdentity(actor, null, input);
      checkSettings(null, input);
      await checkRuntimeChoice(actor, input);
      const guid = newGuid();
      const name = input.name ?? `content-${randomBytes(4).toString('hex')}`;
      const { name: _name, ...fields } = input;
      return store.transaction(async (tx) => {
        const now = timestamp(clock);
        await tx.content.insert(guid, owner.id, name, fields, now);
        const created = (await tx.content.findByGuid(guid))!;
        await tx.audit.append(authorOf(actor), [contentChange('add', null, auditedContent(created))], now);
        return created;
      });
    },

    /** PATCH: fields present replace. A changed runtime choice marks deployed content for rebuild. */
    async update(actor: Actor, guid: string, input: UpdateContentInput): Promise<ContentRecord> {
      const record = await authorized(actor, guid, 'content:update');
      checkIdentity(actor, record, input);
      checkSettings(record, input);
      // Selection and permission checks are about who owns the content, whoever edits it.
      await checkRuntimeChoice(await store.users.actorOf(record.owner.id), input);
      const fields: ContentFields = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
      const changesRuntime = RUNTIME_CHOICE.some((key) => input[key] !== undefined && input[key] !== record[key]);
      if (changesRuntime && record.bundle_id !== null) fields.needs_rebuild = true;
      return store.transaction(async (tx) => {
        await tx.content.update(guid, fields);
        const updated = await tx.content.findByGuid(guid);
        // Deleted by someone else meanwhile.
        if (!updated) throw notFound('Content');
        await tx.audit.append(authorOf(actor), [contentChange('update', auditedContent(record), auditedContent(updated))], timestamp(clock));
        return updated;
      });
    },

    async remove(actor: Actor, guid: string): Promise<void> {
      const record = await authorized(actor, guid, 'content:delete');
      await store.transaction(async (tx) => {
        if (!(await tx.content.remove(guid))) return;
        await tx.audit.append(authorOf(actor), [contentChange('delete', auditedContent(record), null)], timestamp(clock));
      });
    },
  };
}
export type ContentService = ReturnType<typeof createContentService>;
