import { type Actor, can } from '@envdesk/domain';
import type { Store } from '../db/store.js';
import type { EnvironmentGrant } from '@envdesk/domain';

interface Snapshot {
  readonly revision: number;
  /** The whole list as administrators get it, serialised once. */
  readonly all: Buffer;
  readonly entries: ReadonlyArray<{ readonly json: string; readonly grants: readonly EnvironmentGrant[] }>;
}

/**
 * `GET /v1/environments` serialises thousands of records; doing that on every request costs
 * about 3× the bytes' own send time. The serialised list is kept until the environments
 * revision (bumped in the same transaction as every write, by any process) moves on.
 */
export function createEnvironmentListCache(store: Pick<Store, 'environments'>) {
  let snapshot: Snapshot | null = null;
  let building: Promise<Snapshot> | null = null;

  async function build(): Promise<Snapshot> {
    // Revision first: if a write lands between the two reads, the next request rebuilds.
    const revision = await store.environments.revision();
    const rows = await store.environments.listWithGrants();
    const entries = rows.map(({ environment, grants }) => ({ json: JSON.stringify(environment), grants }));
    return { revision, entries, all: Buffer.from(`[${entries.map((entry) => entry.json).join(',')}]`) };
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

  return {
    /** The JSON bytes of the environments `actor` may see. */
    async listJson(actor: Actor): Promise<Buffer> {
      const { all, entries } = await current();
      if (can(actor, 'environments:read-all')) return all;
      const visible = entries.filter((entry) => can(actor, 'environments:read', entry)).map((entry) => entry.json);
      return Buffer.from(`[${visible.join(',')}]`);
    },
  };
}
