import { z } from 'zod';
import { type Result, err, ok } from '../errors.js';
import { formatPath, issueMessage } from '../validation.js';
import { parseLanguageVersion, parseSpecifierSet } from '../versions/version-constraints.js';

/**
 * The part of a bundle's `manifest.json` that environment selection reads
 * (spec/connect-api-reference.md §8, spec/config-and-selection-reference.md §5). Clients write many
 * more keys (`jupyter`, `node`, `users`, …) and the R client writes `null` for absent values, so
 * every object is loose and every optional field also accepts `null`.
 */
const LanguageVersionSchema = z
  .string()
  .trim()
  .superRefine((text, ctx) => {
    if (parseLanguageVersion(text) === null) ctx.addIssue({ code: 'custom', message: `"${text}" is not a version (expected e.g. 4.3.1 or 3.11.9)` });
  });

const ConstraintSchema = z
  .string()
  .trim()
  .superRefine((text, ctx) => {
    const parsed = parseSpecifierSet(text);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `"${text}" is not a version constraint: ${parsed.error}` });
  });

const LanguageRequirementSchema = z.looseObject({ requires: ConstraintSchema.nullish() });

export const ManifestSchema = z.looseObject({
  /** The manifest format version (1). */
  version: z.number().int().nullish(),
  locale: z.string().nullish(),
  /** The R version the bundle was made with; present when the bundle has R content. */
  platform: LanguageVersionSchema.nullish(),
  metadata: z.looseObject({
    appmode: z.string({ error: 'is required (e.g. "python-shiny")' }),
    entrypoint: z.string().nullish(),
    primary_rmd: z.string().nullish(),
    primary_html: z.string().nullish(),
    content_category: z.string().nullish(),
    has_parameters: z.boolean().nullish(),
  }),
  python: z
    .looseObject({
      version: LanguageVersionSchema,
      package_manager: z
        .looseObject({
          name: z.string(),
          version: z.string().nullish(),
          package_file: z.string().nullish(),
        })
        .nullish(),
    })
    .nullish(),
  quarto: z
    .looseObject({
      /** rsconnect-python writes `99.9.9` when `quarto inspect` reports no version. */
      version: LanguageVersionSchema,
      engines: z.array(z.string()).nullish(),
    })
    .nullish(),
  /** R packages by name (renv/packrat descriptions); only their presence matters here. */
  packages: z.record(z.string(), z.unknown()).nullish(),
  files: z.record(z.string(), z.unknown()).nullish(),
  environment: z
    .looseObject({
      /** The container image the bundle asks for (`rsconnect deploy --image`). */
      image: z.string().trim().min(1, 'must not be empty').nullish(),
      /** The guid of one execution environment (Connect ≥ 2025.04). */
      identifier: z.string().trim().min(1, 'must not be empty').nullish(),
      python: LanguageRequirementSchema.nullish(),
      r: LanguageRequirementSchema.nullish(),
      /** false: install no packages, use the image's own (`--disable-env-management-py`/`-r`). */
      environment_management: z
        .looseObject({
          python: z.boolean().nullish(),
          r: z.boolean().nullish(),
        })
        .nullish(),
    })
    .nullish(),
});
export type Manifest = z.infer<typeof ManifestSchema>;

/**
 * Parses a bundle's manifest.json (already JSON-decoded). The error is one message naming every
 * wrong field, for the deploy log and the upload response:
 * `manifest.json is not valid: python.version: "3.x" is not a version (expected e.g. 4.3.1 or 3.11.9).`
 */
export function parseManifest(input: unknown): Result<Manifest, string> {
  const parsed = ManifestSchema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const problems = parsed.error.issues.map((issue) => {
    const field = formatPath(issue.path);
    return field ? `${field}: ${issueMessage(issue, input)}` : issueMessage(issue, input);
  });
  return err(`manifest.json is not valid: ${problems.join('; ')}.`);
}
