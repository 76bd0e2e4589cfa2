import {
  AbsolutePathSchema,
  type Environment,
  type Installation,
  LANGUAGE_LABELS,
  LOCAL_NAME,
  VersionTextSchema,
} from '../environments/environment-schemas.js';
import { type EnvironmentEntry, type InstallationIndex, buildInstallationIndex } from './installation-index.js';
import { type SelectionInput, type SelectionResult, selectEnvironment } from './select-environment.js';

/**
 * Local execution (Connect's "Local" cluster): the server host's own Python, R and Quarto
 * installations, used when automatic selection finds no environment that qualifies. They act as
 * one synthetic environment, judged by the very rules environments are; it is never stored and
 * never listed among the environments.
 */

export const LOCAL_LANGUAGES = ['python', 'r', 'quarto'] as const;
export type LocalLanguage = (typeof LOCAL_LANGUAGES)[number];
export type LocalInstallations = Readonly<Record<LocalLanguage, readonly Installation[]>>;

export const NO_LOCAL_INSTALLATIONS: LocalInstallations = { python: [], r: [], quarto: [] };

/** Where a version lives when the setting names no path: the well-known homes of Posit's builds. */
const DEFAULT_PATHS: Record<LocalLanguage, (version: string) => string> = {
  python: (version) => `/opt/python/${version}/bin/python`,
  r: (version) => `/opt/R/${version}/bin/R`,
  quarto: (version) => `/opt/quarto/${version}/bin/quarto`,
};

const MAX_LOCAL_INSTALLATIONS = 100;

const EXAMPLES: Record<LocalLanguage, string> = { python: '3.12.4', r: '4.4.1', quarto: '1.5.57' };

/**
 * One language's setting: comma-separated versions, each optionally `version=path`
 * (`3.12.4,3.11.9=/usr/local/bin/python3.11`). Empty means none.
 */
export function parseLocalInstallations(
  language: LocalLanguage,
  text: string,
): { ok: true; value: Installation[] } | { ok: false; error: string } {
  const entries = text.split(',').map((entry) => entry.trim());
  if (entries.length === 1 && entries[0] === '') return { ok: true, value: [] };
  if (entries.length > MAX_LOCAL_INSTALLATIONS) return { ok: false, error: `lists more than ${MAX_LOCAL_INSTALLATIONS} installations` };
  const label = LANGUAGE_LABELS[language];
  const installations: Installation[] = [];
  for (const [i, entry] of entries.entries()) {
    if (entry === '') return { ok: false, error: `entry ${i + 1} is empty (expected a version, or version=path)` };
    const split = entry.indexOf('=');
    const versionText = split < 0 ? entry : entry.slice(0, split).trim();
    const version = VersionTextSchema.safeParse(versionText);
    if (!version.success) return { ok: false, error: `"${versionText.slice(0, 40)}" is not a version (expected e.g. ${EXAMPLES[language]})` };
    const path = AbsolutePathSchema.safeParse(split < 0 ? DEFAULT_PATHS[language](version.data) : entry.slice(split + 1).trim());
    if (!path.success) {
      return { ok: false, error: `the path of ${label} ${version.data} ${path.error.issues[0]?.message ?? 'is not valid'}` };
    }
    if (installations.some((installation) => installation.version === version.data)) {
      return { ok: false, error: `${label} ${version.data} is listed twice` };
    }
    installations.push({ version: version.data, path: path.data });
  }
  return { ok: true, value: installations };
}

/** The synthetic environment's guid: never a stored environment's (those are random v4 GUIDs). */
export const LOCAL_GUID = '00000000-0000-0000-0000-000000000000';

/** The local installations as selection reads them, with their index (built once, at start). */
export interface LocalExecution {
  readonly entry: EnvironmentEntry;
  readonly index: InstallationIndex;
}

/** Null when the host declares no installation: then there is no local execution. */
export function localExecution(installations: LocalInstallations): LocalExecution | null {
  if (LOCAL_LANGUAGES.every((language) => installations[language].length === 0)) return null;
  const environment: Environment = {
    id: '0',
    guid: LOCAL_GUID,
    created_time: '1970-01-01T00:00:00Z',
    updated_time: '1970-01-01T00:00:00Z',
    title: "The server's own installations",
    description: null,
    cluster_name: LOCAL_NAME,
    name: LOCAL_NAME,
    environment_type: LOCAL_NAME,
    matching: 'any',
    supervisor: null,
    managed_by: null,
    python: { installations: [...installations.python] },
    quarto: { installations: [...installations.quarto] },
    r: { installations: [...installations.r] },
    tensorflow: { installations: [] },
    nodejs: { installations: [] },
    volume_mounts: [],
  };
  // No grants: every publisher may build on the server's own installations.
  const environments = [{ environment, grants: [] }];
  return { entry: environments[0]!, index: buildInstallationIndex(environments) };
}

export const isLocal = (environment: Pick<Environment, 'cluster_name'>): boolean => environment.cluster_name === LOCAL_NAME;

export const LOCAL_FALLBACK_LINE = "No environment qualifies: the content is built on the server's own installations (local execution).";

/**
 * selectEnvironment, then local execution as a last resort: only under automatic selection (a
 * manifest or content that asks for an image or environment never falls back), only when no
 * environment qualifies, and only when the local installations match the bundle by the same rules.
 */
export function selectWithLocalExecution(input: SelectionInput, local: LocalExecution | null): SelectionResult {
  const result = selectEnvironment(input);
  if (result.selected || result.request.kind !== 'automatic' || !local) return result;
  const onLocal = selectEnvironment({ ...input, environments: local.index.environments, index: local.index });
  const candidate = onLocal.candidates[0]!;
  if (!onLocal.selected) {
    return {
      ...result,
      candidates: [...result.candidates, candidate],
      log: [...result.log, `The server's own installations (local execution) do not qualify either: ${candidate.reasons.join('; ')}.`],
    };
  }
  return { ...onLocal, candidates: [candidate, ...result.candidates], log: [...result.log, LOCAL_FALLBACK_LINE, ...onLocal.log] };
}
