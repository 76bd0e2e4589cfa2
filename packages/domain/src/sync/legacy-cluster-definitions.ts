import * as z from 'zod/mini';
import { type Result, err, ok } from '../errors.js';
import { formatPath, safeParseHostile } from '../validation.js';
import { type FileProblem, MAX_PROBLEMS_PER_ENTRY } from './environments-file.js';

/**
 * The deprecated Launcher.ClusterDefinitions shape (`name: Kubernetes`, `images: [...]`). Each
 * image becomes one declarative entry, without the wrapper (seed: "Migrating from legacy bootstrapping").
 */
const LegacySchema = z.object({
  name: z.literal('Kubernetes', { error: 'must be "Kubernetes"' }),
  images: z.nullish(z.array(z.record(z.string(), z.unknown()))),
});

/** Where the older Helm chart keeps the cluster definitions in its values file. */
export const HELM_RUNTIME_FIELD = 'launcher.customRuntimeYaml';

/**
 * Where the cluster definitions are in a document: the document itself (a runtime.yaml), or, in a
 * Helm values file of the older chart (seed custom-container-images-helm, "Launcher"), under
 * `launcher.customRuntimeYaml` — written there as YAML, or as a text holding YAML (`|` block)
 * that the caller still has to parse. `field` prefixes the problems found in them.
 */
export type LegacySource =
  | { readonly kind: 'definitions'; readonly definitions: unknown; readonly field: string | null }
  | { readonly kind: 'yaml-text'; readonly text: string; readonly field: string };

const isMapping = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const RUNTIME_SHAPE = 'the cluster definitions (name: Kubernetes, images: [...])';

export function locateLegacyDefinitions(document: unknown): Result<LegacySource, FileProblem[]> {
  // A runtime.yaml names its cluster; a Helm values file has a `launcher` section instead.
  if (!isMapping(document) || 'name' in document || !('launcher' in document)) return ok({ kind: 'definitions', definitions: document, field: null });
  const problem = (field: string, message: string) => err([{ entry: null, field, message }]);
  const { launcher } = document;
  if (!isMapping(launcher)) return problem('launcher', `must be a mapping holding customRuntimeYaml with ${RUNTIME_SHAPE}`);
  if (!('customRuntimeYaml' in launcher) || launcher.customRuntimeYaml === null || launcher.customRuntimeYaml === undefined) {
    return problem(HELM_RUNTIME_FIELD, 'is missing: these Helm values list no images of their own, so there is nothing to convert');
  }
  const runtime = launcher.customRuntimeYaml;
  if (typeof runtime === 'string') return ok({ kind: 'yaml-text', text: runtime, field: HELM_RUNTIME_FIELD });
  if (isMapping(runtime)) return ok({ kind: 'definitions', definitions: runtime, field: HELM_RUNTIME_FIELD });
  return problem(HELM_RUNTIME_FIELD, `must hold ${RUNTIME_SHAPE}, written as YAML or as a text of YAML; it is ${Array.isArray(runtime) ? 'a list' : `the ${typeof runtime} ${String(runtime)}`}`);
}

/**
 * The declarative entries of legacy cluster definitions (the document itself, or what
 * locateLegacyDefinitions found), problems naming their field under `field` when given.
 */
export function convertLegacyDefinitions(document: unknown, field: string | null = null): Result<Array<Record<string, unknown>>, FileProblem[]> {
  if (field !== null && !isMapping(document)) {
    const it = typeof document === 'string' ? `the text "${document.length > 40 ? `${document.slice(0, 40)}…` : document}"` : Array.isArray(document) ? 'a list' : String(document);
    return err([{ entry: null, field, message: `must hold ${RUNTIME_SHAPE}; it holds ${it}` }]);
  }
  const parsed = safeParseHostile(LegacySchema, document);
  if (!parsed.success) {
    const { issues } = parsed.error;
    const problems: FileProblem[] = issues.slice(0, MAX_PROBLEMS_PER_ENTRY).map((issue) => {
      const path = formatPath(issue.path);
      return { entry: null, field: [field, path].filter(Boolean).join('.') || null, message: issue.message };
    });
    // A thousand wrong images would print a thousand lines: the first ones show what to fix.
    const rest = issues.length - problems.length;
    if (rest > 0) problems.push({ entry: null, field, message: `has ${rest.toLocaleString('en')} more problems not listed` });
    return err(problems);
  }
  return ok((parsed.data.images ?? []).map((image) => ({ ...image })));
}
