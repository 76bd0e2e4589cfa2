/**
 * Versions of Python, R and Quarto installations as images report them: one to four numeric
 * components and an optional pre-release tag (`3.11.9`, `4.4`, `1.4.557`, `3.13.0rc1`).
 *
 * R and Quarto versions are read here too, not with npm `semver` (7.8.6), which fits none of the
 * three jobs without a second engine beside the PEP 440 one Python needs anyway:
 * - parse: `semver.valid('4.3')` is null, so R's two-part form needs `coerce`, and `coerce` finds a
 *   version inside any text (`R 4.3.1 patched` → 4.3.1, `3.x` → 3.0.0, `4.3.1.2` → 4.3.1), drops
 *   `-devel` unless asked, and gives up on `2023.03.0.1`: this reader would still have to judge first;
 * - range-check: R `requires` is written in PEP 440's grammar (spec §6), which semver misreads:
 *   `~=3.0` (rsconnect's constraint for renv's R `3`) refuses 3.6.3, `>=4.2.0, <5.0` refuses 4.4.2;
 * - compare: once parsed, `semver.compare` orders 4.3.1 and 1.4.557 exactly as compareVersions does.
 */
export interface Version {
  readonly parts: readonly number[];
  readonly prerelease: string | null;
}

const VERSION_PATTERN = /^(\d{1,9})((?:\.\d{1,9}){0,3})(?:[-.+]?([A-Za-z][0-9A-Za-z.-]*))?$/;

export function parseVersion(text: string): Version | null {
  const match = VERSION_PATTERN.exec(text.trim());
  if (!match) return null;
  const [, first, rest, prerelease] = match;
  const parts = [Number(first), ...(rest ? rest.slice(1).split('.').filter(Boolean).map(Number) : [])];
  return { parts, prerelease: prerelease ?? null };
}

/** Orders versions component by component; a missing component counts as 0, a pre-release sorts first. */
export function compareVersions(a: Version, b: Version): number {
  const length = Math.max(a.parts.length, b.parts.length);
  for (let i = 0; i < length; i++) {
    const diff = (a.parts[i] ?? 0) - (b.parts[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  if (a.prerelease === b.prerelease) return 0;
  if (a.prerelease === null) return 1;
  if (b.prerelease === null) return -1;
  return a.prerelease < b.prerelease ? -1 : 1;
}
