import { type Result, err, ok } from '../errors.js';
import { type Version, compareVersions, parseVersion } from './version.js';

/**
 * Version constraints as manifests carry them in `environment.python.requires` and
 * `environment.r.requires`: PEP 440 specifier sets (`>=3.8,<4.0`, `~=3.10`, `==3.11.*`).
 * rsconnect (R) writes R constraints in the same grammar (`>= 4.2.0`, `>=4.2.0, <5.0`, `~=4.0.0`),
 * so one parser serves both languages (spec/config-and-selection-reference.md §6).
 *
 * npm `semver` is deliberately not used: it reads `~=3.10` as `~3.10` and `>3.9` as `>=3.10.0`,
 * both silently wrong (the table in §6).
 *
 * The subset implemented:
 * - release segments of any length, compared with zeros padded (`3.10` == `3.10.0`);
 * - pre-releases `a`, `b`, `rc` (also spelled `alpha`, `beta`, `c`, `pre`, `preview`, with an
 *   optional `.`, `-` or `_` before the tag and before its number), ordered a < b < rc;
 * - operators `===`, `~=`, `==`, `!=`, `<=`, `>=`, `<`, `>`; a trailing `.*` after `==` and `!=`;
 * - commas join specifiers (all must hold); whitespace around operators and commas is ignored.
 * Not supported, and rejected with a message saying so: epochs (`1!2.0`), post-, dev- and local
 * versions (`.post1`, `.dev0`, `+local`).
 *
 * Pre-releases, kept simple: a pre-release version (an installation `3.13.0rc1`) satisfies a set
 * only when some specifier in the set names a pre-release itself (`>=3.13.0rc1`). And, as PEP 440
 * says, `<3.13` never admits a pre-release of 3.13.
 */
export type SpecifierOperator = '===' | '~=' | '==' | '!=' | '<=' | '>=' | '<' | '>';

export interface Specifier {
  readonly operator: SpecifierOperator;
  /** The version as written after the operator, without a trailing `.*`. */
  readonly text: string;
  /** The parsed version; for `===` it may be null (arbitrary equality compares text). */
  readonly version: Version | null;
  /** `==3.11.*` / `!=3.9.*`: a prefix match on the release segments. */
  readonly wildcard: boolean;
}

export interface SpecifierSet {
  /** Normalised: no whitespace, specifiers joined by `,` (`>=4.2.0,<5.0`). */
  readonly text: string;
  readonly specifiers: readonly Specifier[];
  /** Some specifier names a pre-release, so pre-release versions may satisfy the set. */
  readonly allowsPrereleases: boolean;
}

const OPERATOR_PATTERN = /^(===|~=|==|!=|<=|>=|<|>)\s*(.*)$/;
const RELEASE_PATTERN = /^(\d+(?:\.\d+)*)(\.\*)?$/;
const PRERELEASE_VERSION_PATTERN = /^(\d+(?:\.\d+)*)[-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?(\d*)$/i;
const PRERELEASE_TAG_PATTERN = /^(a|alpha|b|beta|c|rc|pre|preview|dev|devel)[-_.]?(\d*)$/i;

const PRERELEASE_RANK: Record<string, number> = {
  dev: -1,
  devel: -1,
  a: 0,
  alpha: 0,
  b: 1,
  beta: 1,
  c: 2,
  rc: 2,
  pre: 2,
  preview: 2,
};
const CANONICAL_TAG = ['a', 'b', 'rc'] as const;

function releaseOf(text: string): number[] {
  return text.split('.').map(Number);
}

/** Why `text` (after an operator) is not a version this parser accepts. */
function versionProblem(text: string): string {
  if (text === '') return 'a version is missing after the operator';
  if (text.includes('!')) return `${text}: epochs are not supported`;
  if (text.includes('+')) return `${text}: local versions are not supported`;
  if (/[-_.]?(post|dev)\d*$/i.test(text)) return `${text}: post- and dev-releases are not supported`;
  if (/^\d+(\.\d+)*\.\*./.test(text)) return `${text}: a wildcard must be the last segment, as in ==3.11.*`;
  return `${text} is not a version`;
}

function parseSpecifier(clause: string): Result<Specifier, string> {
  const match = OPERATOR_PATTERN.exec(clause);
  if (!match) {
    return err(
      /^\d/.test(clause)
        ? `"${clause}" has no operator (write e.g. ==${clause} or >=${clause})`
        : `"${clause}" does not start with an operator (===, ~=, ==, !=, <=, >=, <, >)`,
    );
  }
  const operator = match[1] as SpecifierOperator;
  const text = (match[2] ?? '').trim();
  if (/\s/.test(text)) return err(`"${clause}": a version must not contain spaces`);

  if (operator === '===') {
    if (text === '') return err(`"${clause}": a version is missing after the operator`);
    return ok({ operator, text, version: parseVersion(text), wildcard: false });
  }

  const release = RELEASE_PATTERN.exec(text);
  if (release) {
    const wildcard = release[2] !== undefined;
    if (wildcard && operator !== '==' && operator !== '!=') {
      return err(`"${clause}": a wildcard .* only follows == or !=`);
    }
    const parts = releaseOf(release[1]!);
    if (operator === '~=' && parts.length < 2) {
      return err(`"${clause}": ~= needs at least two version segments (e.g. ~=${text}.0)`);
    }
    return ok({ operator, text: release[1]!, version: { parts, prerelease: null }, wildcard });
  }

  const prerelease = PRERELEASE_VERSION_PATTERN.exec(text);
  if (prerelease) {
    const parts = releaseOf(prerelease[1]!);
    if (operator === '~=' && parts.length < 2) {
      return err(`"${clause}": ~= needs at least two version segments`);
    }
    const rank = PRERELEASE_RANK[prerelease[2]!.toLowerCase()] ?? 0;
    const tag = `${CANONICAL_TAG[rank] ?? 'rc'}${prerelease[3] || '0'}`;
    return ok({ operator, text, version: { parts, prerelease: tag }, wildcard: false });
  }

  return err(`"${clause}": ${versionProblem(text)}`);
}

/**
 * Parses a comma-separated PEP 440 specifier set (`>=3.8, <4.0`). The error is one sentence
 * naming the first clause that is wrong.
 */
export function parseSpecifierSet(text: string): Result<SpecifierSet, string> {
  const trimmed = text.trim();
  if (trimmed === '') return err('the constraint is empty');
  const specifiers: Specifier[] = [];
  for (const clause of trimmed.split(',').map((part) => part.trim())) {
    if (clause === '') return err(`"${trimmed}" has an empty specifier (a stray comma?)`);
    const parsed = parseSpecifier(clause);
    if (!parsed.ok) return parsed;
    specifiers.push(parsed.value);
  }
  return ok({
    text: specifiers.map((spec) => `${spec.operator}${spec.text}${spec.wildcard ? '.*' : ''}`).join(','),
    specifiers,
    allowsPrereleases: specifiers.some((spec) => spec.operator !== '!=' && spec.version?.prerelease != null),
  });
}

/**
 * A Python, R or Quarto version as a bundle reports it. Stricter than parseVersion, which reads
 * `3.x` as 3 with the pre-release tag `x`: a tag must be a pre-release spelling (a, b, rc, dev, …).
 */
export function parseLanguageVersion(text: string): Version | null {
  const version = parseVersion(text);
  if (version === null) return null;
  if (version.prerelease !== null && !PRERELEASE_TAG_PATTERN.test(version.prerelease)) return null;
  return version;
}

/** [rank, number, text] of a pre-release tag: `a1` < `b2` < `rc1` < `rc10`; `devel` sorts first. */
function prereleaseKey(tag: string): [number, number, string] {
  const match = PRERELEASE_TAG_PATTERN.exec(tag);
  if (!match) return [-2, 0, tag];
  return [PRERELEASE_RANK[match[1]!.toLowerCase()] ?? -2, Number(match[2] || '0'), ''];
}

/**
 * PEP 440 order: release segments compared numerically with zeros padded (via compareVersions),
 * then a pre-release before its final release, pre-releases ordered a < b < rc.
 */
export function comparePep440(a: Version, b: Version): number {
  const release = compareVersions({ parts: a.parts, prerelease: null }, { parts: b.parts, prerelease: null });
  if (release !== 0) return release;
  if (a.prerelease === b.prerelease) return 0;
  if (a.prerelease === null) return 1;
  if (b.prerelease === null) return -1;
  const [rankA, numberA, textA] = prereleaseKey(a.prerelease);
  const [rankB, numberB, textB] = prereleaseKey(b.prerelease);
  if (rankA !== rankB) return Math.sign(rankA - rankB);
  if (numberA !== numberB) return Math.sign(numberA - numberB);
  return textA === textB ? 0 : textA < textB ? -1 : 1;
}

/** The release segments of `version` start with `prefix` (missing segments count as 0). */
function hasReleasePrefix(version: Version, prefix: readonly number[]): boolean {
  return prefix.every((part, i) => (version.parts[i] ?? 0) === part);
}

function sameRelease(a: Version, b: Version): boolean {
  return compareVersions({ parts: a.parts, prerelease: null }, { parts: b.parts, prerelease: null }) === 0;
}

function formatVersion(version: Version): string {
  return version.parts.join('.') + (version.prerelease ?? '');
}

/** `text` is the version as written; null means "format `version`" (only `===` needs it). */
function satisfiesSpecifier(text: string | null, version: Version, spec: Specifier): boolean {
  if (spec.operator === '===') return (text ?? formatVersion(version)).trim().toLowerCase() === spec.text.toLowerCase();
  const target = spec.version!;
  const order = comparePep440(version, target);
  switch (spec.operator) {
    case '==':
      return spec.wildcard ? hasReleasePrefix(version, target.parts) : order === 0;
    case '!=':
      return spec.wildcard ? !hasReleasePrefix(version, target.parts) : order !== 0;
    case '>=':
      return order >= 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '<':
      // PEP 440: `<3.13` excludes 3.13.0rc1 although it sorts lower, unless the bound is a pre-release.
      return order < 0 && !(target.prerelease === null && version.prerelease !== null && sameRelease(version, target));
    case '~=':
      // `~=3.10.2` is `>=3.10.2, ==3.10.*`: the last segment may grow, the others are fixed.
      return order >= 0 && hasReleasePrefix(version, target.parts.slice(0, -1));
  }
}

/**
 * Whether `version` (text such as `3.11.9`, or a parsed Version) satisfies every specifier in
 * `set`. A version that does not parse satisfies only `===` with the same text.
 */
export function satisfiesSpecifiers(version: string | Version, set: SpecifierSet): boolean {
  const text = typeof version === 'string' ? version : null;
  const parsed = typeof version === 'string' ? parseVersion(version) : version;
  if (parsed === null) {
    return set.specifiers.every((spec) => spec.operator === '===' && satisfiesSpecifier(text ?? '', { parts: [], prerelease: null }, spec));
  }
  if (parsed.prerelease !== null && !set.allowsPrereleases) return false;
  return set.specifiers.every((spec) => satisfiesSpecifier(text, parsed, spec));
}
