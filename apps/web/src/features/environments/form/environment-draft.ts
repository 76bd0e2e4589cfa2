import { type Environment, EnvironmentSchema, LANGUAGES, MatchingSchema } from '@envdesk/domain';
import * as z from 'zod/mini';
import type { EnvironmentFormValues } from './environment-form-values';
import { type GrantRow, grantChanges } from './grants';

/**
 * An unsaved form kept in sessionStorage, so a session that expires mid-edit loses nothing: the
 * sign-in page brings the person back to the form, which starts from the draft. Keyed by user (a
 * colleague signing in on the same tab never sees it) and by environment GUID or `new`; cleared
 * on save and on discard. sessionStorage, not localStorage: it dies with the tab, as a draft should.
 */

const InstallationRowSchema = z.object({ key: z.string(), language: z.union([z.enum(LANGUAGES), z.literal('')]), version: z.string(), path: z.string() });
const VolumeMountRowSchema = z.object({
  key: z.string(),
  sourceType: z.enum(['nfs', 'pvc']),
  nfsHost: z.string(),
  nfsExportPath: z.string(),
  pvcName: z.string(),
  targetPath: z.string(),
  readOnly: z.boolean(),
});
const FormValuesSchema = z.object({
  title: z.string(),
  description: z.string(),
  name: z.string(),
  installations: z.array(InstallationRowSchema),
  volumeMounts: z.array(VolumeMountRowSchema),
  matching: MatchingSchema,
  supervisor: z.string(),
}) satisfies z.ZodMiniType<EnvironmentFormValues>;
const GrantRowSchema = z.object({
  kind: z.enum(['user', 'group']),
  guid: z.string(),
  name: z.nullable(z.string()),
  permissionGuid: z.nullable(z.string()),
}) satisfies z.ZodMiniType<GrantRow>;

const DraftSchema = z.object({
  savedAt: z.string(),
  /** The version the edit started from: its ETag still goes with the save, so a change meanwhile is caught. */
  base: z.nullable(EnvironmentSchema),
  values: FormValuesSchema,
  grants: z.array(GrantRowSchema),
}) satisfies z.ZodMiniType<EnvironmentDraft>;
export interface EnvironmentDraft {
  readonly savedAt: string;
  readonly base: Environment | null;
  readonly values: EnvironmentFormValues;
  readonly grants: readonly GrantRow[];
}

export const draftKey = (userGuid: string, environmentGuid: string | null): string =>
  `envdesk:environment-draft:${userGuid}:${environmentGuid ?? 'new'}`;

/** The draft under `key`, if there is a readable one (a broken one is dropped). */
export function readDraft(key: string): EnvironmentDraft | null {
  let text: string | null;
  try {
    text = window.sessionStorage.getItem(key);
  } catch {
    return null; // Storage disabled: there are no drafts.
  }
  if (text === null) return null;
  try {
    const parsed = DraftSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // Not JSON: dropped below.
  }
  clearDraft(key);
  return null;
}

export function writeDraft(key: string, draft: EnvironmentDraft): void {
  try {
    window.sessionStorage.setItem(key, JSON.stringify(draft));
  } catch {
    // Storage full or disabled: the leave guard still protects the edit in this page.
  }
}

export function clearDraft(key: string): void {
  try {
    window.sessionStorage.removeItem(key);
  } catch {
    // Storage disabled: nothing was kept.
  }
}

/** Values without the rows' React keys: two forms holding the same data compare equal. */
function comparable(values: EnvironmentFormValues): string {
  return JSON.stringify({
    ...values,
    installations: values.installations.map(({ key: _key, ...row }) => row),
    volumeMounts: values.volumeMounts.map(({ key: _key, ...row }) => row),
  });
}

/** Does the form hold anything that saving would change? */
export function hasUnsavedChanges(
  initial: { values: EnvironmentFormValues; grants: readonly GrantRow[] },
  current: { values: EnvironmentFormValues; grants: readonly GrantRow[] },
): boolean {
  if (comparable(initial.values) !== comparable(current.values)) return true;
  const { added, removed } = grantChanges(initial.grants, current.grants);
  return added.length > 0 || removed.length > 0;
}
