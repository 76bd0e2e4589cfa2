import { createHash } from 'node:crypto';
import { type Actor, type Environment, type EnvironmentGrant, type InstallationIndex, buildInstallationIndex, can } from '@envdesk/domain';
import type { Store } from '../db/store.js';
import type { EnvironmentWithGrants } from './environments-store.js';

interface Serialised {
  /** The whole list as administrators get it, serialised once. */
  readonly all: Buffer;
  /** Where each environment's JSON lies in `all`: bytes `starts[i]` up to `ends[i]`. */
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
}

interface Snapshot {
  readonly revision: number;
  serialised(): Serialised;
  index(): InstallationIndex;
  grants(): ReadonlyMap<string, readonly EnvironmentGrant[]>;
  /** Each environment's grants, in list order. */
  grantsList(): ReadonlyArray<readonly EnvironmentGrant[]>;
}

function serialise(rows: readonly EnvironmentWithGrants[]): Serialised {
  const texts = rows.map(({ environment }) => JSON.stringify(environment));
  const starts = new Uint32Array(texts.length);
  const ends = new Uint32Array(texts.length);
  let offset = 1;
  texts.forEach((text, i) => {
    starts[i] = offset;
    offset += Buffer.byteLength(text);
    ends[i] = offset;
    offset += 1;
  });
  return { all: Buffer.from(`[${texts.join(',')}]`), starts, ends };
}

/**
 * One environments revision, read once; each form is made the first time it is asked for. The
 * records themselves are let go once the list is serialised, unless selection has indexed them:
 * 10,000 of them are some 15 MB of small objects that every full garbage collection would walk
 * again while a list-only server never reads them. Selection then gets them back from the JSON.
 */
function snapshotOf(revision: number, read: readonly EnvironmentWithGrants[]): Snapshot {
  let rows: readonly EnvironmentWithGrants[] | null = read;
  const guids = read.map((row) => row.environment.guid);
  const grantsOf = read.map((row) => row.grants);
  let serialised: Serialised | null = null;
  let index: InstallationIndex | null = null;
  let grants: Map<string, readonly EnvironmentGrant[]> | null = null;
  const records = (): readonly EnvironmentWithGrants[] => {
    if (rows) return rows;
    const environments = JSON.parse(serialised!.all.toString('utf8')) as Environment[];
    return environments.map((environment, i) => ({ environment, grants: grantsOf[i]! }));
  };
  return {
    revision,
    grantsList: () => grantsOf,
    grants() {
      grants ??= new Map(guids.map((guid, i) => [guid, grantsOf[i]!]));
      return grants;
    },
    serialised() {
      if (!serialised) {
        serialised = serialise(rows!);
        // The index keeps the records it was built from; without one, nothing needs them now.
        if (!index) rows = null;
      }
      return serialised;
    },
    index() {
      index ??= buildInstallationIndex(records());
      return index;
    },
  };
}

/** The JSON array of the entries at `positions` (in order), cut out of the serialised whole list. */
function pick({ all, starts, ends }: Serialised, positions: readonly number[]): Buffer {
  const parts: Buffer[] = [OPEN];
  positions.forEach((position, i) => {
    if (i > 0) parts.push(COMMA);
    parts.push(all.subarray(starts[position], ends[position]));
  });
  parts.push(CLOSE);
  return Buffer.concat(parts);
}
const [OPEN, COMMA, CLOSE] = ['[', ',', ']'].map((text) => Buffer.from(text)) as [Buffer, Buffer, Buffer];

/**
 * Every environment with its grants, read from the store once per environments revision (bumped in
 * the same transaction as every write, by any process) and kept until it moves on:
 * - `GET /v1/environments` serialises thousands of records; doing that on every request costs
 *   about 3× the bytes' own send time, so the serialised list is kept;
 * - a deploy (and the explainer) selects among all of them: reading 10,000 rows per deploy costs
 *   more than the selection, so they share the rows and the installation index built from them.
 * The records are shared by every caller: nobody may change them.
 */
export function createEnvironmentListCache(store: Pick<Store, 'environments'>) {
  let snapshot: Snapshot | null = null;
  let building: Promise<Snapshot> | null = null;

  async function build(): Promise<Snapshot> {
    // Revision first: if a write lands between the two reads, the next request rebuilds.
    const revision = await store.environments.revision();
    return snapshotOf(revision, await store.environments.listWithGrants());
  }

  /** The snapshot at the current revision: `known` when the caller has just read it, else read now. */
  async function current(known?: number | null): Promise<Snapshot> {
    const revision = known ?? (await store.environments.revision());
    if (snapshot?.revision === revision) return snapshot;
    building ??= build().finally(() => {
      building = null;
    });
    snapshot = await building;
    return snapshot;
  }

  /**
   * A weak validator of what `actor` gets at `revision`: the list changes only with the revision,
   * and who sees which entries only with the caller's role, account and groups (their grants are
   * part of the revision).
   */
  function etagOf(actor: Actor, revision: number): string {
    if (can(actor, 'environments:read-all')) return `W/"environments-${revision}"`;
    const who = createHash('sha256').update(`${actor.role}\n${actor.guid}\n${[...actor.groupGuids].sort().join(',')}`).digest('base64url').slice(0, 16);
    return `W/"environments-${revision}-${who}"`;
  }

  /**
   * The list `actor` may see, with its ETag: a client whose copy has that ETag is answered 304
   * without the list being serialised or filtered at all. `revision`: the environments revision
   * the request read with its credentials, if it did.
   */
  async function list(actor: Actor, revision?: number | null): Promise<{ readonly etag: string; body(): Buffer }> {
    const snapshot = await current(revision);
    return {
      etag: etagOf(actor, snapshot.revision),
      body() {
        const serialised = snapshot.serialised();
        if (can(actor, 'environments:read-all')) return serialised.all;
        const grants = snapshot.grantsList();
        const visible = grants.flatMap((entryGrants, position) => (can(actor, 'environments:read', { grants: entryGrants }) ? [position] : []));
        return pick(serialised, visible);
      },
    };
  }

  return {
    /** The JSON bytes of the environments `actor` may see. */
    async listJson(actor: Actor): Promise<Buffer> {
      return (await list(actor)).body();
    },

    list,

    /** Each environment's grants as of the current revision, by GUID (whom an event about it may reach). */
    async grantsByGuid(): Promise<ReadonlyMap<string, readonly EnvironmentGrant[]>> {
      return (await current()).grants();
    },

    /**
     * Every environment with its grants, in creation order, as of the current revision, with the
     * installation index built from that very list: pass both to selectEnvironment.
     */
    async selectionIndex(): Promise<InstallationIndex> {
      return (await current()).index();
    },
  };
}
export type EnvironmentListCache = ReturnType<typeof createEnvironmentListCache>;
