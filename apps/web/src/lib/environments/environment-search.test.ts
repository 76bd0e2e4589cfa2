import { parseEnvironmentQuery } from '@envdesk/domain';
import { anEnvironment } from '@envdesk/domain/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileQuery, createSearch, hasVersionPrefix, narrows, searchEntryOf, searchEnvironments } from './environment-search';

const install = (version: string) => ({ installations: [{ version, path: `/opt/x/${version}/bin/x` }] });
const none = { installations: [] };

const rRuntime = anEnvironment({
  guid: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b',
  title: 'R 4.4 / Python 3.11',
  description: 'The default runtime for reports',
  name: 'ghcr.io/my-org/connect-runtime:r4.4-py3.11',
  supervisor: '/usr/local/bin/supervisor.sh',
  python: install('3.11.9'),
  r: install('4.4.2'),
  quarto: install('1.5.57'),
});
const gpu = anEnvironment({
  guid: '0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d',
  title: 'GPU training',
  description: null,
  name: 'ghcr.io/my-org/gpu-runtime:cuda12',
  supervisor: null,
  python: install('3.14.4'),
  r: none,
  quarto: none,
});
const untitled = anEnvironment({
  guid: '11111111-2222-4333-8444-555555555555',
  title: null,
  description: null,
  name: 'rstudio/content-base:r3.6.3-py3.8.8-jammy',
  python: install('3.8.8'),
  r: install('3.6.3'),
  quarto: none,
});
const entries = [rRuntime, gpu, untitled].map(searchEntryOf);
const titlesFound = (query: string) => searchEnvironments(entries, query).map((e) => e.title ?? e.name);

describe('searching environments', () => {
  it.each([
    ['', ['R 4.4 / Python 3.11', 'GPU training', 'rstudio/content-base:r3.6.3-py3.8.8-jammy']],
    ['   ', ['R 4.4 / Python 3.11', 'GPU training', 'rstudio/content-base:r3.6.3-py3.8.8-jammy']],
    ['gpu', ['GPU training']],
    ['TRAINING', ['GPU training']],
    ['reports', ['R 4.4 / Python 3.11']],
    ['content-base', ['rstudio/content-base:r3.6.3-py3.8.8-jammy']],
    ['0a9b8c7d', ['GPU training']],
    ['6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b', ['R 4.4 / Python 3.11']],
    ['supervisor.sh', ['R 4.4 / Python 3.11']],
    ['3.11.9', ['R 4.4 / Python 3.11']],
    ['4.4', ['R 4.4 / Python 3.11']],
    ['1.5', ['R 4.4 / Python 3.11']],
    ['3.1', ['R 4.4 / Python 3.11', 'GPU training']],
    ['3.14.4', ['GPU training']],
    ['4.4.2 runtime', ['R 4.4 / Python 3.11']],
    ['gpu 4.4.2', []],
    ['no-such-thing', []],
  ])('%j finds %j', (query, expected) => {
    expect(titlesFound(query)).toEqual(expected);
  });

  it('matches a version from its start only: 4.4 does not find Python 3.14.4', () => {
    const onlyGpu = [searchEntryOf(anEnvironment({ title: 'x', name: 'x/y:z', python: install('3.14.4'), r: none, quarto: none }))];
    expect(searchEnvironments(onlyGpu, '4.4')).toEqual([]);
    expect(searchEnvironments(onlyGpu, '3.14')).toHaveLength(1);
  });

  it('keeps the order it is given', () => {
    const reversed = [...entries].reverse();
    expect(searchEnvironments(reversed, 'ghcr').map((e) => e.title)).toEqual(['GPU training', 'R 4.4 / Python 3.11']);
  });

  it.each([
    ['python:3.11', ['R 4.4 / Python 3.11']],
    ['python:3.1', []],
    ['python:3.', ['R 4.4 / Python 3.11', 'GPU training', 'rstudio/content-base:r3.6.3-py3.8.8-jammy']],
    ['python:>=3.11', ['R 4.4 / Python 3.11', 'GPU training']],
    ['r:>=4.3', ['R 4.4 / Python 3.11']],
    ['r:<4', ['rstudio/content-base:r3.6.3-py3.8.8-jammy']],
    ['quarto:1.5', ['R 4.4 / Python 3.11']],
    ['has:quarto', ['R 4.4 / Python 3.11']],
    ['no:r', ['GPU training']],
    ['image:gpu-runtime', ['GPU training']],
    ['image:runtime training', ['GPU training']],
    ['managed:hand', ['R 4.4 / Python 3.11', 'GPU training', 'rstudio/content-base:r3.6.3-py3.8.8-jammy']],
    ['managed:file', []],
    ['matching:any', ['R 4.4 / Python 3.11', 'GPU training', 'rstudio/content-base:r3.6.3-py3.8.8-jammy']],
    ['matching:exact', []],
    // A term the grammar cannot use is left out rather than emptying the list.
    ['python:latest gpu', ['GPU training']],
    // Unknown keys are words: image tags carry colons.
    ['gpu-runtime:cuda12', ['GPU training']],
  ])('the typed filter %j finds %j', (query, expected) => {
    expect(titlesFound(query)).toEqual(expected);
  });

  it('filters on how an environment is managed and matched', () => {
    const mixed = [
      anEnvironment({ title: 'file exact', managed_by: 'config-file', matching: 'exact' }),
      anEnvironment({ title: 'hand none', managed_by: null, matching: 'none' }),
    ].map(searchEntryOf);
    const found = (query: string) => searchEnvironments(mixed, query).map((e) => e.title);
    expect(found('managed:file')).toEqual(['file exact']);
    expect(found('managed:hand')).toEqual(['hand none']);
    expect(found('matching:exact')).toEqual(['file exact']);
    expect(found('matching:exact matching:none')).toEqual(['file exact', 'hand none']);
    expect(found('managed:file matching:none')).toEqual([]);
  });

  it.each([
    ['3.11.9', '3.11', true],
    ['3.11', '3.11', true],
    ['3.110.1', '3.11', false],
    ['3.13.0rc1', '3.13.0', true],
    ['4.4.2', '4.', true],
    ['3.4.4', '4.', false],
  ])('%s starts with the version %s: %s', (version, prefix, expected) => {
    expect(hasVersionPrefix(version, prefix)).toBe(expected);
  });
});

describe('a search that narrows its last answer as letters are typed', () => {
  const q = parseEnvironmentQuery;

  it('narrows when words grow at their end or are added, and not when a filter changes', () => {
    expect(narrows(q('gp'), q('gpu'))).toBe(true);
    expect(narrows(q('gpu'), q('gpu 3.1'))).toBe(true);
    expect(narrows(q('image:ghcr'), q('image:ghcr.io'))).toBe(true);
    expect(narrows(q('gpu'), q('gp'))).toBe(false);
    expect(narrows(q('pu'), q('gpu'))).toBe(false);
    expect(narrows(q('python:3.1'), q('python:3.11'))).toBe(false);
    expect(narrows(q('gpu'), q('gpu managed:file'))).toBe(false);
  });

  it('answers every keystroke as a search from scratch would, whatever is typed, deleted or pasted', () => {
    const many = Array.from({ length: 60 }, (_, i) =>
      anEnvironment({
        title: `${['Finance', 'GPU', 'Clinical', 'Risk'][i % 4]} ${i}`,
        name: `${['ghcr.io/org', 'quay.io/lab', 'docker.io/rstudio'][i % 3]}/runtime-${i}:r4.${i % 5}`,
        python: i % 2 === 0 ? install(`3.${8 + (i % 6)}.${i % 10}`) : none,
        r: i % 3 === 0 ? none : install(`4.${i % 5}.${i % 3}`),
        quarto: i % 4 === 0 ? install('1.5.57') : none,
        managed_by: i % 5 === 0 ? '/etc/envdesk/environments.yaml' : null,
      }),
    );
    const manyEntries = many.map(searchEntryOf);
    const edit = fc.oneof(
      fc.constantFrom('f', 'i', 'n', 'g', 'p', 'u', '3', '.', '1', '4', ' ', ':', 'r', 'q', 'o'),
      fc.constantFrom('python:', 'r:>=4.', 'image:', 'managed:file', 'has:quarto', ' ', '"'),
      fc.constant('⌫'),
    );
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 40 }), (edits) => {
        const search = createSearch(manyEntries);
        let text = '';
        for (const typed of edits) {
          text = typed === '⌫' ? text.slice(0, -1) : text + typed;
          expect(search(q(text)).map((e) => e.guid)).toEqual(searchEnvironments(manyEntries, text).map((e) => e.guid));
        }
      }),
      { numRuns: 300, seed: 20261130 },
    );
  });
});

describe('one typed character', () => {
  it('finds what a scan of the text and the versions finds, for every character, from what was worked out per environment', () => {
    const anyText = fc.string({ unit: fc.constantFrom(...'abcxyz0123456789.-/:_@ #éK'), maxLength: 12 });
    fc.assert(
      fc.property(anyText, anyText, fc.array(fc.stringMatching(/^\d{1,2}(\.\d{1,2}){0,2}[a-z]?$/), { maxLength: 3 }), (title, name, versions) => {
        const entry = searchEntryOf(
          anEnvironment({ title, name: name || 'x', python: { installations: versions.map((version) => ({ version, path: '/opt/python/bin/python' })) } }),
        );
        for (const char of 'abcxyz0123456789.-/:_@#é') {
          const scanned = entry.text.includes(char) || entry.versions.includes(`\n${char}`);
          expect(compileQuery(parseEnvironmentQuery(char))(entry), `“${char}” in ${JSON.stringify(entry.text)} / ${JSON.stringify(entry.versions)}`).toBe(scanned);
        }
      }),
      { numRuns: 300, seed: 20261130 },
    );
  });
});

