import type { EnvironmentDefinition } from '../environments/environment-schemas.js';
import type { EnvironmentGrant } from '../access/environment-policy.js';
import { AUDITED_ENVIRONMENT_FIELDS, type EnvironmentState, type NewAuditEvent } from './audit-schemas.js';
import { fieldChanges } from './field-changes.js';

/** The environment actions, named as Connect names its own (`add_user`, `update_user`). */
export const ENVIRONMENT_ACTIONS = {
  add: 'add_environment',
  update: 'update_environment',
  delete: 'delete_environment',
  adopt: 'adopt_environment',
  restore: 'restore_environment',
  addPermission: 'add_environment_permission',
  removePermission: 'remove_environment_permission',
} as const;
export type EnvironmentAction = keyof typeof ENVIRONMENT_ACTIONS;

/** What of an environment a change is about: its definition and manager, plus how to name it. */
export type AuditedEnvironment = EnvironmentState & { readonly guid: string };

/** The state kept on an event: only the audited fields, whatever else the record carried. */
export function environmentState(environment: EnvironmentDefinition & { managed_by: string | null }): EnvironmentState {
  return Object.fromEntries(AUDITED_ENVIRONMENT_FIELDS.map((field) => [field, environment[field]])) as unknown as EnvironmentState;
}

const label = (environment: Pick<AuditedEnvironment, 'title' | 'name'>) =>
  environment.title ? `${environment.title} (${environment.name})` : environment.name;

const VERBS: Record<Exclude<EnvironmentAction, 'addPermission' | 'removePermission'>, string> = {
  add: 'Added',
  update: 'Updated',
  delete: 'Deleted',
  adopt: 'Adopted into the environments file',
  restore: 'Restored',
};

/**
 * The event for a change of an environment's definition. `before` is null for a creation, `after`
 * for a deletion; the state kept is the one a restore to this event puts back (for a deletion,
 * what was deleted).
 */
export function environmentChange(action: keyof typeof VERBS, before: AuditedEnvironment | null, after: AuditedEnvironment | null): NewAuditEvent {
  const subject = (after ?? before)!;
  const changes = fieldChanges<EnvironmentState>(before, after, AUDITED_ENVIRONMENT_FIELDS);
  const changed = action === 'update' || action === 'adopt' ? changes.map((change) => change.field) : [];
  const description = `${VERBS[action]}${action === 'adopt' ? ':' : ''} environment ${label(subject)}`;
  return {
    action: ENVIRONMENT_ACTIONS[action],
    subject_type: 'environment',
    subject_guid: subject.guid,
    subject_name: label(subject),
    event_description: changed.length > 0 ? `${description} (${changed.join(', ')})` : description,
    changes,
    state: environmentState(subject),
  };
}

/** The event for a permission granted on, or taken from, an environment. */
export function environmentPermissionChange(
  action: 'addPermission' | 'removePermission',
  environment: Pick<AuditedEnvironment, 'guid' | 'title' | 'name'>,
  grant: EnvironmentGrant,
  principal: string,
): NewAuditEvent {
  const who = grant.user_guid ? `user ${principal}` : `group ${principal}`;
  const adding = action === 'addPermission';
  return {
    action: ENVIRONMENT_ACTIONS[action],
    subject_type: 'environment',
    subject_guid: environment.guid,
    subject_name: label(environment),
    event_description: adding
      ? `Allowed ${who} to use environment ${label(environment)}`
      : `Stopped ${who} from using environment ${label(environment)}`,
    changes: [{ field: 'permissions', before: adding ? null : grant, after: adding ? grant : null }],
    state: null,
  };
}
