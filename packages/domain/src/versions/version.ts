/**
 * Versions of Python, R and Quarto installations as images report them: one to four numeric
 * components and an optional pre-release tag (`3.11.9`, `4.4`, `1.4.557`, `3.13.0rc1`).
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
