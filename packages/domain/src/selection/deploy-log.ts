import { type Environment, LANGUAGE_LABELS, LOCAL_NAME } from '../environments/environment-schemas.js';
import type { Candidate } from './candidate.js';
import type { LanguageRequirement } from './version-matching.js';
import { comparePep440 } from '../versions/version-constraints.js';
import { parseVersion } from '../versions/version.js';

/**
 * The deploy-log lines a person reads (spec/selection-reference.md "The deploy log"). The success
 * lines follow the ones Connect prints (rstudio/packrat#711, rstudio/rsconnect#1364, the
 * immutable-environments cookbook), so people who know Connect's logs can read ours.
 */

/**
 * `Kubernetes::registry.example.org/image-classifier:jammy`, as Connect names an environment in its
 * log; `Local` for local execution's installations.
 */
export const environmentLabel = (environment: Environment): string =>
  environment.cluster_name === LOCAL_NAME ? LOCAL_NAME : `${environment.cluster_name}::${environment.name}`;

export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** One language of the bundle: `R 4.2.3`, `R version 4.2.3 (>= 4.2.0)`, `Python >=3.11`. */
function requested(requirement: LanguageRequirement, word: string): string {
  const label = LANGUAGE_LABELS[requirement.language];
  if (requirement.versionText === null) {
    return requirement.constraintText === null ? `${label} (any version)` : `${label} ${requirement.constraintText}`;
  }
  const constraint = requirement.constraintText === null ? '' : ` (${requirement.constraintText})`;
  return `${label} ${word}${requirement.versionText}${constraint}`;
}

/** What the bundle needs, as a phrase: "R 4.2.3 and Python 3.10.4 (>=3.10)". */
export function bundleSummary(requirements: readonly LanguageRequirement[]): string {
  if (requirements.length === 0) return 'no R, Python or Quarto';
  return joinWords(requirements.map((requirement) => requested(requirement, '')));
}

/** The chosen installation differs from the bundle's version, or the bundle named none. */
function differs(requirement: LanguageRequirement, chosenVersion: string): boolean {
  const chosen = parseVersion(chosenVersion);
  return requirement.version === null || chosen === null || comparePep440(requirement.version, chosen) !== 0;
}

export function successLog(
  requirements: readonly LanguageRequirement[],
  selected: Candidate,
  management: { r: boolean; python: boolean },
): string[] {
  const label = environmentLabel(selected.environment);
  if (requirements.length === 0) {
    return [`Bundle uses no R, Python or Quarto; it is compatible with environment ${label}`];
  }
  const made = joinWords(requirements.map((requirement) => requested(requirement, 'version ')));
  const using = joinWords(
    selected.installations.map((installation) => `${LANGUAGE_LABELS[installation.language]} version ${installation.version} from ${installation.path}`),
  );
  const lines = [`Bundle created with ${made} is compatible with environment ${label} with ${using}`];
  requirements.forEach((requirement, i) => {
    const installation = selected.installations[i];
    if (installation && differs(requirement, installation.version)) {
      lines.push(`Bundle requested ${requested(requirement, 'version ')}; using ${installation.path} which has version ${installation.version}`);
    }
  });
  for (const language of ['r', 'python'] as const) {
    if (!requirements.some((requirement) => requirement.language === language)) continue;
    const name = LANGUAGE_LABELS[language];
    lines.push(
      management[language]
        ? `${name} packages will be restored.`
        : `Bundle requested no ${name} environment restore; no ${name} packages will be installed.`,
    );
  }
  return lines;
}

/** The failure, then each environment within the request with its reasons, then a count of the rest. */
export function failureLog(failure: string, inScope: readonly Candidate[], outsideCount: number, outsideReason: string): string[] {
  const lines = [failure];
  for (const candidate of inScope) {
    const title = candidate.environment.title ? ` ("${candidate.environment.title}")` : '';
    lines.push(`Environment ${environmentLabel(candidate.environment)}${title} rejected: ${candidate.reasons.join('; ')}.`);
  }
  if (outsideCount > 0) {
    lines.push(`${outsideCount} other ${outsideCount === 1 ? 'environment was' : 'environments were'} not considered: ${outsideReason}.`);
  }
  return lines;
}
