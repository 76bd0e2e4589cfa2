import type { Manifest } from '../selection/manifest-schema.js';
import type { ContentPackage, JobTag, RuntimeCache } from './runtime-schemas.js';

/** What a build ran with, as the bundle records it. */
export interface BuiltRuntimeVersions {
  readonly image_name: string | null;
  readonly r_version: string | null;
  readonly py_version: string | null;
  readonly r_environment_management: boolean | null;
  readonly py_environment_management: boolean | null;
}

/**
 * The package caches a build uses: one per language whose packages it restores, keyed by image,
 * language and version (a build that installs nothing, `environment_management: false`, uses none).
 */
export function cachesOfBuild(runtime: BuiltRuntimeVersions): RuntimeCache[] {
  if (runtime.image_name === null) return [];
  const caches: RuntimeCache[] = [];
  if (runtime.r_version && runtime.r_environment_management) caches.push({ language: 'R', version: runtime.r_version, image_name: runtime.image_name });
  if (runtime.py_version && runtime.py_environment_management) caches.push({ language: 'Python', version: runtime.py_version, image_name: runtime.image_name });
  return caches;
}

/** PEP 503: `Flask`, `flask_login` and `Flask.Login` are `flask`, `flask-login`, `flask-login`. */
export const normalizePythonName = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '-');

const REQUIREMENT = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)$/;

/**
 * The packages a requirements file names: `Flask==3.0.3` is flask 3.0.3; a looser specifier
 * (`pandas>=2`) is kept as written, since envdesk installs nothing to learn the version chosen.
 * Comments, options (`-r`, `--index-url`) and URLs are skipped.
 */
export function parseRequirements(text: string): Array<{ name: string; version: string }> {
  const packages = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line || line.startsWith('-') || line.includes('://')) continue;
    const match = REQUIREMENT.exec(line.split(';')[0]!.trim());
    if (!match) continue;
    const specifier = match[2]!.trim();
    const pinned = /^===?\s*([^\s,]+)$/.exec(specifier);
    packages.set(normalizePythonName(match[1]!), pinned ? pinned[1]! : specifier);
  }
  return [...packages].map(([name, version]) => ({ name, version }));
}

/** A stable hash of an R package's description (Connect lists one per R package). */
function descriptionHash(description: unknown): string {
  // FNV-1a over the JSON text, twice with different seeds, as 16 hex digits: no IO, no crypto module.
  const text = JSON.stringify(description) ?? '';
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193) >>> 0;
    b = Math.imul(b ^ code, 0x5bd1e995) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

const textField = (record: unknown, key: string): string | null => {
  if (record === null || typeof record !== 'object') return null;
  const value = (record as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : null;
};

/**
 * What a build installs: Python's requirements (when it restores Python packages) and R's
 * manifest `packages` (when it restores R packages), each with the language version built with.
 */
export function packagesOfBuild(manifest: Manifest, runtime: BuiltRuntimeVersions, requirements: string | null): ContentPackage[] {
  const packages: ContentPackage[] = [];
  if (runtime.r_environment_management && manifest.packages) {
    for (const [name, entry] of Object.entries(manifest.packages)) {
      const description = entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>).description : undefined;
      packages.push({
        language: 'r',
        language_version: runtime.r_version,
        name,
        version: textField(description, 'Version') ?? '',
        hash: description === undefined ? null : descriptionHash(description),
      });
    }
  }
  if (runtime.py_environment_management && requirements !== null) {
    for (const { name, version } of parseRequirements(requirements)) {
      packages.push({ language: 'python', language_version: runtime.py_version, name, version, hash: null });
    }
  }
  return packages;
}

const isRendered = (appMode: string) => ['rmd-static', 'quarto-static', 'jupyter-static'].includes(appMode);

/** Connect's tag for a render of the content. */
export function renderTagOf(manifest: Manifest): JobTag {
  if (manifest.metadata.appmode === 'jupyter-static') return 'build_jupyter';
  return manifest.metadata.content_category === 'site' ? 'build_site' : 'build_report';
}

/** Connect's tag for a deploy's build: restoring packages, or rendering a document that needs none. */
export function buildTagOf(manifest: Manifest): JobTag {
  if (manifest.python) return 'python_restore';
  if (manifest.platform || manifest.packages) return 'packrat_restore';
  if (isRendered(manifest.metadata.appmode)) return renderTagOf(manifest);
  return 'unknown';
}

/** Whether the content is a document render can run again (Connect's rendered app modes). */
export const isRenderedAppMode = isRendered;
