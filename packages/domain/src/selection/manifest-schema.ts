import * as z from 'zod/mini';
import { type Result, err, ok } from '../errors.js';
import { formatPath, issueMessage, safeParseHostile } from '../validation.js';
import { parseLanguageVersion, parseSpecifierSet } from '../versions/version-constraints.js';

/**
 * The part of a bundle's `manifest.json` that environment selection reads
 * (spec/connect-api-reference.md §8, spec/config-and-selection-reference.md §5). Clients write many
 * more keys (`jupyter`, `node`, `users`, …) and the R client writes `null` for absent values, so
 * every object is loose and every optional field also accepts `null`.
 */
const LanguageVersionSchema = z.string().check(
  z.trim(),
  z.superRefine((text, ctx) => {
    if (parseLanguageVersion(text) === null) ctx.addIssue({ code: 'custom', message: `"${text}" is not a version (expected e.g. 4.3.1 or 3.11.9)` });
  }),
);

const ConstraintSchema = z.string().check(
  z.trim(),
  z.superRefine((text, ctx) => {
    const parsed = parseSpecifierSet(text);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `"${text}" is not a version constraint: ${parsed.error}` });
  }),
);

const LanguageRequirementSchema = z.looseObject({ requires: z.nullish(ConstraintSchema) });

export const ManifestSchema = z.looseObject({
  /** The manifest format version (1). */
  version: z.nullish(z.number().check(z.int())),
  locale: z.nullish(z.string()),
  /** The R version the bundle was made with; present when the bundle has R content. */
  platform: z.nullish(LanguageVersionSchema),
  metadata: z.looseObject({
    appmode: z.string({ error: 'is required (e.g. "python-shiny")' }),
    entrypoint: z.nullish(z.string()),
    primary_rmd: z.nullish(z.string()),
    primary_html: z.nullish(z.string()),
    content_category: z.nullish(z.string()),
    has_parameters: z.nullish(z.boolean()),
  }),
  python: z.nullish(
    z.looseObject({
      version: LanguageVersionSchema,
      package_manager: z.nullish(
        z.looseObject({
          name: z.string(),
          version: z.nullish(z.string()),
          package_file: z.nullish(z.string()),
        }),
      ),
    }),
  ),
  quarto: z.nullish(
    z.looseObject({
      /** rsconnect-python writes `99.9.9` when `quarto inspect` reports no version. */
      version: LanguageVersionSchema,
      engines: z.nullish(z.array(z.string())),
    }),
  ),
  /** R packages by name (renv/packrat descriptions); only their presence matters here. */
  packages: z.nullish(z.record(z.string(), z.unknown())),
  files: z.nullish(z.record(z.string(), z.unknown())),
  environment: z.nullish(
    z.looseObject({
      /** The container image the bundle asks for (`rsconnect deploy --image`). */
      image: z.nullish(z.string().check(z.trim(), z.minLength(1, 'must not be empty'))),
      /** The guid of one execution environment (Connect ≥ 2025.04). */
      identifier: z.nullish(z.string().check(z.trim(), z.minLength(1, 'must not be empty'))),
      python: z.nullish(LanguageRequirementSchema),
      r: z.nullish(LanguageRequirementSchema),
      /** false: install no packages, use the image's own (`--disable-env-management-py`/`-r`). */
      environment_management: z.nullish(
        z.looseObject({
          python: z.nullish(z.boolean()),
          r: z.nullish(z.boolean()),
        }),
      ),
    }),
  ),
});
export type Manifest = z.infer<typeof ManifestSchema>;

/**
 * Parses a bundle's manifest.json (already JSON-decoded). The error is one message naming every
 * wrong field, for the deploy log and the upload response:
 * `manifest.json is not valid: python.version: "3.x" is not a version (expected e.g. 4.3.1 or 3.11.9).`
 */
export function parseManifest(input: unknown): Result<Manifest, string> {
  const parsed = safeParseHostile(ManifestSchema, input);
  if (parsed.success) return ok(parsed.data);
  const problems = parsed.error.issues.map((issue) => {
    const field = formatPath(issue.path);
    return field ? `${field}: ${issueMessage(issue, input)}` : issueMessage(issue, input);
  });
  return err(`manifest.json is not valid: ${problems.join('; ')}.`);
}
