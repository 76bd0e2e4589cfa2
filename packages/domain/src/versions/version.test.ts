import { describe, expect, it } from 'vitest';
import { compareVersions, parseVersion } from './version.js';

describe('parseVersion', () => {
  it.each([
    ['3.11.9', [3, 11, 9], null],
    ['4.4', [4, 4], null],
    ['1.4.557', [1, 4, 557], null],
    ['3.13.0rc1', [3, 13, 0], 'rc1'],
    ['4.5.0-devel', [4, 5, 0], 'devel'],
    ['2023.03.0.1', [2023, 3, 0, 1], null],
  ])('reads %s', (text, parts, prerelease) => {
    expect(parseVersion(text)).toEqual({ parts, prerelease });
  });

  it.each(['', 'latest', 'v3.11', '3..11', '3.11.', '1.2.3.4.5', '3.11 9'])('rejects %j', (text) => {
    expect(parseVersion(text)).toBeNull();
  });
});

describe('compareVersions', () => {
  const cmp = (a: string, b: string) => compareVersions(parseVersion(a)!, parseVersion(b)!);
  it('orders numerically, not as text', () => {
    expect(cmp('3.10.0', '3.9.18')).toBe(1);
    expect(cmp('4.4', '4.4.0')).toBe(0);
    expect(cmp('3.13.0rc1', '3.13.0')).toBe(-1);
    expect(cmp('1.4.557', '1.5.0')).toBe(-1);
  });
});
