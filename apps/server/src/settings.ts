import { type LocalLanguage, formatPath, parseLocalInstallations } from '@envdesk/domain';
import * as z from 'zod/mini';
import { DEFAULT_SIGN_IN_LIMITS } from './auth/sign-in-throttle.js';
import { parseSecretKey } from './content/secret-key.js';
import { DEFAULT_TRUST_PROXY, parseTrustProxy } from './http/trust-proxy.js';
import { parseInsecureRegistries } from './inspection/registry/reference.js';
import { DEFAULT_ENVIRONMENTS_MAX_BYTES } from './sync/environments-file-limits.js';

const optionalText = z.pipe(
  z.optional(z.string()),
  z.transform((value) => (value && value.trim() !== '' ? value : undefined)),
);

const flag = z.pipe(
  z.optional(z.string()),
  z.transform((value) => ['1', 'true', 'yes', 'on'].includes((value ?? '').toLowerCase())),
);

/** ENVDESK_LOCAL_PYTHON / _R / _QUARTO: the host's own installations (README § Local execution). */
const localInstallations = (language: LocalLanguage) =>
  z.pipe(
    optionalText,
    z.transform((value, ctx) => {
      const parsed = parseLocalInstallations(language, value ?? '');
      if (parsed.ok) return parsed.value;
      ctx.issues.push({ code: 'custom', message: parsed.error, input: value });
      return z.NEVER;
    }),
  );

export const DEFAULT_TASK_STALE_MS = 30_000;

/** 4 GiB of compressed layers: larger than any image an environment should be. */
export const DEFAULT_INSPECT_MAX_BYTES = 4 * 1024 * 1024 * 1024;
export const DEFAULT_INSPECT_TIMEOUT_SECONDS = 900;

/** Every setting comes from an environment variable; README § Settings lists them. */
const SettingsVariablesSchema = z.object({
  PORT: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(65535)), 3939),
  HOST: z._default(z.string().check(z.minLength(1)), '127.0.0.1'),
  ENVDESK_DATA_DIR: z._default(z.string().check(z.minLength(1)), './data'),
  DATABASE_URL: optionalText,
  ENVDESK_BOOTSTRAP_USERNAME: optionalText,
  ENVDESK_BOOTSTRAP_PASSWORD: optionalText,
  ENVDESK_BOOTSTRAP_API_KEY: optionalText,
  ENVDESK_DEMO: flag,
  LOG_LEVEL: z._default(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
  ENVDESK_WEB_DIR: optionalText,
  ENVDESK_ENVIRONMENTS_FILE: optionalText,
  ENVDESK_ENVIRONMENTS_POLL_MS: z._default(z.coerce.number().check(z.int(), z.gte(100), z.lte(3_600_000)), 2000),
  ENVDESK_ENVIRONMENTS_SETTLE_MS: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(60_000)), 150),
  ENVDESK_ENVIRONMENTS_REMOVE_GRACE_MS: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(86_400_000)), 10_000),
  ENVDESK_ENVIRONMENTS_MAX_BYTES: z._default(z.coerce.number().check(z.int(), z.gte(1)), DEFAULT_ENVIRONMENTS_MAX_BYTES),
  ENVDESK_TOMBSTONE_DAYS: z._default(z.coerce.number().check(z.gte(0), z.lte(36_500)), 30),
  ENVDESK_CLUSTER_DEFINITIONS: optionalText,
  ENVDESK_R_VERSION_MATCHING: z._default(z.enum(['nearest', 'major-minor', 'exact']), 'nearest'),
  ENVDESK_PYTHON_VERSION_MATCHING: z._default(z.enum(['major-minor', 'exact']), 'major-minor'),
  ENVDESK_QUARTO_VERSION_MATCHING: z._default(z.enum(['nearest', 'major-minor', 'exact']), 'nearest'),
  ENVDESK_BUNDLE_MAX_BYTES: z._default(z.coerce.number().check(z.int(), z.gte(1024)), 200 * 1024 * 1024),
  ENVDESK_INSPECT_MAX_BYTES: z._default(z.coerce.number().check(z.int(), z.gte(1024)), DEFAULT_INSPECT_MAX_BYTES),
  ENVDESK_INSPECT_TIMEOUT_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(86_400)), DEFAULT_INSPECT_TIMEOUT_SECONDS),
  ENVDESK_TASK_STALE_MS: z._default(z.coerce.number().check(z.int(), z.gte(100), z.lte(3_600_000)), DEFAULT_TASK_STALE_MS),
  ENVDESK_SHUTDOWN_GRACE_MS: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(3_600_000)), 10_000),
  ENVDESK_SIGN_IN_WINDOW_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(86_400)), DEFAULT_SIGN_IN_LIMITS.windowMs / 1000),
  ENVDESK_SIGN_IN_MAX_FAILURES_PER_USER: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(10_000)), DEFAULT_SIGN_IN_LIMITS.maxFailuresPerUser),
  ENVDESK_SIGN_IN_MAX_FAILURES_PER_ADDRESS: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(10_000)), DEFAULT_SIGN_IN_LIMITS.maxFailuresPerAddress),
  ENVDESK_TRUST_PROXY: z.pipe(
    optionalText,
    z.transform((value, ctx) => {
      try {
        return parseTrustProxy(value ?? DEFAULT_TRUST_PROXY);
      } catch (error) {
        ctx.issues.push({ code: 'custom', message: `not a trust proxy setting: ${error instanceof Error ? error.message : String(error)}`, input: value });
        return z.NEVER;
      }
    }),
  ),
  ENVDESK_SECRET_KEY: z.pipe(
    optionalText,
    z.transform((value, ctx) => {
      if (value === undefined) return undefined;
      const parsed = parseSecretKey(value);
      if ('key' in parsed) return parsed.key;
      // The issue names the variable, never its text: it is a secret even when malformed.
      ctx.issues.push({ code: 'custom', message: parsed.problem, input: '' });
      return z.NEVER;
    }),
  ),
  ENVDESK_LOCAL_PYTHON: localInstallations('python'),
  ENVDESK_LOCAL_R: localInstallations('r'),
  ENVDESK_LOCAL_QUARTO: localInstallations('quarto'),
  ENVDESK_REGISTRY_AUTH_FILE: optionalText,
  ENVDESK_INSECURE_REGISTRIES: z.pipe(
    optionalText,
    z.transform((value, ctx) => {
      const parsed = parseInsecureRegistries(value ?? '');
      if (Array.isArray(parsed)) return parsed;
      ctx.issues.push({ code: 'custom', message: parsed.problem, input: value });
      return z.NEVER;
    }),
  ),
  ENVDESK_ENVIRONMENTS_WATCH: z.pipe(
    z.optional(z.string()),
    z.transform((value) => !['0', 'false', 'no', 'off'].includes((value ?? '').toLowerCase())),
  ),
});

/** The environment variables the server reads: deployment files may set these and no others. */
export const SETTING_NAMES: readonly string[] = Object.keys(SettingsVariablesSchema.shape);

const SettingsSchema = z.pipe(
  SettingsVariablesSchema,
  z.transform((env) => ({
    port: env.PORT,
    host: env.HOST,
    dataDir: env.ENVDESK_DATA_DIR,
    databaseUrl: env.DATABASE_URL,
    bootstrap: {
      username: env.ENVDESK_BOOTSTRAP_USERNAME,
      password: env.ENVDESK_BOOTSTRAP_PASSWORD,
      apiKey: env.ENVDESK_BOOTSTRAP_API_KEY,
    },
    demo: env.ENVDESK_DEMO,
    logLevel: env.LOG_LEVEL,
    webDir: env.ENVDESK_WEB_DIR,
    environmentsFile: env.ENVDESK_ENVIRONMENTS_FILE,
    environmentsPollMs: env.ENVDESK_ENVIRONMENTS_POLL_MS,
    environmentsSettleMs: env.ENVDESK_ENVIRONMENTS_SETTLE_MS,
    environmentsRemoveGraceMs: env.ENVDESK_ENVIRONMENTS_REMOVE_GRACE_MS,
    /** A larger environments file is a sync error, refused before it is read. */
    environmentsMaxBytes: env.ENVDESK_ENVIRONMENTS_MAX_BYTES,
    tombstoneDays: env.ENVDESK_TOMBSTONE_DAYS,
    clusterDefinitions: env.ENVDESK_CLUSTER_DEFINITIONS,
    environmentsWatch: env.ENVDESK_ENVIRONMENTS_WATCH,
    /** Connect's R.VersionMatching, Python.VersionMatching and Quarto version matching. */
    versionMatching: {
      r: env.ENVDESK_R_VERSION_MATCHING,
      python: env.ENVDESK_PYTHON_VERSION_MATCHING,
      quarto: env.ENVDESK_QUARTO_VERSION_MATCHING,
    },
    /** Local execution: used only when automatic selection finds no environment; all empty = off. */
    localInstallations: { python: env.ENVDESK_LOCAL_PYTHON, r: env.ENVDESK_LOCAL_R, quarto: env.ENVDESK_LOCAL_QUARTO },
    bundleMaxBytes: env.ENVDESK_BUNDLE_MAX_BYTES,
    /** Image inspection reads at most this many bytes of blobs (compressed, as stored) per image. */
    inspectMaxBytes: env.ENVDESK_INSPECT_MAX_BYTES,
    /** Image inspection stops after this long. */
    inspectTimeoutMs: env.ENVDESK_INSPECT_TIMEOUT_SECONDS * 1000,
    /** Image inspection's registry access: a Docker config.json of credentials, and the registries spoken to over http. */
    registry: { authFile: env.ENVDESK_REGISTRY_AUTH_FILE, insecureRegistries: env.ENVDESK_INSECURE_REGISTRIES },
    /** A running task whose owner has not heartbeated for this long is finished as interrupted. */
    taskStaleMs: env.ENVDESK_TASK_STALE_MS,
    /** On SIGTERM, how long running deploys may go on before they are finished as interrupted. */
    shutdownGraceMs: env.ENVDESK_SHUTDOWN_GRACE_MS,
    trustProxy: env.ENVDESK_TRUST_PROXY,
    /** Seals content environment variables; absent, a key file in the data folder is used (created on first start). */
    secretKey: env.ENVDESK_SECRET_KEY,
    /** Failed sign-ins allowed per username and per client address within the window. */
    signInLimits: {
      windowMs: env.ENVDESK_SIGN_IN_WINDOW_SECONDS * 1000,
      maxFailuresPerUser: env.ENVDESK_SIGN_IN_MAX_FAILURES_PER_USER,
      maxFailuresPerAddress: env.ENVDESK_SIGN_IN_MAX_FAILURES_PER_ADDRESS,
    },
  })),
);

export type Settings = z.output<typeof SettingsSchema>;

/** Reads the settings, or throws one message naming every wrong variable. */
export function readSettings(env: Record<string, string | undefined>): Settings {
  const parsed = SettingsSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  // formatPath comes from the domain's validation.ts, which also gives zod/mini its English messages.
  const problems = parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  throw new Error(`Invalid settings: ${problems.join('; ')}`);
}
