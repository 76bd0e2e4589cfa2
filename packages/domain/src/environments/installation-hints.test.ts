import { describe, expect, it } from 'vitest';
import { languagesNamedBy, otherLanguageNamedBy, versionProblem } from './installation-hints.js';

describe('languagesNamedBy', () => {
  it.each([
    ['/opt/python/3.11.9/bin/python3', ['python']],
    ['/usr/bin/python3.12', ['python']],
    ['/opt/conda/bin/python', ['python']],
    ['/opt/R/4.4.1/bin/R', ['r']],
    ['/usr/lib/R/bin/Rscript', ['r']],
    ['/opt/R-4.3.2/bin/exec', ['r']],
    ['/opt/quarto/1.5.57/bin/quarto', ['quarto']],
    ['/usr/local/bin/node', ['nodejs']],
    ['/usr/bin/tensorflow_model_server', ['tensorflow']],
    // Quarto's bundled tools: both names are there, so neither is a surprise.
    ['/opt/quarto/bin/tools/python', ['python', 'quarto']],
    ['/usr/local/bin/interpreter', []],
    // A lone lower-case "r" or a word that merely contains a name says nothing.
    ['/srv/r/bin/run', []],
    ['/opt/pythonic-tools/bin/x', []],
    ['/home/rquarto/bin/tool', []],
    ['', []],
  ])('%s → %j', (path, languages) => {
    expect(languagesNamedBy(path)).toEqual(languages);
  });
});

describe('otherLanguageNamedBy', () => {
  it.each([
    ['r', '/opt/python/3.11.9/bin/python3', 'python'],
    ['python', '/opt/R/4.4.1/bin/R', 'r'],
    ['python', '/opt/quarto/1.5.57/bin/quarto', 'quarto'],
    ['r', '/opt/quarto/1.5.57/bin/quarto', 'quarto'],
    ['quarto', '/opt/R/4.4.1/bin/R', 'r'],
    ['python', '/opt/python/3.11.9/bin/python3', null],
    ['quarto', '/opt/quarto/bin/tools/python', null],
    ['r', '/usr/local/bin/interpreter', null],
  ] as const)('a %s row with %s → %s', (language, path, other) => {
    expect(otherLanguageNamedBy(language, path)).toBe(other);
  });
});

describe('versionProblem', () => {
  it.each([
    ['python', '3.11.9', null],
    ['r', '4.4', null],
    ['quarto', '1.5.57', null],
    ['python', '3.13.0rc1', null],
    ['python', '3.1x', 'must be a version like 3.11.9'],
    ['python', '3.', 'must be a version like 3.11.9'],
    ['r', 'latest', 'must be a version like 4.4.1'],
    ['quarto', 'v1.5', 'must be a version like 1.5.57'],
    ['r', '  ', 'is required'],
  ] as const)('%s %j → %s', (language, text, problem) => {
    expect(versionProblem(language, text)).toBe(problem);
  });
});
