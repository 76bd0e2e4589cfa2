import * as z from 'zod/mini';
import { ErrorCode } from '../errors.js';
import { type IssuePath, lineOfText, multiLineText } from '../validation.js';
import { parseLanguageVersion } from '../versions/version-constraints.js';
import { imageReferenceProblem } from './image-reference.js';

export const CLUSTER_NAME = 'Kubernetes';
/**
 * Local execution's cluster and image name (Connect's own word): content built on the server's own
 * installations rather than in an image. Never a valid image reference (upper case), so no
 * environment can be named so.
 */
export const LOCAL_NAME = 'Local';

/** The cluster a build ran on, from the image it recorded (null before any build). */
export const clusterNameOf = (imageName: string | null): string | null =>
  imageName === null ? null : imageName === LOCAL_NAME ? LOCAL_NAME : CLUSTER_NAME;
export const LANGUAGES = ['python', 'r', 'quarto', 'tensorflow', 'nodejs'] as const;
export type Language = (typeof LANGUAGES)[number];

/** What each language is called on screen, in sentences and in the deploy log. */
export const LANGUAGE_LABELS: Record<Language, string> = { python: 'Python', r: 'R', quarto: 'Quarto', tensorflow: 'TensorFlow', nodejs: 'Node.js' };

export const MatchingSchema = z.enum(['any', 'exact', 'none'], {
  error: 'must be one of any, exact, none',
});
export type Matching = z.infer<typeof MatchingSchema>;

/** `matching: none` disables an environment: it is never used, requested or not (seed "Matching"). */
export const isDisabled = (environment: { readonly matching: Matching }): boolean => environment.matching === 'none';

export const AbsolutePathSchema = lineOfText().check(
  z.maxLength(4096),
  z.refine((path) => path.startsWith('/'), 'must be an absolute path (starting with /)'),
  z.refine((path) => !path.split('/').includes('..'), 'must not contain ".." segments'),
);

// A tag must be a pre-release spelling: `3.1x` is a typo, not 3.1 with the tag "x".
export const VersionTextSchema = lineOfText({ trim: true }).check(
  z.refine((text) => parseLanguageVersion(text) !== null, 'must be a version like 3.11.9'),
);

export const ImageNameSchema = lineOfText({ trim: true }).check(
  z.superRefine((name, ctx) => {
    const problem = imageReferenceProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: `image name ${problem}` });
  }),
);

export const InstallationSchema = z.object({
  version: VersionTextSchema,
  /** Absolute path of the interpreter executable inside the image. */
  path: AbsolutePathSchema,
});
export type Installation = z.infer<typeof InstallationSchema>;

export const InstallationsSchema = z.object({ installations: z.array(InstallationSchema) });
export type Installations = z.infer<typeof InstallationsSchema>;

/** Connect itself answers `null` and `{installations: null}` in places; both mean "none". */
const InstallationsInputSchema = z.pipe(
  z.nullable(z.object({ installations: z.nullish(z.array(InstallationSchema)) })),
  z.transform((value): Installations => ({ installations: value?.installations ?? [] })),
);

const KUBERNETES_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const NfsVolumeSourceSchema = z.object({
  volume_type: z.literal('nfs'),
  nfs_host: lineOfText({ trim: true }).check(
    z.minLength(1, 'is required for an nfs volume'),
    z.maxLength(253),
    z.regex(/^[A-Za-z0-9.:[\]-]+$/, 'must be a host name or IP address'),
  ),
  nfs_export_path: AbsolutePathSchema,
});

export const PvcVolumeSourceSchema = z.object({
  volume_type: z.literal('pvc'),
  pvc_name: lineOfText({ trim: true }).check(
    z.minLength(1, 'is required for a pvc volume'),
    z.maxLength(253),
    z.regex(KUBERNETES_NAME, 'must be a Kubernetes resource name (lower case letters, digits, "-" and ".")'),
  ),
});

export const VolumeSourceSchema = z.discriminatedUnion('volume_type', [NfsVolumeSourceSchema, PvcVolumeSourceSchema], {
  error: 'volume_type must be nfs or pvc',
});

export const VolumeTargetSchema = z.object({
  /** Where the volume appears inside the container. */
  path: AbsolutePathSchema,
  read_only: z.pipe(z.nullish(z.boolean()), z.transform((value) => value ?? false)),
});

export const VolumeMountSchema = z.object({ source: VolumeSourceSchema, target: VolumeTargetSchema });
export type VolumeMount = z.infer<typeof VolumeMountSchema>;

const VolumeMountsSchema = z.array(VolumeMountSchema).check(
  z.superRefine((mounts, ctx) => {
    const seen = new Set<string>();
    mounts.forEach((mount, index) => {
      if (seen.has(mount.target.path)) {
        ctx.addIssue({ code: 'custom', path: [index, 'target', 'path'], message: 'is already the target of another volume mount' });
      }
      seen.add(mount.target.path);
    });
  }),
);

const VolumeMountsInputSchema = z.pipe(z.nullable(VolumeMountsSchema), z.transform((mounts) => mounts ?? []));

/** The environment record as Connect answers it: every key present, absent values `null`, `id` a string. */
export const EnvironmentSchema = z.object({
  id: z.string().check(z.regex(/^\d+$/)),
  guid: z.uuid(),
  created_time: z.string(),
  updated_time: z.string(),
  title: z.nullable(z.string()),
  description: z.nullable(z.string()),
  /** Always Kubernetes for a stored environment; Local only for local execution's synthetic one. */
  cluster_name: z.enum([CLUSTER_NAME, LOCAL_NAME]),
  name: z.string(),
  environment_type: z.enum([CLUSTER_NAME, LOCAL_NAME]),
  matching: MatchingSchema,
  supervisor: z.nullable(z.string()),
  /** Non-null when a declarative file owns the record; the API then refuses PUT and DELETE. */
  managed_by: z.nullable(z.string()),
  python: InstallationsSchema,
  quarto: InstallationsSchema,
  r: InstallationsSchema,
  tensorflow: InstallationsSchema,
  nodejs: InstallationsSchema,
  volume_mounts: z.array(VolumeMountSchema),
});
export type Environment = z.infer<typeof EnvironmentSchema>;

/** Fields an administrator may set; shared by create and update (PUT). */
const editableEnvironmentFields = {
  title: z.optional(z.nullable(lineOfText({ trim: true }).check(z.minLength(1, 'must not be empty'), z.maxLength(255)))),
  description: z.optional(z.nullable(multiLineText().check(z.maxLength(4096)))),
  matching: z.optional(z.nullable(MatchingSchema)),
  supervisor: z.optional(z.nullable(AbsolutePathSchema)),
  python: z.optional(InstallationsInputSchema),
  quarto: z.optional(InstallationsInputSchema),
  r: z.optional(InstallationsInputSchema),
  tensorflow: z.optional(InstallationsInputSchema),
  nodejs: z.optional(InstallationsInputSchema),
  volume_mounts: z.optional(VolumeMountsInputSchema),
};

/**
 * Everything an administrator (or the declarative file) decides about an environment, with
 * defaults filled in: what the store writes, and what a sync compares.
 */
export interface EnvironmentDefinition {
  name: string;
  title: string | null;
  description: string | null;
  matching: Matching;
  supervisor: string | null;
  python: Installations;
  r: Installations;
  quarto: Installations;
  tensorflow: Installations;
  nodejs: Installations;
  volume_mounts: VolumeMount[];
}

export const DEFINITION_FIELDS = [
  'name',
  'title',
  'description',
  'matching',
  'supervisor',
  'python',
  'r',
  'quarto',
  'tensorflow',
  'nodejs',
  'volume_mounts',
] as const satisfies ReadonlyArray<keyof EnvironmentDefinition>;

const noInstallations = (): Installations => ({ installations: [] });

/** A create body (or a file entry) with Connect's defaults for what it leaves out. */
export function definitionFrom(input: CreateEnvironmentInput): EnvironmentDefinition {
  return {
    name: input.name,
    title: input.title ?? null,
    description: input.description ?? null,
    matching: input.matching ?? 'any',
    supervisor: input.supervisor ?? null,
    python: input.python ?? noInstallations(),
    r: input.r ?? noInstallations(),
    quarto: input.quarto ?? noInstallations(),
    tensorflow: input.tensorflow ?? noInstallations(),
    nodejs: input.nodejs ?? noInstallations(),
    volume_mounts: input.volume_mounts ?? [],
  };
}

export const CreateEnvironmentInputSchema = z.object({
  name: ImageNameSchema,
  cluster_name: z.optional(z.literal(CLUSTER_NAME, { error: `must be "${CLUSTER_NAME}"` })),
  ...editableEnvironmentFields,
});
export type CreateEnvironmentInput = z.infer<typeof CreateEnvironmentInputSchema>;

/**
 * PUT body: fields present replace, absent fields keep their value. `name` and `cluster_name` are
 * accepted only unchanged, because rsconnect-python sends the whole record back.
 */
export const UpdateEnvironmentInputSchema = z.object({
  name: z.optional(lineOfText()),
  cluster_name: z.optional(lineOfText()),
  ...editableEnvironmentFields,
});
export type UpdateEnvironmentInput = z.infer<typeof UpdateEnvironmentInputSchema>;

const installationCodes: Record<string, ErrorCode> = {
  path: ErrorCode.InvalidInstallationPath,
  version: ErrorCode.InvalidInstallationVersion,
};

const fieldCodes: Record<string, ErrorCode> = {
  title: ErrorCode.InvalidEnvironmentTitle,
  description: ErrorCode.InvalidEnvironmentDescription,
  cluster_name: ErrorCode.InvalidEnvironmentClusterName,
  name: ErrorCode.InvalidEnvironmentName,
  matching: ErrorCode.UnknownEnvironmentMatchingType,
  supervisor: ErrorCode.InvalidEnvironmentSupervisor,
  volume_mounts: ErrorCode.EnvironmentsInvalidVolume,
};

/** Connect's error code for a problem at `path` of an environment body (codes 168–177, 254). */
export function environmentErrorCode(path: IssuePath): ErrorCode {
  const [field, , , leaf] = path;
  if (typeof field !== 'string') return ErrorCode.BadRequest;
  if ((LANGUAGES as readonly string[]).includes(field)) {
    return installationCodes[String(leaf)] ?? ErrorCode.InvalidInstallationVersion;
  }
  return fieldCodes[field] ?? ErrorCode.BadRequest;
}
