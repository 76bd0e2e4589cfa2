import * as z from 'zod/mini';
import { imageReferenceProblem } from '../environments/image-reference.js';
import { lineOfText } from '../validation.js';
import { FoundInstallationsSchema } from './detect-installations.js';
import { parsePlatform } from './platforms.js';

/** Text that names a file rather than an image in a registry: a skopeo transport prefix, a path's shape, an archive's name. */
export function namesAFile(text: string): boolean {
  return /^(oci|oci-archive|docker-archive):/.test(text) || /^(\/|\.|~)/.test(text) || text.includes('\\') || /\.(tar|tar\.gz|tgz)$/i.test(text);
}

/** `POST /v1/environments/inspect` (envdesk, issue 12): read an image in a registry and report its installations. */
export const InspectImageInputSchema = z.object({
  /** An image reference; never a file on the server (saved images are inspected from the command line). */
  name: lineOfText({ trim: true }).check(
    z.refine((name) => !namesAFile(name), {
      error: 'names a file; the server reads images only from registries (write a reference such as ghcr.io/org/image:tag)',
      abort: true,
    }),
    z.superRefine((name, ctx) => {
      const problem = imageReferenceProblem(name);
      if (problem) ctx.addIssue({ code: 'custom', message: `image name ${problem}` });
    }),
  ),
  /** `os/architecture[/variant]`; linux/amd64 when absent. */
  platform: z.optional(lineOfText({ trim: true }).check(z.refine((text) => parsePlatform(text) !== null, 'is not a platform (expected e.g. linux/arm64)'))),
  /** False: look for installations only in their usual homes, never on the image's PATH. */
  path_lookups: z.optional(z.boolean()),
});
export type InspectImageInput = z.infer<typeof InspectImageInputSchema>;

/** What a finished inspect task carries as its `result`. */
export const ImageInspectionSchema = z.object({
  name: z.string(),
  /** The digest of the manifest read (the chosen platform's). */
  digest: z.string(),
  platform: z.string(),
  /** Every platform the image offers. */
  platforms: z.array(z.string()),
  installations: FoundInstallationsSchema,
  /** Installations found that an environment cannot take as they are, each saying what to do (a version to type in). */
  warnings: z.array(z.string()),
});
export type ImageInspectionResult = z.infer<typeof ImageInspectionSchema>;
