import { ErrorCode } from '@envdesk/domain';
import { describe, expect, it } from 'vitest';
import { cookbookManifest } from '../test/bundles.js';
import { nestingDeeperThan, readManifest } from './bundle-reader.js';

describe('nestingDeeperThan', () => {
  it.each([
    ['{}', 1, false],
    ['{"a": [1, {"b": 2}]}', 2, true],
    ['{"a": [1, {"b": 2}]}', 3, false],
    // Brackets inside strings, escaped quotes included, are text, not nesting.
    ['{"a": "[[[[{{{{", "b": "\\"[[["}', 1, false],
    [`${'['.repeat(500_000)}${']'.repeat(500_000)}`, 64, true],
  ])('%s deeper than %i: %s', (text, limit, expected) => {
    expect(nestingDeeperThan(text, limit)).toBe(expected);
  });
});

describe('readManifest', () => {
  it('reads a manifest the schema accepts', () => {
    expect(readManifest(JSON.stringify(cookbookManifest())).python?.version).toBe('3.9.14');
  });

  it.each([
    [null, 'no manifest.json at its top level'],
    ['{nope', 'not valid JSON'],
    [`{"x": ${'['.repeat(65)}${']'.repeat(65)}}`, 'more than 64 levels deep'],
  ])('refuses %s', (text, message) => {
    expect(() => readManifest(text)).toThrow(expect.objectContaining({ code: ErrorCode.InvalidManifest, message: expect.stringContaining(message) }));
  });
});
