import type { Installation, Installations } from '../environments/environment-schemas.js';
import { type FoundInstallation, type FoundInstallations, INSPECTED_LANGUAGES, type InspectedLanguage } from './detect-installations.js';

/** How one language's installations in an image differ from an environment's. */
export interface InstallationsDifference {
  /** In the image, not in the environment. */
  readonly onlyInImage: FoundInstallation[];
  /** In the environment, not found in the image (removed, moved, or never there). */
  readonly onlyInEnvironment: Installation[];
  /** The same executable in both, with another version in the image. */
  readonly versionChanged: Array<{ readonly path: string; readonly environmentVersion: string; readonly imageVersion: string }>;
}

export type InstallationsDiff = Record<InspectedLanguage, InstallationsDifference>;

/**
 * *Re-inspect*: what the image holds that the environment does not list, and the reverse. An
 * environment's path matches an installation by its canonical path or any alias (an environment
 * typed by hand often names `bin/python3`, a link to `bin/python3.12`); an installation found
 * without a version matches by path alone.
 */
export function diffInstallations(
  found: FoundInstallations,
  environment: Readonly<Record<InspectedLanguage, Installations>>,
): InstallationsDiff {
  const diff = {} as InstallationsDiff;
  for (const language of INSPECTED_LANGUAGES) {
    const listed = environment[language].installations;
    const matched = new Set<Installation>();
    const onlyInImage: FoundInstallation[] = [];
    const versionChanged: InstallationsDifference['versionChanged'] = [];
    for (const installation of found[language]) {
      const paths = new Set([installation.path, ...installation.aliases]);
      const same = listed.filter((entry) => paths.has(entry.path));
      if (same.length === 0) {
        onlyInImage.push(installation);
        continue;
      }
      for (const entry of same) matched.add(entry);
      const version = installation.version;
      if (version !== null && !same.some((entry) => entry.version === version)) {
        versionChanged.push({ path: installation.path, environmentVersion: (same[0] as Installation).version, imageVersion: version });
      }
    }
    diff[language] = { onlyInImage, onlyInEnvironment: listed.filter((entry) => !matched.has(entry)), versionChanged };
  }
  return diff;
}
