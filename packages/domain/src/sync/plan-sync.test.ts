import { describe, expect, it } from 'vitest';
import { type Environment, definitionFrom } from '../environments/environment-schemas.js';
import { aCreateEnvironmentInput, aGuid, anEnvironment } from '../testing/builders.js';
import { type FileEntry, readEnvironmentsFile, toFileEntries } from './environments-file.js';
import { type SyncPlan, type Tombstone, asCurrent, planSync as planOver } from './plan-sync.js';

const planSync = (entries: FileEntry[], current: Environment[], tombstones: Tombstone[] = []) => planOver(entries, asCurrent(current), tombstones);

const IMAGE_A = 'ghcr.io/my-org/connect-runtime:r4.4-py3.11';
const IMAGE_B = 'ghcr.io/my-org/connect-runtime:r4.3-py3.10';

const entry = (overrides: { guid?: string; name?: string; title?: string } = {}): FileEntry => ({
  guid: overrides.guid ?? null,
  definition: definitionFrom(aCreateEnvironmentInput({ name: overrides.name ?? IMAGE_A, title: overrides.title ?? 'R 4.4 / Python 3.11' })),
});
/** An environment in the database; `managed` says whether the file owns it. */
const existing = (managed: boolean, overrides: Partial<Environment> = {}) =>
  anEnvironment({ managed_by: managed ? 'config-file' : null, name: IMAGE_A, ...overrides });

function plan(entries: FileEntry[], current: Environment[], tombstones: Tombstone[] = []): SyncPlan {
  const result = planSync(entries, current, tombstones);
  if (!result.ok) throw new Error(`expected a plan, got ${JSON.stringify(result.error)}`);
  return result.value;
}
function problems(entries: FileEntry[], current: Environment[]) {
  const result = planSync(entries, current);
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(result.value)}`);
  return result.error;
}

describe('planSync: GUID matching', () => {
  it('creates an environment with the given GUID when none has it', () => {
    const guid = aGuid();
    expect(plan([entry({ guid })], []).actions).toEqual([{ kind: 'create', entry: 0, guid, definition: entry().definition }]);
  });

  it('never falls back to the name when a GUID is given', () => {
    const sameName = existing(false);
    const guid = aGuid();
    const { actions } = plan([entry({ guid })], [sameName]);
    expect(actions).toEqual([expect.objectContaining({ kind: 'create', guid })]);
  });

  it('updates the file-managed environment with that GUID, naming only the changed fields', () => {
    const current = existing(true, { title: 'Old title' });
    const { actions } = plan([entry({ guid: current.guid, title: 'New title' })], [current]);
    expect(actions).toEqual([{ kind: 'update', entry: 0, guid: current.guid, changes: { title: 'New title' } }]);
  });

  it('adopts an unmanaged environment that has the GUID', () => {
    const current = existing(false);
    expect(plan([entry({ guid: current.guid })], [current]).actions).toEqual([
      { kind: 'adopt', entry: 0, guid: current.guid, changes: {} },
    ]);
  });

  it('refuses to change the image of the environment a GUID names', () => {
    const current = existing(true);
    const [problem] = problems([entry({ guid: current.guid, name: IMAGE_B })], [current]);
    expect(problem).toMatchObject({ entry: 0, field: 'name', message: expect.stringContaining('never changes in place') });
  });

  it('rejects the same GUID on two entries', () => {
    const guid = aGuid();
    expect(problems([entry({ guid }), entry({ guid, name: IMAGE_B })], [])).toEqual([
      { entry: 1, name: IMAGE_B, field: 'guid', message: `${guid} is also the GUID of entry 1` },
    ]);
  });
});

describe('planSync: name matching and adoption', () => {
  it('matches a file-managed environment by name first', () => {
    const managed = existing(true, { title: 'Old' });
    const unmanaged = existing(false);
    const { actions } = plan([entry({ title: 'New' })], [unmanaged, managed]);
    expect(actions).toEqual([{ kind: 'update', entry: 0, guid: managed.guid, changes: { title: 'New' } }]);
  });

  it('adopts the one unmanaged environment with that name, keeping its GUID', () => {
    const unmanaged = existing(false, { title: 'Made in the UI' });
    expect(plan([entry()], [unmanaged]).actions).toEqual([
      { kind: 'adopt', entry: 0, guid: unmanaged.guid, changes: { title: 'R 4.4 / Python 3.11' } },
    ]);
  });

  it('creates when no environment has the name', () => {
    expect(plan([entry()], [existing(false, { name: IMAGE_B })]).actions).toEqual([
      { kind: 'create', entry: 0, guid: null, definition: entry().definition },
    ]);
  });

  it('fails, listing their GUIDs, when several unmanaged environments share the name', () => {
    const first = existing(false);
    const second = existing(false);
    const [problem] = problems([entry()], [first, second]);
    expect(problem).toMatchObject({ entry: 0, field: 'name' });
    expect(problem?.message).toContain(first.guid);
    expect(problem?.message).toContain(second.guid);
  });

  it('rejects duplicate names unless every such entry has a GUID', () => {
    expect(problems([entry(), entry({ guid: aGuid() })], [])).toEqual([
      { entry: 0, name: IMAGE_A, field: 'name', message: `${IMAGE_A} is also the name of entry 2; entries that share a name each need a guid` },
    ]);
    const both = plan([entry({ guid: aGuid() }), entry({ guid: aGuid(), title: 'second tag' })], []);
    expect(both.actions.map((action) => action.kind)).toEqual(['create', 'create']);
  });

  it('turns a changed image into a delete plus a create', () => {
    const managed = existing(true);
    const { actions } = plan([entry({ name: IMAGE_B })], [managed]);
    expect(actions).toEqual([
      { kind: 'create', entry: 0, guid: null, definition: entry({ name: IMAGE_B }).definition },
      { kind: 'delete', guid: managed.guid, name: IMAGE_A },
    ]);
  });
});

describe('planSync: removal and mixed management', () => {
  it('deletes file-managed environments that left the file, and leaves unmanaged ones alone', () => {
    const kept = existing(true);
    const removed = existing(true, { name: IMAGE_B });
    const unmanaged = existing(false, { name: 'ghcr.io/org/made-in-ui:1' });
    const { actions, unchanged } = plan([entry({ title: kept.title! })], [kept, removed, unmanaged]);
    expect(actions).toEqual([{ kind: 'delete', guid: removed.guid, name: IMAGE_B }]);
    expect(unchanged).toBe(1);
  });

  it('deletes every file-managed environment for an empty file', () => {
    const current = [existing(true), existing(true, { name: IMAGE_B }), existing(false)];
    const { actions } = plan([], current);
    expect(actions.map((action) => action.kind)).toEqual(['delete', 'delete']);
    expect(actions.map((action) => action.guid)).not.toContain(current[2]!.guid);
  });

  it('reports every problem at once, by entry', () => {
    const guid = aGuid();
    const found = problems([entry(), entry(), entry({ guid, name: IMAGE_B }), entry({ guid, name: 'ghcr.io/o/c:1' })], []);
    expect(found.map((problem) => [problem.entry, problem.field])).toEqual([
      [0, 'name'],
      [1, 'name'],
      [3, 'guid'],
    ]);
  });

  it('finds nothing to do after exporting the environments and reading them back', () => {
    const current = [existing(true), existing(true, { name: IMAGE_B, matching: 'exact', supervisor: '/bin/s' })];
    const read = readEnvironmentsFile(toFileEntries(current));
    if (!read.ok) throw new Error(JSON.stringify(read.error));
    expect(plan(read.value, current)).toEqual({ actions: [], unchanged: 2 });
  });
});

describe('planSync: tombstones', () => {
  const tombstone = (overrides: Partial<Tombstone> = {}): Tombstone => ({ guid: aGuid(), name: IMAGE_A, removed_time: '2026-01-15T10:00:00Z', ...overrides });

  it('restores an entry without a GUID under the GUID of its image\'s tombstone', () => {
    const buried = tombstone();
    expect(plan([entry()], [], [buried]).actions).toEqual([
      { kind: 'restore', entry: 0, guid: buried.guid, definition: entry().definition, removed_time: buried.removed_time },
    ]);
  });

  it('restores the latest removal when an image has several tombstones, or the one each GUID names', () => {
    const older = tombstone({ removed_time: '2026-01-14T10:00:00Z' });
    const newer = tombstone({ removed_time: '2026-01-15T10:00:00Z' });
    const [first] = plan([entry()], [], [older, newer]).actions;
    expect(first).toMatchObject({ kind: 'restore', guid: newer.guid });
    // Two entries of the image, one naming the newer GUID: the other one gets the older tombstone.
    const both = plan([entry({ guid: newer.guid, title: 'Pinned' }), entry({ guid: older.guid })], [], [older, newer]).actions;
    expect(both.map((action) => [action.kind, 'guid' in action ? action.guid : null])).toEqual([
      ['restore', newer.guid],
      ['restore', older.guid],
    ]);
  });

  it('restores an entry whose GUID is a tombstone\'s, when the image is the same; creates it otherwise', () => {
    const buried = tombstone();
    expect(plan([entry({ guid: buried.guid })], [], [buried]).actions).toEqual([expect.objectContaining({ kind: 'restore', guid: buried.guid })]);
    expect(plan([entry({ guid: buried.guid, name: IMAGE_B })], [], [buried]).actions).toEqual([expect.objectContaining({ kind: 'create', guid: buried.guid })]);
  });

  it('prefers a living environment of the image (match or adoption) to a tombstone', () => {
    const buried = tombstone();
    const managed = existing(true, { title: 'R 4.4 / Python 3.11' });
    expect(plan([entry()], [managed], [buried])).toEqual({ actions: [], unchanged: 1 });
    const unmanaged = existing(false);
    expect(plan([entry()], [unmanaged], [buried]).actions).toEqual([expect.objectContaining({ kind: 'adopt', guid: unmanaged.guid })]);
  });

  it('gives a hand-deleted environment back only to an entry naming its GUID, never to a new entry of its image', () => {
    const deleted = tombstone({ hand_deleted: true });
    expect(plan([entry()], [], [deleted]).actions).toEqual([expect.objectContaining({ kind: 'create', guid: null })]);
    expect(plan([entry({ guid: deleted.guid })], [], [deleted]).actions).toEqual([expect.objectContaining({ kind: 'restore', guid: deleted.guid })]);
    // A sync's own tombstone of the image still wins over the hand-deleted one, however recent that is.
    const removed = tombstone({ removed_time: '2026-01-01T00:00:00Z' });
    expect(plan([entry()], [], [deleted, removed]).actions).toEqual([expect.objectContaining({ kind: 'restore', guid: removed.guid })]);
  });

  it('never gives back a GUID that a living environment has', () => {
    const living = existing(false, { name: IMAGE_B });
    const buried = tombstone({ guid: living.guid });
    expect(plan([entry()], [living], [buried]).actions).toEqual([expect.objectContaining({ kind: 'create', guid: null })]);
  });
});
