import * as z from 'zod/mini';
import { lineOfText } from '../validation.js';

/**
 * Connect's git settings of a content item (`/v1/content/{guid}/repository`). envdesk keeps them
 * for clients that read them back; it polls no repository, so `last_error` and
 * `last_known_commit` stay null.
 */
export const ContentRepositorySchema = z.object({
  repository: z.string(),
  branch: z.string(),
  directory: z.string(),
  polling: z.boolean(),
  last_error: z.nullable(z.string()),
  last_known_commit: z.nullable(z.string()),
});
export type ContentRepository = z.infer<typeof ContentRepositorySchema>;

const MAX_LENGTH = 4096;
const text = () =>
  lineOfText({ trim: true }).check(z.minLength(1, 'must not be empty'), z.maxLength(MAX_LENGTH, `must be at most ${MAX_LENGTH} characters`));

/** An http(s), ssh or git address of a repository; no control characters, no spaces. */
const RepositoryUrlSchema = text().check(
  z.regex(/^(https?:\/\/|ssh:\/\/|git:\/\/|[A-Za-z0-9._-]+@)[^\s]+$/, 'must be an http(s), ssh or git URL of a repository'),
);
/** A branch name as git allows it: no spaces, `..`, `~^:?*[\`, and not starting with "-". */
const BranchSchema = text().check(
  z.regex(/^(?!-)(?!.*\.\.)[^\s~^:?*[\\]+$/, 'must be a git branch name'),
);
/** A folder inside the repository: relative, without ".." (`.` is its root). */
const DirectorySchema = text().check(
  z.refine((value) => !value.startsWith('/') && !value.split('/').includes('..'), 'must be a folder inside the repository'),
);

/** `PUT`: sets the repository; what is left out takes Connect's defaults (`main`, `.`, no polling). */
export const PutContentRepositoryInputSchema = z.object({
  repository: RepositoryUrlSchema,
  branch: z._default(BranchSchema, 'main'),
  directory: z._default(DirectorySchema, '.'),
  polling: z._default(z.boolean(), false),
});
export type PutContentRepositoryInput = z.infer<typeof PutContentRepositoryInputSchema>;

/** `PATCH`: fields present replace. */
export const PatchContentRepositoryInputSchema = z.object({
  repository: z.optional(RepositoryUrlSchema),
  branch: z.optional(BranchSchema),
  directory: z.optional(DirectorySchema),
  polling: z.optional(z.boolean()),
});
export type PatchContentRepositoryInput = z.infer<typeof PatchContentRepositoryInputSchema>;
