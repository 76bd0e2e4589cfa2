import * as z from 'zod/mini';
import { ImageNameSchema } from '../environments/environment-schemas.js';
import { MAX_RECORD_ID, lineOfText, multiLineText, parseRecordId } from '../validation.js';

/** Connect's content name rule: letters, digits, `.`, `_` and `-`; unique per owner. */
export const ContentNameSchema = lineOfText({ trim: true }).check(
  z.minLength(3, 'must be at least 3 characters'),
  z.maxLength(64, 'must be at most 64 characters'),
  z.regex(/^[A-Za-z0-9._-]+$/, 'may hold letters, digits, ".", "_" and "-"'),
);

/** The runtime choice fields a publisher sets (seed: "Publisher selection"). */
const runtimeChoiceFields = {
  /** An image for the content: every environment with that image is a candidate. */
  default_image_name: z.optional(z.nullable(ImageNameSchema)),
  /** One environment chosen for the content; wins over `default_image_name`. */
  default_environment_guid: z.optional(z.nullable(z.uuid('must be an environment GUID'))),
  /** false: use the packages baked into the image, install nothing. */
  default_r_environment_management: z.optional(z.nullable(z.boolean())),
  default_py_environment_management: z.optional(z.nullable(z.boolean())),
};

/** Connect's int32 fields: seconds and counts. */
const INT32_MAX = 2_147_483_647;
const seconds = () => z.optional(z.nullable(z.number().check(z.int('must be a whole number of seconds'), z.gte(0), z.lte(INT32_MAX))));
const count = (min: number) => z.optional(z.nullable(z.number().check(z.int('must be a whole number'), z.gte(min), z.lte(INT32_MAX))));
const bytes = () => z.optional(z.nullable(z.number().check(z.int('must be a whole number of bytes'), z.gte(0))));
const cpuUnits = () => z.optional(z.nullable(z.number().check(z.gte(0), z.lte(1_000_000))));
/** Booleans Connect always shows as true/false: null sent means "back to the default", false. */
const flagDefaultingFalse = () => z.optional(z.pipe(z.nullable(z.boolean()), z.transform((flag) => flag ?? false)));

/** Who may view the content: anyone, any signed-in account, or the listed users and groups. */
export const AccessTypeSchema = z.enum(['all', 'logged_in', 'acl']);
export type AccessType = z.infer<typeof AccessTypeSchema>;

/**
 * Connect's content settings beyond the runtime choice: access, locking, the scheduler's process
 * and timeout settings, resource requests and limits, and how processes run. envdesk stores and
 * returns them as sent; null means "the server's default" (Connect: `Scheduler.*`, `Applications.*`).
 */
const contentSettingsFields = {
  access_type: z.optional(AccessTypeSchema),
  connection_timeout: seconds(),
  read_timeout: seconds(),
  init_timeout: seconds(),
  idle_timeout: seconds(),
  max_processes: count(1),
  min_processes: count(0),
  max_conns_per_process: count(1),
  /** Connect's Scheduler.LoadFactor is a fraction: 0 spawns eagerly, 1 only when processes are full. */
  load_factor: z.optional(z.nullable(z.number().check(z.gte(0), z.lte(1)))),
  memory_request: bytes(),
  memory_limit: bytes(),
  cpu_request: cpuUnits(),
  cpu_limit: cpuUnits(),
  amd_gpu_limit: count(0),
  nvidia_gpu_limit: count(0),
  /** A Kubernetes service account name: a DNS subdomain (lower case, digits, "-", "."). */
  service_account_name: z.optional(
    z.nullable(
      z.string().check(
        z.maxLength(253),
        z.regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'must be a Kubernetes service account name'),
      ),
    ),
  ),
  /** A Unix account name. */
  run_as: z.optional(z.nullable(z.string().check(z.maxLength(32), z.regex(/^[a-z_][a-z0-9_.-]*\$?$/i, 'must be a Unix user name')))),
  run_as_current_user: flagDefaultingFalse(),
  metrics_collection_enabled: z.optional(z.nullable(z.boolean())),
  notify_on_share: z.optional(z.nullable(z.boolean())),
  otel_enabled: flagDefaultingFalse(),
};

export const CreateContentInputSchema = z.object({
  name: z.optional(ContentNameSchema),
  title: z.optional(z.nullable(lineOfText({ trim: true }).check(z.maxLength(1024)))),
  /** Connect's content always has a description, "" when there is none; null clears it. */
  description: z.optional(
    z.pipe(
      z.nullable(multiLineText().check(z.maxLength(4096))),
      z.transform((description) => description ?? ''),
    ),
  ),
  ...runtimeChoiceFields,
  ...contentSettingsFields,
});
export type CreateContentInput = z.infer<typeof CreateContentInputSchema>;

/** PATCH takes the create fields and the lock; those present replace. */
export const UpdateContentInputSchema = z.extend(CreateContentInputSchema, {
  locked: flagDefaultingFalse(),
  /** Shown (as Markdown) in place of the content while it is locked. */
  locked_message: z.optional(z.pipe(z.nullable(multiLineText().check(z.maxLength(4096))), z.transform((message) => message ?? ''))),
  /** Connect lets a publisher mark content as an MCP server, or clear the category; null clears. */
  content_category: z.optional(z.pipe(z.nullable(z.enum(['', 'mcp'])), z.transform((category) => category ?? ''))),
});
export type UpdateContentInput = z.infer<typeof UpdateContentInputSchema>;

/** The settings as content stores and shows them: every key present. */
export const ContentSettingsSchema = z.object({
  access_type: AccessTypeSchema,
  locked: z.boolean(),
  locked_message: z.string(),
  connection_timeout: z.nullable(z.number()),
  read_timeout: z.nullable(z.number()),
  init_timeout: z.nullable(z.number()),
  idle_timeout: z.nullable(z.number()),
  max_processes: z.nullable(z.number()),
  min_processes: z.nullable(z.number()),
  max_conns_per_process: z.nullable(z.number()),
  load_factor: z.nullable(z.number()),
  memory_request: z.nullable(z.number()),
  memory_limit: z.nullable(z.number()),
  cpu_request: z.nullable(z.number()),
  cpu_limit: z.nullable(z.number()),
  amd_gpu_limit: z.nullable(z.number()),
  nvidia_gpu_limit: z.nullable(z.number()),
  service_account_name: z.nullable(z.string()),
  run_as: z.nullable(z.string()),
  run_as_current_user: z.boolean(),
  metrics_collection_enabled: z.nullable(z.boolean()),
  notify_on_share: z.nullable(z.boolean()),
  otel_enabled: z.boolean(),
});
export type ContentSettings = z.infer<typeof ContentSettingsSchema>;

/** The settings of content that never set them, as Connect shows them. */
export const defaultContentSettings: Readonly<ContentSettings> = {
  access_type: 'acl',
  locked: false,
  locked_message: '',
  connection_timeout: null,
  read_timeout: null,
  init_timeout: null,
  idle_timeout: null,
  max_processes: null,
  min_processes: null,
  max_conns_per_process: null,
  load_factor: null,
  memory_request: null,
  memory_limit: null,
  cpu_request: null,
  cpu_limit: null,
  amd_gpu_limit: null,
  nvidia_gpu_limit: null,
  service_account_name: null,
  run_as: null,
  run_as_current_user: false,
  metrics_collection_enabled: null,
  notify_on_share: null,
  otel_enabled: false,
};

/** The system identity content runs as: settings only administrators may change (Connect's rule). */
const IDENTITY_SETTINGS = ['run_as', 'run_as_current_user', 'service_account_name'] as const satisfies ReadonlyArray<keyof ContentSettings>;

/**
 * The first identity setting `change` would give a value other than `current`'s, if any. Sending
 * back the value already stored changes nothing, so a client that echoes a whole record may.
 */
export function changedIdentitySetting(current: Readonly<ContentSettings>, change: Partial<ContentSettings>): (typeof IDENTITY_SETTINGS)[number] | null {
  return IDENTITY_SETTINGS.find((key) => change[key] !== undefined && (change[key] ?? defaultContentSettings[key]) !== current[key]) ?? null;
}

/** Pairs whose first may not exceed the second, once a change is applied to what is stored. */
const ORDERED_SETTINGS = [
  ['min_processes', 'max_processes'],
  ['memory_request', 'memory_limit'],
  ['cpu_request', 'cpu_limit'],
] as const satisfies ReadonlyArray<readonly [keyof ContentSettings, keyof ContentSettings]>;

/**
 * The first setting that would exceed its limit once `change` is applied to `current` (the field to
 * name in the error, and why), or null when the result is consistent.
 */
export function settingsConflict(
  current: ContentSettings,
  change: Partial<ContentSettings>,
): { field: keyof ContentSettings; message: string } | null {
  for (const [low, high] of ORDERED_SETTINGS) {
    const lowValue = change[low] !== undefined ? change[low] : current[low];
    const highValue = change[high] !== undefined ? change[high] : current[high];
    if (typeof lowValue === 'number' && typeof highValue === 'number' && lowValue > highValue) {
      const field = change[low] !== undefined ? low : high;
      return { field, message: `${low} (${lowValue}) may not exceed ${high} (${highValue}).` };
    }
  }
  return null;
}

export const ContentOwnerSchema = z.object({
  guid: z.uuid(),
  username: z.string(),
  first_name: z.string(),
  last_name: z.string(),
});

/** The content record in Connect's shape: every key present, runtime fields null for those without rights. */
export const ContentSchema = z.object({
  guid: z.uuid(),
  id: z.string(),
  name: z.string(),
  title: z.nullable(z.string()),
  description: z.string(),
  ...ContentSettingsSchema.shape,
  created_time: z.string(),
  last_deployed_time: z.nullable(z.string()),
  bundle_id: z.nullable(z.string()),
  app_mode: z.string(),
  content_category: z.string(),
  parameterized: z.boolean(),
  cluster_name: z.nullable(z.string()),
  default_image_name: z.nullable(z.string()),
  default_environment_guid: z.nullable(z.string()),
  default_r_environment_management: z.nullable(z.boolean()),
  default_py_environment_management: z.nullable(z.boolean()),
  environment_guid: z.nullable(z.string()),
  image_name: z.nullable(z.string()),
  r_version: z.nullable(z.string()),
  py_version: z.nullable(z.string()),
  quarto_version: z.nullable(z.string()),
  r_environment_management: z.nullable(z.boolean()),
  py_environment_management: z.nullable(z.boolean()),
  /** envdesk: the runtime choice changed since the last build, so the next deploy rebuilds. */
  needs_rebuild: z.boolean(),
  owner_guid: z.uuid(),
  owner: ContentOwnerSchema,
  content_url: z.string(),
  dashboard_url: z.string(),
  app_role: z.enum(['owner', 'editor', 'viewer', 'none']),
});
export type Content = z.infer<typeof ContentSchema>;

export const ListContentQuerySchema = z.object({
  name: z.optional(lineOfText()),
  owner_guid: z.optional(lineOfText()),
});

export const DeployInputSchema = z.object({
  bundle_id: z.nullish(
    z.union([
      z.string().check(z.refine((id) => parseRecordId(id) !== null, 'must be a bundle id')),
      z.pipe(z.number().check(z.int(), z.positive(), z.lte(MAX_RECORD_ID, 'must be a bundle id')), z.transform(String)),
    ]),
  ),
  /** false: a draft deploy that builds without activating (Connect ≥ 2025.06). */
  activate: z.optional(z.boolean()),
});
export type DeployInput = z.infer<typeof DeployInputSchema>;

export const TaskQuerySchema = z.object({
  first: z._default(z.coerce.number().check(z.int(), z.gte(0)), 0),
  /** Seconds to wait for the task to finish (long poll); capped by the server. */
  wait: z._default(z.coerce.number().check(z.gte(0)), 0),
  /**
   * envdesk: `output` answers as soon as there are lines after `first` (or the task finished),
   * so a log follows its task line by line; `finished` (Connect's behaviour) waits for the end.
   */
  until: z.optional(z.enum(['finished', 'output'])),
});

export const TaskSchema = z.object({
  id: z.string(),
  output: z.array(z.string()),
  result: z.nullable(z.unknown()),
  finished: z.boolean(),
  code: z.number().check(z.int()),
  error: z.string(),
  last: z.number().check(z.int()),
});
export type Task = z.infer<typeof TaskSchema>;

/** `POST /v1/environments/select` (envdesk): which environment would a bundle get, and why. */
export const ExplainSelectionInputSchema = z.object({
  /** A manifest.json document, as a bundle would carry it; without one, the content's latest bundle's. */
  manifest: z.optional(z.record(z.string(), z.unknown(), { error: 'must be a manifest.json object' })),
  /** Whose content: its runtime choice and its owner's permissions apply. Without it, the caller's. */
  content_guid: z.optional(z.uuid('must be a content GUID')),
  /** Try a runtime choice before saving it (the content page's picker). */
  default_environment_guid: z.optional(z.nullable(z.uuid())),
  default_image_name: z.optional(z.nullable(lineOfText())),
});
export type ExplainSelectionInput = z.infer<typeof ExplainSelectionInputSchema>;

/** One deploy of a content item, with its log (envdesk: the content page's deploy history). */
export const DeploymentSchema = z.object({
  task_id: z.string(),
  created_time: z.string(),
  finished_time: z.nullable(z.string()),
  finished: z.boolean(),
  code: z.number().check(z.int()),
  error: z.string(),
  output: z.array(z.string()),
});
export type Deployment = z.infer<typeof DeploymentSchema>;

/** A bundle in Connect's shape; runtime fields stay null until a deploy builds it. */
export const BundleManifestSummarySchema = z.object({
  app_mode: z.string(),
  /** The version the bundle was made with (`platform`, `python.version`, `quarto.version`). */
  r: z.nullable(z.string()),
  python: z.nullable(z.string()),
  quarto: z.nullable(z.string()),
  /** The manifest's constraints (`environment.r.requires`, `environment.python.requires`). */
  r_requires: z.nullable(z.string()),
  python_requires: z.nullable(z.string()),
});
export type BundleManifestSummary = z.infer<typeof BundleManifestSummarySchema>;

export const BundleSchema = z.object({
  id: z.string(),
  content_guid: z.string(),
  created_time: z.string(),
  created_by: z.nullable(z.string()),
  environment_guid: z.nullable(z.string()),
  cluster_name: z.nullable(z.string()),
  image_name: z.nullable(z.string()),
  r_version: z.nullable(z.string()),
  r_environment_management: z.nullable(z.boolean()),
  py_version: z.nullable(z.string()),
  py_environment_management: z.nullable(z.boolean()),
  quarto_version: z.nullable(z.string()),
  active: z.boolean(),
  size: z.number().check(z.int()),
  metadata: z.object({
    source: z.nullable(z.string()),
    source_repo: z.nullable(z.string()),
    source_branch: z.nullable(z.string()),
    source_commit: z.nullable(z.string()),
    archive_md5: z.string(),
    archive_sha1: z.string(),
  }),
  /** envdesk: what the build step handed (would hand) to Kubernetes. */
  build_plan: z.nullable(z.unknown()),
  /**
   * envdesk: what the bundle's manifest says, known from its upload, before any deploy: its app mode
   * and the versions it was made with or asks for. Null when the manifest no longer passes today's rules.
   */
  manifest_summary: z.nullable(BundleManifestSummarySchema),
});
export type Bundle = z.infer<typeof BundleSchema>;

/** `POST /v1/content/{guid}/deploy` answers 202 with the task to poll. */
export const DeployAnswerSchema = z.object({ task_id: z.string() });

const SelectionInstallationSchema = z.object({ language: z.enum(['r', 'python', 'quarto']), version: z.string(), path: z.string() });

/** `POST /v1/environments/select` (envdesk): every environment ranked or rejected, with reasons. */
export const SelectionExplanationSchema = z.object({
  request: z.object({
    kind: z.enum(['manifest-image', 'content-environment', 'content-image', 'automatic']),
    description: z.string(),
  }),
  bundle: z.object({
    r: z.nullable(z.string()),
    python: z.nullable(z.string()),
    quarto: z.nullable(z.string()),
    rRequires: z.nullable(z.string()),
    pythonRequires: z.nullable(z.string()),
  }),
  selected_guid: z.nullable(z.string()),
  failure: z.nullable(z.string()),
  environment_management: z.object({ r: z.boolean(), python: z.boolean() }),
  candidates: z.array(
    z.object({
      guid: z.string(),
      name: z.string(),
      title: z.nullable(z.string()),
      matching: z.enum(['any', 'exact', 'none']),
      accepted: z.boolean(),
      rank: z.nullable(z.number().check(z.int())),
      reasons: z.array(z.string()),
      /** The same judgement as flags: what the request, matching, permissions and versions each decided. */
      checks: z.object({
        in_request: z.boolean(),
        matching: z.boolean(),
        permitted: z.boolean(),
        /** null when not judged: outside what the bundle or content asked for. */
        compatible: z.nullable(z.boolean()),
      }),
      /** The reasons about the bundle's versions: why it cannot run there, whoever asks. */
      incompatibilities: z.array(z.string()),
      installations: z.array(SelectionInstallationSchema),
    }),
  ),
  log: z.array(z.string()),
});
export type SelectionExplanation = z.infer<typeof SelectionExplanationSchema>;
