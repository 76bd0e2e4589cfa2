import { CLUSTER_NAME, type Installations, InstallationSchema, LANGUAGE_LABELS } from '../environments/environment-schemas.js';
import { type FoundInstallation, type FoundInstallations, INSPECTED_LANGUAGES, type InspectedLanguage } from './detect-installations.js';

/** One inspected image: its reference and what was found in it. */
export interface InspectedImage {
  readonly name: string;
  readonly installations: FoundInstallations;
}

/** An environment's installations as the API answers them (`{python: {installations: [{version, path}]}, …}`). */
export type InspectedInstallations = Record<InspectedLanguage, Installations>;

/** Whether an environment can hold the installation as found: InstallationSchema asks for a version and a path it takes. */
const saveable = (installation: FoundInstallation): installation is FoundInstallation & { version: string } =>
  installation.version !== null && InstallationSchema.safeParse({ version: installation.version, path: installation.path }).success;

const withVersion = (found: readonly FoundInstallation[]): Array<FoundInstallation & { version: string }> => found.filter(saveable);

/** A version of each language, as an example of what to type. */
const EXAMPLE_VERSIONS: Record<InspectedLanguage, string> = { python: '3.12.4', quarto: '1.5.57', r: '4.4.1' };

/**
 * One line for each installation found that an environment cannot take as it is — above all one
 * whose version no file in the image nor its folder's name gives (an environment's installation
 * needs a version): it is left out of what is saved, and the line names it, so that the
 * administrator adds it with its version typed in rather than losing it unseen.
 */
export function inspectionWarnings(found: FoundInstallations): string[] {
  return INSPECTED_LANGUAGES.flatMap((language) =>
    found[language]
      .filter((installation) => !saveable(installation))
      .map((installation) => {
        const label = LANGUAGE_LABELS[language];
        if (installation.version !== null) {
          return `${label} at ${installation.path} (version ${installation.version}) is left out: an environment cannot hold an installation at that path.`;
        }
        return `${label} at ${installation.path} has no version the image tells (no version file, no version in its folder's name), so it is left out: to keep it, add it to the environment with its version typed in (for example ${EXAMPLE_VERSIONS[language]}).`;
      }),
  );
}

/**
 * The installations an environment gets from what was found: those it can hold (with a version;
 * `inspectionWarnings` names the others), as `{version, path}`.
 */
export function installationsFromInspection(found: FoundInstallations): InspectedInstallations {
  const pick = (language: InspectedLanguage): Installations => ({
    installations: withVersion(found[language]).map(({ version, path }) => ({ version, path })),
  });
  return { python: pick('python'), quarto: pick('quarto'), r: pick('r') };
}

/** The longest title an environment takes. */
const MAX_TITLE_LENGTH = 255;

/**
 * `R 4.4.1 / Python 3.11.9, 3.12.4 / Quarto 1.4.557` (cut short with `…` past what a title
 * takes), or null when nothing with a version was found.
 */
export function inspectedTitle(found: FoundInstallations): string | null {
  const parts = (['r', 'python', 'quarto'] as const).flatMap((language) => {
    const versions = [...new Set(withVersion(found[language]).map((installation) => installation.version))];
    return versions.length > 0 ? [`${LANGUAGE_LABELS[language]} ${versions.join(', ')}`] : [];
  });
  if (parts.length === 0) return null;
  const title = parts.join(' / ');
  return title.length <= MAX_TITLE_LENGTH ? title : `${title.slice(0, MAX_TITLE_LENGTH - 1)}…`;
}

/**
 * The declarative file (`executionEnvironments`, as the file sync reads it) for the inspected
 * images: one entry each, titled by its versions, `matching: any`, languages with nothing found
 * left out.
 */
export function toEnvironmentsFileDocument(images: readonly InspectedImage[]): { executionEnvironments: Array<Record<string, unknown>> } {
  return {
    executionEnvironments: images.map((image) => {
      const entry: Record<string, unknown> = { name: image.name, title: inspectedTitle(image.installations) ?? image.name, matching: 'any' };
      Object.assign(entry, foundLanguages(image.installations));
      return entry;
    }),
  };
}

/**
 * The deprecated Launcher.ClusterDefinitions document `build-image-yaml.sh` prints
 * (`name: Kubernetes`, `images: [{name, python?, quarto?, r?}]`), which
 * `convertLegacyDefinitions` reads back.
 */
export function toLegacyClusterDefinitions(images: readonly InspectedImage[]): {
  name: typeof CLUSTER_NAME;
  images: Array<Record<string, unknown>>;
} {
  return {
    name: CLUSTER_NAME,
    images: images.map((image) => {
      const languages = foundLanguages(image.installations);
      const entry: Record<string, unknown> = { name: image.name };
      // The script prints `path:` before `version:`.
      for (const [language, { installations }] of Object.entries(languages)) {
        entry[language] = { installations: installations.map(({ path, version }) => ({ path, version })) };
      }
      return entry;
    }),
  };
}

/** The languages with at least one versioned installation, in the scripts' order (python, quarto, r). */
function foundLanguages(found: FoundInstallations): Partial<InspectedInstallations> {
  const all = installationsFromInspection(found);
  const languages: Partial<InspectedInstallations> = {};
  for (const language of INSPECTED_LANGUAGES) {
    if (all[language].installations.length > 0) languages[language] = all[language];
  }
  return languages;
}
