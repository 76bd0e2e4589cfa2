import { parseEnvironmentQuery } from '@envdesk/domain';
import { describe, expect, it } from 'vitest';
import { matchRanges, versionRanges } from './search-highlight';

describe('marking what a search matched', () => {
  it.each([
    ['GPU training', ['gpu'], [[0, 3]]],
    ['ghcr.io/org/gpu:1', ['g'], [[0, 1], [10, 11], [12, 13]]],
    // Overlapping and touching matches become one mark.
    ['runtime', ['run', 'unt'], [[0, 4]]],
    ['runtime', ['run', 'time'], [[0, 7]]],
    ['abc', [], []],
    ['abc', [''], []],
  ])('%j with %j marks %j', (text, needles, ranges) => {
    expect(matchRanges(text, needles)).toEqual(ranges);
  });

  it.each([
    ['3.11.9, 3.12.4', 'python', 'python:3.12', [[8, 14]]],
    ['3.11.9, 3.12.4', 'python', 'python:>=3.11', [[0, 6], [8, 14]]],
    ['3.11.9, 3.12.4', 'r', 'python:>=3.11', []],
    ['3.11.9, 3.12.4', 'python', '3.1', [[0, 3], [8, 11]]],
    ['4.4.2', 'r', 'r:>=4.3 4.4', [[0, 5]]],
    ['4.4.2', 'r', 'gpu', []],
  ] as const)('in the versions %j of %s, %j marks %j', (text, language, query, ranges) => {
    expect(versionRanges(text, language, parseEnvironmentQuery(query))).toEqual(ranges);
  });
});
