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
});
export type CreateContentInput = z.infer<typeof CreateContentInputSchema>;

/** PATCH takes the same fields as create; those present replace. */
export const UpdateContentInputSchema = CreateContentInputSchema;
export type UpdateContentInput = CreateContentInput;

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
  access_type: z.string(),
  locked: z.boolean(),
  locked_message: z.string(),
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
