import {
  type ApiError,
  CreateEnvironmentInputSchema,
  type Environment,
  InstallationSchema,
  type Language,
  LANGUAGES,
  type Matching,
  UpdateEnvironmentInputSchema,
  type VolumeMount,
  environmentErrorCode,
  parseInput,
  versionProblem,
} from '@envdesk/domain';

/**
 * The add / edit form as plain data, and the two translations it needs: form → request body, and
 * an error's API path (`python.installations[0].path`) → the form field that shows it. Client-side
 * checks run the server's own schemas through `parseInput`, so both speak the same errors.
 */

export interface InstallationRow {
  readonly key: string;
  /** '' until someone chooses: an added row does not guess (a Python path saved as R goes unnoticed). */
  readonly language: Language | '';
  readonly version: string;
  readonly path: string;
}

export type VolumeSourceType = VolumeMount['source']['volume_type'];

export interface VolumeMountRow {
  readonly key: string;
  readonly sourceType: VolumeSourceType;
  readonly nfsHost: string;
  readonly nfsExportPath: string;
  readonly pvcName: string;
  readonly targetPath: string;
  readonly readOnly: boolean;
}

export interface EnvironmentFormValues {
  readonly title: string;
  readonly description: string;
  /** The image reference; fixed once the environment exists. */
  readonly name: string;
  readonly installations: readonly InstallationRow[];
  readonly volumeMounts: readonly VolumeMountRow[];
  readonly matching: Matching;
  readonly supervisor: string;
}

export type FormMode = 'create' | 'edit';

/** A form field's name: `title`, `installations.<key>.version`, `volumeMounts.<key>.targetPath`… */
export type FieldName = string;
/** Problems by field; `''` holds those no field can show. */
export type FieldErrors = Readonly<Record<FieldName, string>>;

let keyCounter = 0;
/** Row keys keep React's identity and the error mapping stable while rows are added and removed. */
export const newRowKey = (): string => `row${++keyCounter}`;

export const emptyInstallation = (language: Language | '' = 'python'): InstallationRow => ({
  key: newRowKey(),
  language,
  version: '',
  path: '',
});

export const emptyVolumeMount = (): VolumeMountRow => ({
  key: newRowKey(),
  sourceType: 'nfs',
  nfsHost: '',
  nfsExportPath: '',
  pvcName: '',
  targetPath: '',
  readOnly: false,
});

export const emptyFormValues = (): EnvironmentFormValues => ({
  title: '',
  description: '',
  name: '',
  installations: [emptyInstallation('python')],
  volumeMounts: [],
  matching: 'any',
  supervisor: '',
});

export function formValuesFrom(environment: Environment): EnvironmentFormValues {
  return {
    title: environment.title ?? '',
    description: environment.description ?? '',
    name: environment.name,
    installations: LANGUAGES.flatMap((language) =>
      environment[language].installations.map((installation) => ({ key: newRowKey(), language, ...installation })),
    ),
    volumeMounts: environment.volume_mounts.map((mount) => ({
      key: newRowKey(),
      sourceType: mount.source.volume_type,
      nfsHost: mount.source.volume_type === 'nfs' ? mount.source.nfs_host : '',
      nfsExportPath: mount.source.volume_type === 'nfs' ? mount.source.nfs_export_path : '',
      pvcName: mount.source.volume_type === 'pvc' ? mount.source.pvc_name : '',
      targetPath: mount.target.path,
      readOnly: mount.target.read_only,
    })),
    matching: environment.matching,
    supervisor: environment.supervisor ?? '',
  };
}

/** *Clone*: everything but the image, which must differ (one environment per image), under a title saying so. */
export function cloneFormValuesFrom(environment: Environment): EnvironmentFormValues {
  return { ...formValuesFrom(environment), name: '', title: `Copy of ${environment.title ?? environment.name}` };
}

const blankToNull = (text: string): string | null => (text.trim() === '' ? null : text);

/** The POST (create) or PUT (edit) body; a PUT replaces every editable field and leaves `name` out. */
export function requestBodyFrom(values: EnvironmentFormValues, mode: FormMode): Record<string, unknown> {
  const body: Record<string, unknown> = {
    title: blankToNull(values.title)?.trim() ?? null,
    description: blankToNull(values.description),
    matching: values.matching,
    supervisor: blankToNull(values.supervisor)?.trim() ?? null,
  };
  if (mode === 'create') body['name'] = values.name.trim();
  for (const language of LANGUAGES) {
    body[language] = {
      installations: values.installations
        .filter((row) => row.language === language)
        .map((row) => ({ version: row.version, path: row.path.trim() })),
    };
  }
  body['volume_mounts'] = values.volumeMounts.map((row) => ({
    source:
      row.sourceType === 'nfs'
        ? { volume_type: 'nfs', nfs_host: row.nfsHost, nfs_export_path: row.nfsExportPath.trim() }
        : { volume_type: 'pvc', pvc_name: row.pvcName },
    target: { path: row.targetPath.trim(), read_only: row.readOnly },
  }));
  return body;
}

const installationLeaves: Record<string, string> = { version: 'version', path: 'path' };
const volumeLeaves: Record<string, string> = {
  'source.nfs_host': 'nfsHost',
  'source.nfs_export_path': 'nfsExportPath',
  'source.pvc_name': 'pvcName',
  'source.volume_type': 'sourceType',
  source: 'sourceType',
  'target.path': 'targetPath',
  target: 'targetPath',
  'target.read_only': 'readOnly',
};
const TOP_LEVEL_FIELDS = new Set(['title', 'description', 'name', 'matching', 'supervisor']);

/**
 * The form field that shows a problem at an API path. `python.installations[1].path` is the second
 * Python row, wherever it sits among the form's rows; unknown paths go to the form as a whole (`''`).
 */
export function fieldForApiPath(apiPath: string, values: EnvironmentFormValues): FieldName {
  if (TOP_LEVEL_FIELDS.has(apiPath)) return apiPath;
  const installation = /^(\w+)\.installations(?:\[(\d+)\](?:\.(\w+))?)?$/.exec(apiPath);
  if (installation && (LANGUAGES as readonly string[]).includes(installation[1] ?? '')) {
    const [, language, index, leaf] = installation;
    if (index === undefined) return 'installations';
    const row = values.installations.filter((r) => r.language === language)[Number(index)];
    if (!row) return 'installations';
    return `installations.${row.key}.${installationLeaves[leaf ?? ''] ?? 'version'}`;
  }
  if ((LANGUAGES as readonly string[]).includes(apiPath)) return 'installations';
  const volume = /^volume_mounts(?:\[(\d+)\](?:\.(.+))?)?$/.exec(apiPath);
  if (volume) {
    const [, index, leaf] = volume;
    const row = index === undefined ? undefined : values.volumeMounts[Number(index)];
    if (!row) return 'volumeMounts';
    return `volumeMounts.${row.key}.${volumeLeaves[leaf ?? ''] ?? 'targetPath'}`;
  }
  return '';
}

const FIELD_LABELS: Record<string, string> = {
  title: 'Title',
  description: 'Description',
  name: 'Image name',
  matching: 'Matching',
  supervisor: 'Supervisor',
  version: 'Version',
  path: 'Path',
  nfsHost: 'NFS host',
  nfsExportPath: 'Export path',
  pvcName: 'Claim name',
  sourceType: 'Volume type',
  targetPath: 'Target path',
  readOnly: 'Read-only',
  installations: 'Installations',
  volumeMounts: 'Volume mounts',
};

/** "Path must be an absolute path (starting with /)." from the field and the schema's predicate. */
export function problemSentence(field: FieldName, message: string): string {
  const label = FIELD_LABELS[field.split('.').at(-1) ?? ''];
  const text = message.replace(/\.$/, '');
  if (!label || text.toLowerCase().startsWith(label.toLowerCase())) return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  return `${label} ${text}.`;
}

interface IssueLike {
  readonly field: string;
  readonly message: string;
}

function issuesOf(error: ApiError): IssueLike[] {
  const payload = error.payload ?? {};
  const issues = Array.isArray(payload['issues']) ? (payload['issues'] as unknown[]) : [];
  const listed = issues.filter(
    (issue): issue is IssueLike =>
      typeof issue === 'object' && issue !== null && typeof (issue as IssueLike).field === 'string' && typeof (issue as IssueLike).message === 'string',
  );
  if (listed.length > 0) return listed;
  // A single problem: the server names the field and the sentence says what is wrong.
  return typeof payload['field'] === 'string' ? [{ field: payload['field'], message: error.message }] : [];
}

/**
 * Field errors from an ApiError (the server's 400, or the same error built in the browser): the
 * first problem of each field wins; problems without a field (or with none listed) go to `''`.
 */
export function fieldErrorsFrom(error: ApiError, values: EnvironmentFormValues): FieldErrors {
  const errors: Record<FieldName, string> = {};
  const issues = issuesOf(error);
  const isListed = Array.isArray(error.payload?.['issues']);
  for (const issue of issues) {
    const field = fieldForApiPath(issue.field, values);
    errors[field] ??= field === '' || !isListed ? issue.message : problemSentence(field, issue.message);
  }
  if (issues.length === 0) errors[''] = error.message;
  return errors;
}

/**
 * Checks the form as the server will, with the server's schema for this kind of request; a row's
 * version problem says what a version of its language looks like, and a row without a language
 * (which the request would leave out) is a problem of its own.
 */
export function validateForm(values: EnvironmentFormValues, mode: FormMode): FieldErrors {
  const schema = mode === 'create' ? CreateEnvironmentInputSchema : UpdateEnvironmentInputSchema;
  const result = parseInput(schema, requestBodyFrom(values, mode), environmentErrorCode);
  const errors: Record<FieldName, string> = result.ok ? {} : { ...fieldErrorsFrom(result.error, values) };
  for (const row of values.installations) {
    if (row.language === '') {
      errors[`installations.${row.key}.language`] = 'Choose the language of this installation.';
      // Left out of the request until it has a language, so its fields are checked here.
      const parsed = InstallationSchema.safeParse({ version: row.version, path: row.path.trim() });
      for (const issue of parsed.success ? [] : parsed.error.issues) {
        const field = `installations.${row.key}.${String(issue.path[0])}`;
        errors[field] ??= problemSentence(field, issue.message);
      }
      continue;
    }
    const field = `installations.${row.key}.version`;
    const problem = versionProblem(row.language, row.version);
    if (errors[field] !== undefined && problem !== null) errors[field] = problemSentence(field, problem);
  }
  return errors;
}
