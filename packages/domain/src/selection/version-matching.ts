import * as z from 'zod/mini';
import { type SpecifierSet, comparePep440, satisfiesSpecifiers } from '../versions/version-constraints.js';
import type { Version } from '../versions/version.js';

/**
 * How an installation's version must relate to the version a bundle was made with, per language
 * (server settings ENVDESK_R_VERSION_MATCHING, ENVDESK_PYTHON_VERSION_MATCHING,
 * ENVDESK_QUARTO_VERSION_MATCHING; spec/selection-reference.md "Inputs").
 */
export const VersionMatchingSchema = z.object({
  r: z.enum(['nearest', 'major-minor', 'exact'], { error: 'must be one of nearest, major-minor, exact' }),
  python: z.enum(['major-minor', 'exact'], { error: 'must be one of major-minor, exact' }),
  quarto: z.enum(['nearest', 'major-minor', 'exact'], { error: 'must be one of nearest, major-minor, exact' }),
});
export type VersionMatching = z.infer<typeof VersionMatchingSchema>;
export type VersionMatchingMode = VersionMatching[keyof VersionMatching];

/** Connect's defaults (seed "Environment selection"; config-and-selection-reference.md §3). */
export const DEFAULT_VERSION_MATCHING: VersionMatching = { r: 'nearest', python: 'major-minor', quarto: 'nearest' };

/** The languages selection compares, in the order the ranking looks at them. */
export const SELECTION_LANGUAGES = ['r', 'python', 'quarto'] as const;
export type SelectionLanguage = (typeof SELECTION_LANGUAGES)[number];

/** What the bundle needs of one language it uses. */
export interface LanguageRequirement {
  readonly language: SelectionLanguage;
  /** The version the bundle was made with (B), or null when only a constraint is known. */
  readonly version: Version | null;
  readonly versionText: string | null;
  /** The manifest's `requires`; when present it replaces the matching setting. */
  readonly constraint: SpecifierSet | null;
  readonly constraintText: string | null;
  readonly matching: VersionMatchingMode;
}

/** An installation's version: the text it was declared with and its parsed form. */
export interface InstalledVersion {
  readonly text: string;
  readonly version: Version;
}

const releaseSegment = (version: Version, i: number): number => version.parts[i] ?? 0;

/** Is `installed` usable for `requirement` (before closeness decides among the usable ones)? */
export function isCompatible(requirement: LanguageRequirement, installed: InstalledVersion): boolean {
  if (requirement.constraint) return satisfiesSpecifiers(installed.version, requirement.constraint);
  const wanted = requirement.version;
  if (!wanted) return true;
  const sameMajorMinor = releaseSegment(wanted, 0) === releaseSegment(installed.version, 0) && releaseSegment(wanted, 1) === releaseSegment(installed.version, 1);
  switch (requirement.matching) {
    case 'exact':
      return sameMajorMinor && releaseSegment(wanted, 2) === releaseSegment(installed.version, 2);
    case 'major-minor':
      return sameMajorMinor;
    case 'nearest':
      return true;
  }
}

/**
 * How far `version` is from the bundle's B, as a key where smaller is closer
 * (spec/selection-reference.md "Ranking"): exact; else same major.minor, nearest patch, newer
 * winning a tie; else the nearest newer minor of the same major; else the nearest older minor;
 * else (another major) tier 4, where the newest wins. Within a tier the distance is compared as
 * minor, then patch.
 */
function closenessKey(wanted: Version, version: Version): readonly number[] {
  const major = releaseSegment(version, 0);
  if (major !== releaseSegment(wanted, 0)) return [4];
  const minor = releaseSegment(version, 1);
  const wantedMinor = releaseSegment(wanted, 1);
  const patch = releaseSegment(version, 2);
  const wantedPatch = releaseSegment(wanted, 2);
  const patchDistance = Math.abs(patch - wantedPatch);
  if (minor === wantedMinor) {
    if (patch === wantedPatch) return [0, comparePep440(version, wanted) === 0 ? 0 : 1];
    return [1, patchDistance, patch < wantedPatch ? 1 : 0];
  }
  return minor > wantedMinor ? [2, minor - wantedMinor, patchDistance] : [3, wantedMinor - minor, patchDistance];
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

/** An installation's version with its closeness key, computed once so that sorting allocates nothing. */
export interface ScoredVersion {
  readonly version: Version;
  readonly closeness: readonly number[];
}

const NO_KEY: readonly number[] = [];

/** The closeness key of `version` for `requirement`: empty without B (then only "higher wins" counts). */
export function scoreVersion(requirement: LanguageRequirement, version: Version): ScoredVersion {
  return { version, closeness: requirement.version ? closenessKey(requirement.version, version) : NO_KEY };
}

/**
 * Negative when `a` is the better choice, positive when `b` is, 0 when they are the same version.
 * One order serves both choices, the installation within an environment and the environment
 * among candidates, so two environments rank as their installations would if they were one
 * image. Remaining ties (and tier 4, and no B) go to the higher version.
 */
export function compareScored(a: ScoredVersion, b: ScoredVersion): number {
  return compareKeys(a.closeness, b.closeness) || comparePep440(b.version, a.version);
}

/** The compatible installation closest to the bundle's version, with its score; null when none is compatible. */
export function chooseInstallation<T extends InstalledVersion>(
  requirement: LanguageRequirement,
  installed: readonly T[],
): { installed: T; score: ScoredVersion } | null {
  let best: { installed: T; score: ScoredVersion } | null = null;
  for (const candidate of installed) {
    if (!isCompatible(requirement, candidate)) continue;
    const score = scoreVersion(requirement, candidate.version);
    if (best === null || compareScored(score, best.score) < 0) best = { installed: candidate, score };
  }
  return best;
}
