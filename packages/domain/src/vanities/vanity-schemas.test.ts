import { describe, expect, it } from 'vitest';
import { RESERVED_VANITY_PREFIXES, normalizeVanityPath } from './vanity-schemas.js';

describe('normalizeVanityPath', () => {
  it.each([
    ['example', '/example/'],
    ['/a/b', '/a/b/'],
    ['a//b///', '/a/b/'],
    [' Team_1-x ', '/Team_1-x/'],
  ])('makes %j %j', (input, path) => {
    expect(normalizeVanityPath(input)).toEqual({ ok: true, path });
  });

  it.each(['', '/', '///', 'a.b', 'a b', 'é', 'a?b', 'a\u0000'])('refuses %j', (input) => {
    expect(normalizeVanityPath(input).ok).toBe(false);
  });

  it.each(RESERVED_VANITY_PREFIXES.map((prefix) => [prefix]))('refuses paths under the reserved %s', (prefix) => {
    expect(normalizeVanityPath(`${prefix}x/y`).ok).toBe(false);
    expect(normalizeVanityPath(`${prefix.toUpperCase()}/y`).ok).toBe(false);
  });

  it('allows a path that only starts like a reserved word inside a segment', () => {
    expect(normalizeVanityPath('/my-content/')).toEqual({ ok: true, path: '/my-content/' });
  });
});
