import * as z from 'zod/mini';

/** More than this many variables in one request is refused (a runaway script, not a real content item). */
export const MAX_ENVIRONMENT_VARIABLES = 1_000;
/** A value's size cap in characters: room for a PEM certificate chain or a service-account JSON. */
export const MAX_ENVIRONMENT_VARIABLE_VALUE_LENGTH = 65_536;

/**
 * A POSIX-style name: a shell, Python's os.environ and R's Sys.getenv all read it. Connect's own
 * `_CONNECT_RESTART_TMP_<epoch>` (posit-sdk's restart()) fits; `=`, spaces and NUL, which would
 * break the process environment the content starts with, do not.
 */
export const EnvironmentVariableNameSchema = z.string().check(
  z.minLength(1, 'must not be empty'),
  z.maxLength(255, 'must be at most 255 characters'),
  z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must start with a letter or "_" and hold only letters, digits and "_"'),
);

/** Any text but NUL, which no process environment can carry; line breaks are kept (certificates). */
const EnvironmentVariableValueSchema = z.string().check(
  z.maxLength(MAX_ENVIRONMENT_VARIABLE_VALUE_LENGTH, `must be at most ${MAX_ENVIRONMENT_VARIABLE_VALUE_LENGTH} characters`),
  z.regex(/^[^\0]*$/, 'must not contain NUL characters'),
);

/**
 * Connect's `PATCH`/`PUT /v1/content/{guid}/environment` body: `[{name, value}]`, where a null
 * value removes the name. A name given twice is refused rather than resolved by order.
 */
export const EnvironmentVariablesInputSchema = z.array(
  z.object({ name: EnvironmentVariableNameSchema, value: z.nullable(EnvironmentVariableValueSchema) }),
).check(
  z.maxLength(MAX_ENVIRONMENT_VARIABLES, `must hold at most ${MAX_ENVIRONMENT_VARIABLES} variables`),
  z.superRefine((changes, ctx) => {
    const firstAt = new Map<string, number>();
    changes.forEach(({ name }, index) => {
      const first = firstAt.get(name);
      if (first === undefined) firstAt.set(name, index);
      else ctx.addIssue({ code: 'custom', message: `repeats the name given at [${first}].name`, path: [index, 'name'], input: name });
    });
  }),
);
export type EnvironmentVariablesInput = z.infer<typeof EnvironmentVariablesInputSchema>;
