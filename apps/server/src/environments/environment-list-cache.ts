import { createHash } from 'node:crypto';
import { type Actor, type EnvironmentGrant, type InstallationIndex, buildInstallationIndex, can } from '@envdesk/domain';
import type { Store } from '../db/store.js';
import type { EnvironmentWithGrants } from './environments-store.js';

interface Serialised {
  /** The whole list as administrators get it, serialised once. */
  readonly all: Buffer;
  readonly entries: ReadonlyArray<{ readonly json: string; readonly grants: readonly EnvironmentGrant[] }>;
}

interface Snapshot {
  readonly revision: number;
  serialised(): Serialised;
  index(): InstallationIndex;
  grants(): ReadonlyMap<string, readonly EnvironmentGrant[]>;
}

/** One environments revision, read once; each form is made the first time it is asked for. */
function snapshotOf(revision: number, rows: readonly EnvironmentWithGrants[]): Snapshot {
  let serialised: Serialised | null = null;
  let index: InstallationIndex | null = null;
  let grants: Map<string, readonly EnvironmentGrant[]> | null = null;
  return {
    revision,
    grants() {
      grants ??= new Map(rows.map((row) => [row.environment.guid, row.grants]));
      return grants;
    },
    serialised() {
      if (!serialised) {
        const entries = rows.map(({ environment, grants }) => ({ json: JSON.stringify(environment), grants }));
        serialised = { entries, all: Buffer.from(`[${entries.map((entry) => entry.json).join(',')}]`) };
      }
      return serialised;
    },
    index() {
      index ??= buildInstallationIndex(rows);
      return index;
    },
  };
}

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

  async function current(): Promise<Snapshot> {
    const revision = await store.environments.revision();
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
   * without the list being serialised or filtered at all.
   */
  async function list(actor: Actor): Promise<{ readonly etag: string; body(): Buffer }> {
    const snapshot = await current();
    return {
      etag: etagOf(actor, snapshot.revision),
      body() {
        const { all, entries } = snapshot.serialised();
        if (can(actor, 'environments:read-all')) return all;
        const visible = entries.filter((entry) => can(actor, 'environments:read', entry)).map((entry) => entry.json);
        return Buffer.from(`[${visible.join(',')}]`);
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
