import { z } from 'zod';
import { ImageNameSchema } from '../environments/environment-schemas.js';
import { MAX_RECORD_ID, lineOfText, multiLineText, parseRecordId } from '../validation.js';

/** Connect's content name rule: letters, digits, `.`, `_` and `-`; unique per owner. */
export const ContentNameSchema = lineOfText({ trim: true })
  .min(3, 'must be at least 3 characters')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9._-]+$/, 'may hold letters, digits, ".", "_" and "-"');

/** The runtime choice fields a publisher sets (seed: "Publisher selection"). */
const runtimeChoiceFields = {
  /** An image for the content: every environment with that image is a candidate. */
  default_image_name: ImageNameSchema.nullable().optional(),
  /** One environment chosen for the content; wins over `default_image_name`. */
  default_environment_guid: z.uuid('must be an environment GUID').nullable().optional(),
  /** false: use the packages baked into the image, install nothing. */
  default_r_environment_management: z.boolean().nullable().optional(),
  default_py_environment_management: z.boolean().nullable().optional(),
};

export const CreateContentInputSchema = z.object({
  name: ContentNameSchema.optional(),
  title: lineOfText({ trim: true }).max(1024).nullable().optional(),
  /** Connect's content always has a description, "" when there is none; null clears it. */
  description: multiLineText()
    .max(4096)
    .nullable()
    .transform((description) => description ?? '')
    .optional(),
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
  title: z.string().nullable(),
  description: z.string(),
  access_type: z.string(),
  locked: z.boolean(),
  locked_message: z.string(),
  created_time: z.string(),
  last_deployed_time: z.string().nullable(),
  bundle_id: z.string().nullable(),
  app_mode: z.string(),
  content_category: z.string(),
  parameterized: z.boolean(),
  cluster_name: z.string().nullable(),
  default_image_name: z.string().nullable(),
  default_environment_guid: z.string().nullable(),
  default_r_environment_management: z.boolean().nullable(),
  default_py_environment_management: z.boolean().nullable(),
  environment_guid: z.string().nullable(),
  image_name: z.string().nullable(),
  r_version: z.string().nullable(),
  py_version: z.string().nullable(),
  quarto_version: z.string().nullable(),
  r_environment_management: z.boolean().nullable(),
  py_environment_management: z.boolean().nullable(),
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
  name: lineOfText().optional(),
  owner_guid: lineOfText().optional(),
});

export const DeployInputSchema = z.object({
  bundle_id: z
    .union([
      z.string().refine((id) => parseRecordId(id) !== null, 'must be a bundle id'),
      z.number().int().positive().max(MAX_RECORD_ID, 'must be a bundle id').transform(String),
    ])
    .nullish(),
  /** false: a draft deploy that builds without activating (Connect ≥ 2025.06). */
  activate: z.boolean().optional(),
});
export type DeployInput = z.infer<typeof DeployInputSchema>;

export const TaskQuerySchema = z.object({
  first: z.coerce.number().int().min(0).default(0),
  /** Seconds to wait for the task to finish (long poll); capped by the server. */
  wait: z.coerce.number().min(0).default(0),
});

export const TaskSchema = z.object({
  id: z.string(),
  output: z.array(z.string()),
  result: z.unknown().nullable(),
  finished: z.boolean(),
  code: z.number().int(),
  error: z.string(),
  last: z.number().int(),
});
export type Task = z.infer<typeof TaskSchema>;

/** `POST /v1/environments/select` (envdesk): which environment would a bundle get, and why. */
export const ExplainSelectionInputSchema = z.object({
  /** A manifest.json document, as a bundle would carry it; without one, the content's latest bundle's. */
  manifest: z.record(z.string(), z.unknown(), { error: 'must be a manifest.json object' }).optional(),
  /** Whose content: its runtime choice and its owner's permissions apply. Without it, the caller's. */
  content_guid: z.uuid('must be a content GUID').optional(),
  /** Try a runtime choice before saving it (the content page's picker). */
  default_environment_guid: z.uuid().nullable().optional(),
  default_image_name: lineOfText().nullable().optional(),
});
export type ExplainSelectionInput = z.infer<typeof ExplainSelectionInputSchema>;

/** One deploy of a content item, with its log (envdesk: the content page's deploy history). */
export const DeploymentSchema = z.object({
  task_id: z.string(),
  created_time: z.string(),
  finished_time: z.string().nullable(),
  finished: z.boolean(),
  code: z.number().int(),
  error: z.string(),
  output: z.array(z.string()),
});
export type Deployment = z.infer<typeof DeploymentSchema>;

/** A bundle in Connect's shape; runtime fields stay null until a deploy builds it. */
export const BundleSchema = z.object({
  id: z.string(),
  content_guid: z.string(),
  created_time: z.string(),
  created_by: z.string().nullable(),
  environment_guid: z.string().nullable(),
  cluster_name: z.string().nullable(),
  image_name: z.string().nullable(),
  r_version: z.string().nullable(),
  r_environment_management: z.boolean().nullable(),
  py_version: z.string().nullable(),
  py_environment_management: z.boolean().nullable(),
  quarto_version: z.string().nullable(),
  active: z.boolean(),
  size: z.number().int(),
  metadata: z.object({
    source: z.string().nullable(),
    source_repo: z.string().nullable(),
    source_branch: z.string().nullable(),
    source_commit: z.string().nullable(),
    archive_md5: z.string(),
    archive_sha1: z.string(),
  }),
  /** envdesk: what the build step handed (would hand) to Kubernetes. */
  build_plan: z.unknown().nullable(),
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
    r: z.string().nullable(),
    python: z.string().nullable(),
    quarto: z.string().nullable(),
    rRequires: z.string().nullable(),
    pythonRequires: z.string().nullable(),
  }),
  selected_guid: z.string().nullable(),
  failure: z.string().nullable(),
  environment_management: z.object({ r: z.boolean(), python: z.boolean() }),
  candidates: z.array(
    z.object({
      guid: z.string(),
      name: z.string(),
      title: z.string().nullable(),
      matching: z.enum(['any', 'exact', 'none']),
      accepted: z.boolean(),
      rank: z.number().int().nullable(),
      reasons: z.array(z.string()),
      /** The same judgement as flags: what the request, matching, permissions and versions each decided. */
      checks: z.object({
        in_request: z.boolean(),
        matching: z.boolean(),
        permitted: z.boolean(),
        /** null when not judged: outside what the bundle or content asked for. */
        compatible: z.boolean().nullable(),
      }),
      /** The reasons about the bundle's versions: why it cannot run there, whoever asks. */
      incompatibilities: z.array(z.string()),
      installations: z.array(SelectionInstallationSchema),
    }),
  ),
  log: z.array(z.string()),
});
export type SelectionExplanation = z.infer<typeof SelectionExplanationSchema>;
