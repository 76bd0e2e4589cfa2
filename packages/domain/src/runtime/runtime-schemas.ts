import * as z from 'zod/mini';
import { lineOfText, parseRecordId } from '../validation.js';

/**
 * Runtime caches, jobs, packages and variants: what a build leaves behind. envdesk starts no
 * container, so these are what each build would use and install, recorded when it is planned.
 */

/** Connect writes `R` / `Python`; clients send either case (posit-sdk's fixture uses `python`). */
export const RUNTIME_CACHE_LANGUAGES = ['R', 'Python'] as const;
export type RuntimeCacheLanguage = (typeof RUNTIME_CACHE_LANGUAGES)[number];

/** The package cache builds share: one per image, language and version. */
export const RuntimeCacheSchema = z.object({
  language: z.enum(RUNTIME_CACHE_LANGUAGES),
  version: z.string(),
  image_name: z.string(),
});
export type RuntimeCache = z.infer<typeof RuntimeCacheSchema>;

export const RuntimeCachesSchema = z.object({ caches: z.array(RuntimeCacheSchema) });

const languageOf = (text: string): RuntimeCacheLanguage | undefined => RUNTIME_CACHE_LANGUAGES.find((language) => language.toLowerCase() === text.toLowerCase());

const requiredText = () => lineOfText({ trim: true }).check(z.minLength(1, 'must not be empty'), z.maxLength(255));

/** `DELETE /v1/system/caches/runtime`: which cache, and whether only to say what would go. */
export const DeleteRuntimeCacheInputSchema = z.object({
  language: z.pipe(
    lineOfText({ trim: true }).check(z.refine((text) => languageOf(text) !== undefined, 'must be R or Python')),
    z.transform((text) => languageOf(text)!),
  ),
  version: requiredText(),
  image_name: requiredText(),
  dry_run: z._default(z.boolean(), false),
});
export type DeleteRuntimeCacheInput = z.infer<typeof DeleteRuntimeCacheInputSchema>;

/** The answer: the cache named, and the task deleting it (null for a dry run). */
export const DeleteRuntimeCacheAnswerSchema = z.extend(RuntimeCacheSchema, { task_id: z.nullable(z.string()) });
export type DeleteRuntimeCacheAnswer = z.infer<typeof DeleteRuntimeCacheAnswerSchema>;

/** Connect's job tags that envdesk's builds and renders use. */
export const JOB_TAGS = ['unknown', 'build_report', 'build_site', 'build_jupyter', 'packrat_restore', 'python_restore'] as const;
export type JobTag = (typeof JOB_TAGS)[number];

/** A job: each deploy's build and each render (Connect's Job; a process envdesk plans but does not start). */
export const JobSchema = z.object({
  id: z.string(),
  ppid: z.nullable(z.string()),
  pid: z.string(),
  key: z.string(),
  remote_id: z.nullable(z.string()),
  app_id: z.string(),
  content_id: z.string(),
  content_guid: z.string(),
  variant_id: z.string(),
  variant_key: z.string(),
  bundle_id: z.nullable(z.string()),
  start_time: z.string(),
  end_time: z.nullable(z.string()),
  last_heartbeat_time: z.nullable(z.string()),
  queued_time: z.nullable(z.string()),
  queue_name: z.nullable(z.string()),
  tag: z.enum(JOB_TAGS),
  exit_code: z.nullable(z.number()),
  error: z.nullable(z.string()),
  /** 0 active, 2 finalized. */
  status: z.number(),
  hostname: z.nullable(z.string()),
  cluster: z.nullable(z.string()),
  image: z.nullable(z.string()),
  run_as: z.nullable(z.string()),
});
export type Job = z.infer<typeof JobSchema>;

export const PACKAGE_LANGUAGES = ['python', 'r'] as const;

/** A package a content item's active bundle installs. */
export const ContentPackageSchema = z.object({
  language: z.enum(PACKAGE_LANGUAGES),
  language_version: z.nullable(z.string()),
  name: z.string(),
  version: z.string(),
  hash: z.nullable(z.string()),
});
export type ContentPackage = z.infer<typeof ContentPackageSchema>;

/** The same across content, with the bundle and content it belongs to. */
export const PackageSchema = z.extend(ContentPackageSchema, {
  bundle_id: z.string(),
  app_id: z.string(),
  app_guid: z.string(),
  content_id: z.string(),
  content_guid: z.string(),
});
export type Package = z.infer<typeof PackageSchema>;

const filterText = () => z.optional(lineOfText().check(z.maxLength(255)));
const recordIdText = () => z.optional(z.string().check(z.refine((id) => parseRecordId(id) !== null, 'must be a record id')));

/** Filters both package lists take (query parameters). */
export const ContentPackagesQuerySchema = z.object({
  language: z.optional(
    z.pipe(
      lineOfText().check(z.refine((text) => (PACKAGE_LANGUAGES as readonly string[]).includes(text.toLowerCase()), 'must be python or r')),
      z.transform((text) => text.toLowerCase()),
    ),
  ),
  name: filterText(),
  version: filterText(),
  hash: filterText(),
});
export type ContentPackagesQuery = z.infer<typeof ContentPackagesQuerySchema>;

/** Largest page `GET /v1/packages` answers; posit-sdk asks for a million and pages on `total`. */
export const MAX_PACKAGES_PAGE_SIZE = 1000;

export const PackagesQuerySchema = z.extend(ContentPackagesQuerySchema, {
  bundle_id: recordIdText(),
  app_id: recordIdText(),
  content_id: recordIdText(),
  app_guid: filterText(),
  content_guid: filterText(),
  page_number: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(1_000_000)), 1),
  /** Larger pages are cut to MAX_PACKAGES_PAGE_SIZE rather than refused: clients page on `total`. */
  page_size: z._default(
    z.pipe(
      z.coerce.number().check(z.int(), z.gte(1)),
      z.transform((size) => Math.min(size, MAX_PACKAGES_PAGE_SIZE)),
    ),
    20,
  ),
});
export type PackagesQuery = z.infer<typeof PackagesQuerySchema>;

export const PackagesPageSchema = z.object({
  results: z.array(PackageSchema),
  current_page: z.number(),
  total: z.number(),
});
export type PackagesPage = z.infer<typeof PackagesPageSchema>;

/** A content item's one variant (Connect's legacy `/applications/{guid}/variants`), what render runs. */
export const VariantSchema = z.object({
  id: z.number(),
  app_id: z.number(),
  key: z.string(),
  bundle_id: z.nullable(z.number()),
  is_default: z.boolean(),
  name: z.string(),
  visibility: z.string(),
  owner_id: z.number(),
  created_time: z.string(),
  rendering_id: z.nullable(z.number()),
  render_time: z.nullable(z.string()),
});
export type Variant = z.infer<typeof VariantSchema>;
