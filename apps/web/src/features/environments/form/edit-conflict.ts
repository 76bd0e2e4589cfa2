import { type Environment, LANGUAGE_LABELS, LANGUAGES } from '@envdesk/domain';
import { type EnvironmentFormValues, requestBodyFrom } from './environment-form-values';

/**
 * What a 412 means for the form: someone saved the environment after it was opened. The comparison
 * lists each field *they* changed (opened ≠ theirs), with the value this form would save next to
 * theirs, so an administrator can tell whether overwriting loses anything.
 */

export interface ConflictRow {
  /** The API field: `title`, `python`, `volume_mounts`… */
  readonly field: string;
  readonly label: string;
  /** What this form would save, as text. */
  readonly mine: string;
  /** What is saved now, as text. */
  readonly theirs: string;
  /** This form changed the field too: overwriting replaces their value with a different one. */
  readonly changedByBoth: boolean;
}

const COMPARED_FIELDS = ['title', 'description', ...LANGUAGES, 'volume_mounts', 'matching', 'supervisor'] as const;
type ComparedField = (typeof COMPARED_FIELDS)[number];

const LABELS: Record<ComparedField, string> = {
  title: 'Title',
  description: 'Description',
  ...LANGUAGE_LABELS,
  volume_mounts: 'Volume mounts',
  matching: 'Matching',
  supervisor: 'Supervisor',
};

/** JSON with keys sorted, so two equal values compare equal whatever order their keys came in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

interface InstallationLike {
  version: string;
  path: string;
}
interface MountLike {
  source: { volume_type: string; nfs_host?: string; nfs_export_path?: string; pvc_name?: string };
  target: { path: string; read_only?: boolean | null };
}

/** A field's value as a person reads it in the comparison. */
export function describeValue(field: string, value: unknown): string {
  if ((LANGUAGES as readonly string[]).includes(field)) {
    const installations = ((value as { installations?: InstallationLike[] } | null)?.installations ?? []);
    return installations.length === 0 ? 'none' : installations.map((item) => `${item.version} at ${item.path}`).join('; ');
  }
  if (field === 'volume_mounts') {
    const mounts = (value as MountLike[] | null) ?? [];
    if (mounts.length === 0) return 'none';
    return mounts
      .map(({ source, target }) => {
        const from = source.volume_type === 'nfs' ? `NFS ${source.nfs_host ?? ''}:${source.nfs_export_path ?? ''}` : `claim ${source.pvc_name ?? ''}`;
        return `${from} → ${target.path}${target.read_only ? ' (read-only)' : ''}`;
      })
      .join('; ');
  }
  return value === null || value === undefined || value === '' ? '(empty)' : String(value);
}

/** The fields another administrator changed since the form was opened, with both sides' values. */
export function conflictRows(opened: Environment, mine: EnvironmentFormValues, theirs: Environment): ConflictRow[] {
  const body = requestBodyFrom(mine, 'edit');
  return COMPARED_FIELDS.flatMap((field) => {
    const openedValue = canonical(opened[field]);
    if (openedValue === canonical(theirs[field])) return [];
    return [
      {
        field,
        label: LABELS[field],
        mine: describeValue(field, body[field]),
        theirs: describeValue(field, theirs[field]),
        changedByBoth: canonical(body[field]) !== openedValue && canonical(body[field]) !== canonical(theirs[field]),
      },
    ];
  });
}
