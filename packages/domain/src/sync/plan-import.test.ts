import { describe, expect, it } from 'vitest';
import { type Environment, definitionFrom } from '../environments/environment-schemas.js';
import { aCreateEnvironmentInput, aGuid, anEnvironment } from '../testing/builders.js';
import { type FileEntry, readEnvironmentsFile, toFileEntries } from './environments-file.js';
import { planImport } from './plan-import.js';

const IMAGE_A = 'ghcr.io/my-org/connect-runtime:r4.4-py3.11';
const IMAGE_B = 'ghcr.io/my-org/connect-runtime:r4.3-py3.10';

const entry = (overrides: { guid?: string; name?: string; title?: string } = {}): FileEntry => ({
  guid: overrides.guid ?? null,
  definition: definitionFrom(aCreateEnvironmentInput({ name: overrides.name ?? IMAGE_A, title: overrides.title ?? 'R 4.4 / Python 3.11' })),
});
/** What an export of `environments` reads back as. */
function exported(environments: Environment[]): FileEntry[] {
  const read = readEnvironmentsFile(toFileEntries(environments));
  if (!read.ok) throw new Error(JSON.stringify(read.error));
  return read.value;
}
const kinds = (entries: FileEntry[], current: Environment[]) => {
  const plan = planImport(entries, current);
  return { actions: plan.actions.map((action) => `${action.kind} ${action.entry}`), unchanged: plan.unchanged, problems: plan.problems.map((problem) => problem.entry) };
};

describe('planning an import into hand-made environments', () => {
  it('finds nothing to do when re-importing its own export', () => {
    const current = [anEnvironment({ name: IMAGE_A }), anEnvironment({ name: IMAGE_B, title: 'B', matching: 'exact' })];
    expect(kinds(exported(current), current)).toEqual({ actions: [], unchanged: 2, problems: [] });
  });

  it('updates what changed, matched by GUID or by image, and creates what is new', () => {
    const hand = anEnvironment({ name: IMAGE_A, title: 'Old title' });
    const plan = planImport([entry({ title: 'New title' }), entry({ name: IMAGE_B }), entry({ name: 'new/image:1', guid: aGuid(900) })], [hand]);
    expect(plan.problems).toEqual([]);
    expect(plan.actions).toEqual([
      { kind: 'update', entry: 0, guid: hand.guid, name: IMAGE_A, changes: expect.objectContaining({ title: 'New title' }) },
      { kind: 'create', entry: 1, guid: null, definition: expect.objectContaining({ name: IMAGE_B }) },
      { kind: 'create', entry: 2, guid: aGuid(900), definition: expect.objectContaining({ name: 'new/image:1' }) },
    ]);
  });

  it('never deletes: environments absent from the file stay', () => {
    expect(kinds([], [anEnvironment()])).toEqual({ actions: [], unchanged: 0, problems: [] });
  });

  it('refuses to touch an environment the environments file owns, by image or by GUID', () => {
    const managed = anEnvironment({ name: IMAGE_A, managed_by: 'config-file' });
    expect(kinds([entry({ title: 'Changed' })], [managed])).toEqual({ actions: [], unchanged: 0, problems: [0] });
    expect(kinds([entry({ guid: managed.guid })], [managed]).problems).toEqual([0]);
    expect(planImport([entry()], [managed]).problems[0]?.message).toContain('managed by the environments file');
  });

  it.each([
    ['a GUID naming an environment of another image', [entry({ guid: aGuid(1), name: IMAGE_B })], [anEnvironment({ guid: aGuid(1), name: IMAGE_A })], [0]],
    ['an image several environments use, without a GUID', [entry()], [anEnvironment({ name: IMAGE_A }), anEnvironment({ name: IMAGE_A })], [0]],
    ['two new entries of one image without GUIDs', [entry({ name: IMAGE_B }), entry({ name: IMAGE_B })], [], [1]],
    ['two entries for the same environment', [entry(), entry({ title: 'Again' })], [anEnvironment({ name: IMAGE_A })], [1]],
    ['two new entries with one GUID', [entry({ guid: aGuid(5) }), entry({ guid: aGuid(5), name: IMAGE_B })], [], [1]],
  ])('reports %s as a problem of the entry', (_case, entries, current, problemEntries) => {
    expect(kinds(entries, current).problems).toEqual(problemEntries);
  });
});
