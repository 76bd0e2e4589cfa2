import { describe, expect, it } from 'vitest';
import { MAX_QUERY_TERMS, isEmptyQuery, parseEnvironmentQuery, toggleQueryTerm, tokenizeQuery } from './environment-query.js';

/** The parts of a parsed query a test cares about, constraints as their normalised text. */
function summary(text: string) {
  const query = parseEnvironmentQuery(text);
  return {
    words: query.words,
    versions: query.versions.map((filter) => `${filter.language}:${filter.prefix ?? filter.constraint?.text}`),
    has: query.has,
    lacks: query.lacks,
    images: query.images,
    matching: query.matching,
    managed: query.managed,
    hints: query.hints.length,
  };
}
const nothing = { words: [], versions: [], has: [], lacks: [], images: [], matching: [], managed: [], hints: 0 };

describe('reading the environment search box', () => {
  it.each<[string, Partial<ReturnType<typeof summary>>]>([
    ['', {}],
    ['   ', {}],
    ['GPU training', { words: ['gpu', 'training'] }],
    ['python:3.11', { versions: ['python:3.11'] }],
    ['Python:3.', { versions: ['python:3.'] }],
    ['r:>=4.3', { versions: ['r:>=4.3'] }],
    ['r:">= 4.3, <5"', { versions: ['r:>=4.3,<5'] }],
    ['quarto:1.5 gpu', { versions: ['quarto:1.5'], words: ['gpu'] }],
    ['image:ghcr.io/Org', { images: ['ghcr.io/org'] }],
    ['image:"my image"', { images: ['my image'] }],
    ['has:python no:r', { has: ['python'], lacks: ['r'] }],
    ['managed:file', { managed: ['file'] }],
    ['managed:file managed:hand', { managed: ['file', 'hand'] }],
    ['matching:EXACT', { matching: ['exact'] }],
    // Image names carry colons: an unknown key is a word, not an error.
    ['runtime:r4.4', { words: ['runtime:r4.4'] }],
    ['ghcr.io/org/x:1.0', { words: ['ghcr.io/org/x:1.0'] }],
    ['https://example.com', { words: ['https://example.com'] }],
    // Half-typed: nothing yet, no complaint.
    ['python:', {}],
    // Known keys with values they cannot use: left out, with a hint.
    ['python:latest', { hints: 1 }],
    ['r:>=four', { hints: 1 }],
    ['r:>=', { hints: 1 }],
    ['managed:robot', { hints: 1 }],
    ['matching:maybe', { hints: 1 }],
    ['has:cobol', { hints: 1 }],
    // Unbalanced quotes run to the end, with a hint.
    ['image:"unclosed name', { images: ['unclosed name'], hints: 1 }],
    ['"', { hints: 1 }],
    ['a"b"c', { words: ['abc'] }],
  ])('%j', (text, expected) => {
    expect(summary(text)).toEqual({ ...nothing, ...expected });
  });

  it('says when the query is empty of filters', () => {
    expect(isEmptyQuery(parseEnvironmentQuery('  python:  '))).toBe(true);
    expect(isEmptyQuery(parseEnvironmentQuery('managed:file'))).toBe(false);
  });

  it('reads a huge paste quickly, keeping only the first terms and saying so', () => {
    const text = 'python:3.11 '.repeat(100_000) + '"'.repeat(50_000);
    const started = Date.now();
    const query = parseEnvironmentQuery(text);
    expect(Date.now() - started).toBeLessThan(200);
    expect(query.versions).toHaveLength(MAX_QUERY_TERMS);
    expect(query.hints).toEqual([expect.stringContaining('Only the first')]);
  });

  it('keeps the text of each token, quotes included, so chips can remove exactly what was typed', () => {
    expect(tokenizeQuery(' image:"a b"  gpu ').map((token) => token.raw)).toEqual(['image:"a b"', 'gpu']);
  });
});

describe('chips switching terms in the search text', () => {
  it.each([
    ['', 'has', 'python', 'has:python'],
    ['gpu', 'has', 'python', 'gpu has:python'],
    ['gpu has:python', 'has', 'python', 'gpu'],
    ['has:python', 'has', 'r', 'has:python has:r'],
    ['has:Python has:r', 'has', 'python', 'has:r'],
    // One matching and one managed at a time: a chip replaces its sibling.
    ['matching:any gpu', 'matching', 'exact', 'gpu matching:exact'],
    ['matching:exact', 'matching', 'exact', ''],
    ['managed:hand   r:>=4.3', 'managed', 'file', 'r:>=4.3 managed:file'],
    ['image:"a b" managed:file', 'managed', 'file', 'image:"a b"'],
  ])('%j toggling %s:%s gives %j', (text, key, value, expected) => {
    expect(toggleQueryTerm(text, key, value)).toBe(expected);
  });
});
