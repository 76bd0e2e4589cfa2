import { describe, expect, it } from 'vitest';
import { anEnvironment } from '../testing/builders.js';
import { MAX_PROBLEMS_PER_ENTRY, describeProblem, describeProblemForPeople, readEnvironmentsFile } from './environments-file.js';
import { convertLegacyDefinitions } from './legacy-cluster-definitions.js';

const minimal = { name: 'ghcr.io/my-org/connect-runtime:r4.4-py3.11' };

describe('readEnvironmentsFile', () => {
  it.each([
    ['a top-level list', [minimal]],
    ['Helm values', { executionEnvironments: [minimal] }],
    ['a saved GET /v1/environments response', [anEnvironment()]],
  ])('reads %s', (_label, document) => {
    const result = readEnvironmentsFile(document);
    expect(result.ok && result.value).toHaveLength(1);
  });

  it('ignores the read-only fields of a saved response but keeps its GUID', () => {
    const saved = anEnvironment({ managed_by: 'someone', title: 'Saved' });
    const result = readEnvironmentsFile([saved]);
    expect(result.ok && result.value[0]).toMatchObject({ guid: saved.guid, definition: { title: 'Saved', name: saved.name } });
  });

  it('fills defaults for what an entry leaves out (only name is required)', () => {
    const result = readEnvironmentsFile([minimal]);
    expect(result.ok && result.value[0]?.definition).toMatchObject({ matching: 'any', title: null, python: { installations: [] } });
  });

  it.each([null, { executionEnvironments: null }, []])('reads %j as an empty file', (document) => {
    expect(readEnvironmentsFile(document)).toEqual({ ok: true, value: [] });
  });

  it('rejects permissions with a pointer to the API and the tab', () => {
    const result = readEnvironmentsFile([{ ...minimal, permissions: [{ group_guid: 'x' }] }]);
    expect(!result.ok && result.error).toEqual([
      { entry: 0, name: minimal.name, field: 'permissions', message: expect.stringContaining('through the API or the Environments tab') },
    ]);
  });

  it('reports every bad entry with its index and field', () => {
    const result = readEnvironmentsFile([
      minimal,
      { title: 'no name' },
      { ...minimal, guid: 'not-a-uuid', matchng: 'any' },
      { ...minimal, python: { installations: [{ version: '3.11', path: 'bin/python' }] } },
    ]);
    expect(!result.ok && result.error.map(describeProblem)).toEqual(
      expect.arrayContaining([
        'entry 2, name: is required',
        'entry 3, matchng: is not an environment field',
        'entry 3, guid: must be an RFC 4122 version 4 UUID (generate one with uuidgen)',
        'entry 4, python.installations[0].path: must be an absolute path (starting with /)',
      ]),
    );
    expect(!result.ok && result.error).toHaveLength(4);
  });

  it('lists the first problems of an entry wrong in thousands of ways and counts the rest', () => {
    const result = readEnvironmentsFile([minimal, { ...minimal, volume_mounts: Array.from({ length: 5_000 }, () => 7) }]);
    const problems = !result.ok ? result.error : [];
    expect(problems).toHaveLength(MAX_PROBLEMS_PER_ENTRY + 1);
    expect(problems.every((problem) => problem.entry === 1)).toBe(true);
    expect(describeProblem(problems[0]!)).toMatch(/^entry 2, volume_mounts\[0\]: /);
    expect(describeProblem(problems.at(-1)!)).toBe(`entry 2: has ${(5_000 - MAX_PROBLEMS_PER_ENTRY).toLocaleString('en')} more problems not listed`);
  });

  it('refuses an entry wrong in more ways than can be gathered, rather than failing', () => {
    const result = readEnvironmentsFile([minimal, { ...minimal, volume_mounts: Array.from({ length: 200_000 }, () => 7) }]);
    expect(!result.ok && result.error.map(describeProblem)).toEqual(['entry 2: holds too many wrong values to list']);
  });

  it('points a legacy file at the converter', () => {
    const result = readEnvironmentsFile({ name: 'Kubernetes', images: [minimal] });
    expect(!result.ok && result.error[0]?.message).toContain('convert-legacy');
  });

  it('rejects a document of another shape', () => {
    expect(readEnvironmentsFile('just text').ok).toBe(false);
    expect(readEnvironmentsFile({ executionEnvironments: 'x' }).ok).toBe(false);
  });
});

describe('convertLegacyDefinitions', () => {
  it('unwraps the images list into declarative entries', () => {
    const image = { name: 'my-org/content-base:r4.1-py3.10', matching: 'any', supervisor: '/scripts/connect-supervisor.sh' };
    const result = convertLegacyDefinitions({ name: 'Kubernetes', images: [image] });
    expect(result).toEqual({ ok: true, value: [image] });
    expect(readEnvironmentsFile(result.ok ? result.value : null).ok).toBe(true);
  });

  it('requires the Kubernetes wrapper', () => {
    const result = convertLegacyDefinitions({ name: 'Local', images: [] });
    expect(!result.ok && result.error[0]).toMatchObject({ field: 'name' });
  });
});

describe('describeProblemForPeople', () => {
  it.each([
    [{ entry: 0, name: 'ghcr.io/org/py:3.12', field: 'matching', message: 'must be one of any, exact, none' }, 'Entry 1 (ghcr.io/org/py:3.12), matching: must be one of any, exact, none'],
    [{ entry: 1, name: null, field: 'name', message: 'is required' }, 'Entry 2, name: is required'],
    [{ entry: 4, field: null, message: 'has 3 more problems not listed' }, 'Entry 5: has 3 more problems not listed'],
    [{ entry: null, field: 'executionEnvironments', message: 'must be a list of environments' }, 'executionEnvironments: must be a list of environments'],
  ])('%j → %s', (problem, text) => {
    expect(describeProblemForPeople(problem)).toBe(text);
  });

  it('names the entry by the image it gives, cut short when the file is hostile', () => {
    const result = readEnvironmentsFile([{ name: 'ghcr.io/org/ok:1' }, { name: 'ghcr.io/org/x:1', matching: 'sometimes' }, { name: `ghcr.io/${'a'.repeat(5_000)}:1`, matching: 1 }]);
    const lines = !result.ok ? result.error.map(describeProblemForPeople) : [];
    expect(lines[0]).toMatch(/^Entry 2 \(ghcr\.io\/org\/x:1\), matching: /);
    expect(lines[1]!.length).toBeLessThan(400);
    expect(lines[1]).toMatch(/^Entry 3 \(ghcr\.io\/a+…\), /);
  });
});
