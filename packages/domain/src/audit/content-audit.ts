import type { ContentGrant } from '../content/content-permission-schemas.js';
import { ContentSettingsSchema } from '../content/content-schemas.js';
import type { NewAuditEvent } from './audit-schemas.js';
import { fieldChanges } from './field-changes.js';

/** Content actions: Connect's names for applications, envdesk's in the same style for the rest. */
export const CONTENT_ACTIONS = {
  add: 'add_application',
  update: 'update_application',
  delete: 'delete_application',
  deploy: 'deploy_application',
  setVariables: 'update_application_environment',
  addPermission: 'add_application_permission',
  updatePermission: 'update_application_permission',
  removePermission: 'remove_application_permission',
} as const;

/** What of content is recorded: what its owner and administrators set, never variable values. */
export const AUDITED_CONTENT_FIELDS = [
  'name',
  'title',
  'description',
  'owner_guid',
  'content_category',
  'default_image_name',
  'default_environment_guid',
  'default_r_environment_management',
  'default_py_environment_management',
  ...(Object.keys(ContentSettingsSchema.shape) as Array<keyof typeof ContentSettingsSchema.shape>),
] as const;
type AuditedField = (typeof AUDITED_CONTENT_FIELDS)[number];

/** Content as an event is about it: its GUID, how to name it, and the recorded fields it has. */
export type AuditedContent = { readonly guid: string; readonly name: string; readonly title: string | null } & Partial<Record<AuditedField, unknown>>;

const label = (content: Pick<AuditedContent, 'name' | 'title'>) => (content.title ? `${content.title} (${content.name})` : content.name);

const subject = (content: Pick<AuditedContent, 'guid' | 'name' | 'title'>) => ({
  subject_type: 'content' as const,
  subject_guid: content.guid,
  subject_name: label(content),
  state: null,
});

const VERBS = { add: 'Added', update: 'Updated', delete: 'Deleted' } as const;

/** The event for content created (`before` null), changed, or deleted (`after` null). */
export function contentChange(action: keyof typeof VERBS, before: AuditedContent | null, after: AuditedContent | null): NewAuditEvent {
  const content = (after ?? before)!;
  const changes = fieldChanges<Record<AuditedField, unknown>>(before, after, AUDITED_CONTENT_FIELDS);
  const changed = action === 'update' && changes.length > 0 ? ` (${changes.map((change) => change.field).join(', ')})` : '';
  return { action: CONTENT_ACTIONS[action], ...subject(content), event_description: `${VERBS[action]} content ${label(content)}${changed}`, changes };
}

/** What a deploy put in place: the bundle and the environment it runs in. */
export interface DeployedRuntime {
  readonly bundle_id: number | string | null;
  readonly image_name: string | null;
  readonly environment_guid: string | null;
}

/** The event for a bundle deployed and activated. */
export function contentDeploy(content: Pick<AuditedContent, 'guid' | 'name' | 'title'>, before: DeployedRuntime, after: DeployedRuntime): NewAuditEvent {
  const normalised = (runtime: DeployedRuntime): DeployedRuntime => ({ ...runtime, bundle_id: runtime.bundle_id === null ? null : String(runtime.bundle_id) });
  return {
    action: CONTENT_ACTIONS.deploy,
    ...subject(content),
    event_description: `Deployed bundle ${after.bundle_id} of content ${label(content)}${after.image_name ? ` in ${after.image_name}` : ''}`,
    changes: fieldChanges<DeployedRuntime>(normalised(before), normalised(after), ['bundle_id', 'image_name', 'environment_guid']),
  };
}

/**
 * The event for environment variables set or removed: their names and that each is set, never a
 * value (a new value for a variable that was set reads `set` → `set`).
 */
export function contentVariablesChange(content: Pick<AuditedContent, 'guid' | 'name' | 'title'>, before: readonly string[], after: readonly string[], touched: readonly string[]): NewAuditEvent {
  const was = new Set(before);
  const is = new Set(after);
  // A name removed that was never set changes nothing.
  const names = [...new Set([...touched, ...before.filter((name) => !is.has(name))])].filter((name) => was.has(name) || is.has(name)).sort();
  const changes = names.map((name) => ({ field: `environment.${name}`, before: was.has(name) ? 'set' : null, after: is.has(name) ? 'set' : null }));
  const set = names.filter((name) => is.has(name));
  const removed = names.filter((name) => !is.has(name));
  const parts = [set.length > 0 ? `set ${set.join(', ')}` : '', removed.length > 0 ? `removed ${removed.join(', ')}` : ''].filter(Boolean);
  return {
    action: CONTENT_ACTIONS.setVariables,
    ...subject(content),
    event_description: `Environment variables of content ${label(content)}: ${parts.join('; ') || 'none changed'}`,
    changes,
  };
}

/** The event for an access-list entry added, changed or removed; `principal` names who it is for. */
export function contentPermissionChange(
  action: 'addPermission' | 'updatePermission' | 'removePermission',
  content: Pick<AuditedContent, 'guid' | 'name' | 'title'>,
  before: ContentGrant | null,
  after: ContentGrant | null,
  principal: string,
): NewAuditEvent {
  const grant = (after ?? before)!;
  const who = `${grant.principal_type} ${principal}`;
  const description =
    action === 'removePermission'
      ? `Removed ${who} from the access list of content ${label(content)}`
      : `${action === 'addPermission' ? 'Gave' : 'Changed'} ${who} ${grant.role === 'owner' ? 'collaborator' : 'viewer'} access to content ${label(content)}`;
  return { action: CONTENT_ACTIONS[action], ...subject(content), event_description: description, changes: [{ field: 'permissions', before, after }] };
}
