import {
  type AuditEvent,
  DEFINITION_FIELDS,
  type Environment,
  type FieldChange,
  InstallationsSchema,
  LANGUAGE_LABELS,
  VolumeMountSchema,
  fieldChanges,
  restorableState,
} from '@envdesk/domain';
import * as z from 'zod/mini';

/** How a change arrived, as the end of a sentence: "Ada (ada) in the Environments tab". */
export function viaText(event: Pick<AuditEvent, 'via' | 'file'>): string {
  switch (event.via) {
    case 'tab':
      return 'in the Environments tab';
    case 'api':
      return 'through the API';
    case 'file':
      return event.file ? `from the environments file ${event.file}` : 'from the environments file';
    case 'command':
      return 'with an envdesk command';
    case 'system':
      return 'by envdesk itself';
  }
}

const FIELD_LABELS: Record<string, string> = {
  name: 'Image',
  title: 'Title',
  description: 'Description',
  matching: 'Matching',
  supervisor: 'Supervisor',
  ...LANGUAGE_LABELS,
  volume_mounts: 'Volume mounts',
  managed_by: 'Managed by',
  permissions: 'Access',
};

export const fieldLabel = (field: string): string => FIELD_LABELS[field] ?? field;

const MountsSchema = z.array(VolumeMountSchema);
const GrantSchema = z.object({ user_guid: z.nullable(z.string()), group_guid: z.nullable(z.string()) });

/**
 * A recorded value as a person reads it: versions with their paths, mounts as source → target,
 * grants by who they name. Anything else shows as its JSON, so nothing recorded is hidden.
 */
export function formatValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (field === 'managed_by') return value === 'config-file' ? 'the environments file' : String(value);
  const installations = InstallationsSchema.safeParse(value);
  if (installations.success) {
    const { installations: list } = installations.data;
    return list.length === 0 ? 'none' : list.map((installation) => `${installation.version} (${installation.path})`).join(', ');
  }
  const mounts = MountsSchema.safeParse(value);
  if (mounts.success) {
    if (mounts.data.length === 0) return 'none';
    return mounts.data
      .map(({ source, target }) => {
        const from = source.volume_type === 'nfs' ? `nfs ${source.nfs_host}:${source.nfs_export_path}` : `pvc ${source.pvc_name}`;
        return `${from} → ${target.path}${target.read_only ? ' (read-only)' : ''}`;
      })
      .join('; ');
  }
  const grants = z.array(GrantSchema).safeParse(Array.isArray(value) ? value : [value]);
  if (field === 'permissions' && grants.success) {
    return grants.data.map((grant) => (grant.user_guid ? `user ${grant.user_guid}` : `group ${grant.group_guid}`)).join(', ');
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** What the editable fields become from restoring to `event`: the image and manager never change by a restore. */
const RESTORED_FIELDS = DEFINITION_FIELDS.filter((field) => field !== 'name');

/** The fields a restore to `event` would change, or null when the event keeps no state to restore. */
export function restoreChanges(current: Environment, event: AuditEvent): FieldChange[] | null {
  const state = restorableState(event.state);
  return state ? fieldChanges(current, state, RESTORED_FIELDS) : null;
}
