import { describe, expect, it } from 'vitest';
import { comparePep440, parseLanguageVersion, parseSpecifierSet, satisfiesSpecifiers } from './version-constraints.js';
import { parseVersion } from './version.js';

/*
 * Why our own PEP 440 subset and not @renovatebot/pep440 (4.2.4, the last line for Node 20): run
 * against these tables it fails cases that matter to a deploy.
 * - `>=3.12.0b1,<3.13` with 3.12.0b2: it answers false. It admits a pre-release per specifier, so
 *   `<3.13` refuses it although the set names a pre-release; PEP 440 (and `packaging`) admit it.
 * - `4.5.0-devel` (R's development builds) is not a version to it, and sorting it throws.
 * - It accepts what our subset refuses with a reason, `>=v3.8`, `>=3.8.post1`, `>=3.8.dev0`,
 *   `==1!3.8`, `==3.8+local`, and takes `3.11.9+local` as a language version; its parser says
 *   only valid or not, so none of the messages in "parseSpecifierSet rejects" could be given.
 */

function satisfies(version: string, constraint: string): boolean {
  const set = parseSpecifierSet(constraint);
  if (!set.ok) throw new Error(`expected "${constraint}" to parse, got: ${set.error}`);
  return satisfiesSpecifiers(version, set.value);
}

describe('satisfiesSpecifiers: PEP 440 (Python requires)', () => {
  // Expected values are what Python's `packaging` answers (spec §6 "PEP 440 meaning" column).
  it.each([
    ['>=3.8,<4.0', '3.11.9', true],
    ['>=3.8,<4.0', '4.0.0', false],
    ['>=3.8,<4.0', '3.7.17', false],
    ['>=3.8, <3.12', '3.12.0', false],
    [' >= 3.8 , < 3.12 ', '3.11.4', true],
    ['~=3.10', '3.12.1', true], // >=3.10, ==3.* — semver's ~3.10 wrongly says no
    ['~=3.10', '3.10.0', true],
    ['~=3.10', '3.9.18', false],
    ['~=3.10', '4.0.0', false],
    ['~=3.10.2', '3.10.2', true],
    ['~=3.10.2', '3.10.14', true],
    ['~=3.10.2', '3.10.1', false],
    ['~=3.10.2', '3.11.0', false],
    ['~=3.8.0', '3.8.11', true],
    ['==3.11', '3.11.0', true], // zero-padded: 3.11 == 3.11.0
    ['==3.11', '3.11.9', false], // semver's X-range wrongly says yes
    ['==3.11.3', '3.11.3', true],
    ['==3.11.*', '3.11.9', true],
    ['==3.11.*', '3.12.0', false],
    ['==3.*', '3.13.1', true],
    ['!=3.9.1', '3.9.1', false],
    ['!=3.9.1', '3.9.2', true],
    ['!=3.9.*', '3.9.18', false],
    ['!=3.9.*', '3.10.0', true],
    ['===3.11.4', '3.11.4', true],
    ['===3.11.4', '3.11.4.0', false], // arbitrary equality compares text
    ['>3.9', '3.9.2', true], // semver reads >3.9 as >=3.10.0
    ['>3.9', '3.9.0', false],
    ['<=3.12', '3.12.0', true],
    ['<=3.12', '3.12.1', false],
    ['<3.12', '3.11.9', true],
    ['>=3.8', '3.8', true],
  ])('%j with %s → %s', (constraint, version, expected) => {
    expect(satisfies(version, constraint)).toBe(expected);
  });
});

describe('satisfiesSpecifiers: R requires (same grammar, rsconnect R writes spaces)', () => {
  it.each([
    ['>= 4.2.0', '4.4.2', true],
    ['>= 4.2.0', '4.1.3', false],
    ['>= 4.0', '4.0.0', true],
    ['>=4.2.0, <5.0', '4.4.2', true],
    ['>=4.2.0, <5.0', '5.0.0', false],
    ['>= 3.5.0', '3.6.3', true],
    ['~=4.0.0', '4.0.5', true],
    ['~=4.0.0', '4.1.0', false],
    ['~=3.0', '3.6.3', true], // rsconnect's constraint for renv's R `3`; semver's ~3.0 says no
    ['~=3.0', '4.0.0', false],
  ])('%j with %s → %s', (constraint, version, expected) => {
    expect(satisfies(version, constraint)).toBe(expected);
  });
});

describe('satisfiesSpecifiers: pre-releases', () => {
  it.each([
    ['>=3.12', '3.13.0rc1', false], // excluded unless the constraint names a pre-release
    ['>=3.13.0rc1', '3.13.0rc1', true],
    ['>=3.13.0rc1', '3.13.0b4', false], // b < rc
    ['>=3.13.0rc1', '3.13.0rc10', true], // numbers compare as numbers: rc10 > rc1
    ['>=3.12.0b1,<3.13', '3.13.0rc1', false], // <3.13 never admits a pre-release of 3.13
    ['>=3.12.0b1,<3.13', '3.12.0b2', true],
    ['==3.13.0rc1', '3.13.0rc1', true],
  ])('%j with %s → %s', (constraint, version, expected) => {
    expect(satisfies(version, constraint)).toBe(expected);
  });

  it('orders pre-releases a < b < rc < final, and R devel before all', () => {
    const sorted = ['3.13.0', '3.13.0rc1', '3.13.0a2', '3.13.0b1', '3.13.0-devel', '3.12.7']
      .map((text) => parseVersion(text)!)
      .sort(comparePep440)
      .map((version) => `${version.parts.join('.')}${version.prerelease ?? ''}`);
    expect(sorted).toEqual(['3.12.7', '3.13.0devel', '3.13.0a2', '3.13.0b1', '3.13.0rc1', '3.13.0']);
  });

  it('accepts a parsed Version as well as text', () => {
    const set = parseSpecifierSet('~=3.10');
    expect(set.ok && satisfiesSpecifiers(parseVersion('3.11.2')!, set.value)).toBe(true);
  });
});

describe('parseSpecifierSet', () => {
  it('normalises whitespace and keeps the specifiers in order', () => {
    const set = parseSpecifierSet(' >= 4.2.0 ,  <5.0 ');
    expect(set).toMatchObject({ ok: true, value: { text: '>=4.2.0,<5.0', allowsPrereleases: false } });
    expect(set.ok && set.value.specifiers.map((spec) => spec.operator)).toEqual(['>=', '<']);
  });

  it.each([
    ['', 'the constraint is empty'],
    ['   ', 'the constraint is empty'],
    ['~=3', '~= needs at least two version segments'],
    ['3.8', '"3.8" has no operator'],
    ['*', 'does not start with an operator'],
    ['>=3.8,', 'has an empty specifier'],
    ['>=3.8,,<4', 'has an empty specifier'],
    ['>=3.8.*', 'a wildcard .* only follows == or !='],
    ['~=3.10.*', 'a wildcard .* only follows == or !='],
    ['==3.*.1', 'a wildcard must be the last segment'],
    ['>=', 'a version is missing'],
    ['>=v3.8', 'is not a version'],
    ['>=3.8.post1', 'post- and dev-releases are not supported'],
    ['>=3.8.dev0', 'post- and dev-releases are not supported'],
    ['==1!3.8', 'epochs are not supported'],
    ['==3.8+local', 'local versions are not supported'],
    ['>=3.8, <*', '* is not a version'],
    ['=>3.8', 'does not start with an operator'],
    ['>= 3 .8', 'must not contain spaces'],
    ['pypi@3.1', 'does not start with an operator'],
  ])('rejects %j: %s', (constraint, message) => {
    const set = parseSpecifierSet(constraint);
    expect(set.ok).toBe(false);
    if (!set.ok) expect(set.error).toContain(message);
  });
});

describe('parseLanguageVersion', () => {
  it.each([
    ['4.3.1', true],
    ['3.11', true],
    ['3.13.0rc1', true],
    ['4.5.0-devel', true],
    ['3.x', false], // parseVersion alone reads this as 3 with the pre-release tag "x"
    ['3.11.9+local', false],
    ['latest', false],
  ])('%s → %s', (text, valid) => {
    expect(parseLanguageVersion(text) !== null).toBe(valid);
  });
});
