import type { Manifest } from '../selection/manifest-schema.js';
import { UNKNOWN_QUARTO_VERSION } from '../selection/select-environment.js';
import type { BundleManifestSummary } from './content-schemas.js';

/** What a bundle list shows of a manifest before any deploy (BundleSchema's `manifest_summary`). */
export function summarizeManifest(manifest: Manifest): BundleManifestSummary {
  const quarto = manifest.quarto?.version ?? null;
  return {
    app_mode: manifest.metadata.appmode,
    r: manifest.platform ?? null,
    python: manifest.python?.version ?? null,
    quarto: quarto === UNKNOWN_QUARTO_VERSION ? null : quarto,
    r_requires: manifest.environment?.r?.requires ?? null,
    python_requires: manifest.environment?.python?.requires ?? null,
  };
}
