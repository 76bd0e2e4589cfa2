import { describe, expect, it } from 'vitest';
import { ifMatchHolds, nextUpdatedTime, parseIfMatch } from './environment-versions.js';

describe('nextUpdatedTime', () => {
  it.each([
    ['a later second is taken as is', '2026-01-01T10:00:00Z', '2026-01-01T10:00:05.900Z', '2026-01-01T10:00:05Z'],
    ['the same second moves one second on', '2026-01-01T10:00:00Z', '2026-01-01T10:00:00.999Z', '2026-01-01T10:00:01Z'],
    ['a clock behind the record still moves it on', '2026-01-01T10:00:09Z', '2026-01-01T10:00:03Z', '2026-01-01T10:00:10Z'],
  ])('%s', (_label, previous, now, expected) => {
    expect(nextUpdatedTime(previous, now)).toBe(expected);
  });
});

describe('If-Match', () => {
  const etag = '"2026-01-01T10:00:00Z"';
  it.each([
    ['absent', undefined, true],
    ['star', '*', true],
    ['the same tag', etag, true],
    ['a list holding it', `"old", ${etag}`, true],
    ['another tag', '"2026-01-01T09:00:00Z"', false],
    ['the weak form of the same tag', `W/${etag}`, false],
  ])('%s', (_label, header, holds) => {
    expect(ifMatchHolds(parseIfMatch(header), etag)).toBe(holds);
  });

  it('tells a malformed header apart', () => {
    expect(parseIfMatch('abc').kind).toBe('malformed');
    expect(parseIfMatch('"a" "b"').kind).toBe('malformed');
  });
});
