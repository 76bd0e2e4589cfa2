import type { Tag } from '@envdesk/domain';
import type { ContentRecord } from '../content/content-store.js';
import type { Store } from '../db/store.js';
import { presentTag } from './tags-store.js';

/**
 * What `?include=` adds to content beyond its record: its tags, its vanity URL's path. As in
 * Connect, each is present only when the content has some (posit-sdk checks that it is absent).
 */
export interface ContentExtras {
  tags?: Tag[];
  vanity_url?: string;
}

/** The names `include` lists (`tags,owner,vanity_url`); unknown ones are ignored, `owner` is always shown. */
const includedNames = (include: unknown): Set<string> =>
  new Set((typeof include === 'string' ? include : '').split(',').map((name) => name.trim()));

/** Ids in slices small enough for one query's parameters on either database. */
const CHUNK = 1_000;
const chunksOf = (ids: readonly number[]) => Array.from({ length: Math.ceil(ids.length / CHUNK) }, (_, index) => ids.slice(index * CHUNK, (index + 1) * CHUNK));

/** Extras for each content item, by id: a query per kind asked for and thousand items. */
export function createContentIncludes({ store }: { store: Pick<Store, 'tags' | 'vanities'> }) {
  return {
    async of(records: readonly ContentRecord[], include: unknown): Promise<Map<number, ContentExtras>> {
      const names = includedNames(include);
      const extras = new Map<number, ContentExtras>(records.map((record) => [record.id, {}]));
      const ids = records.map((record) => record.id);
      if (names.has('tags')) {
        for (const chunk of chunksOf(ids)) {
          for (const [id, records] of await store.tags.ofContents(chunk)) if (records.length > 0) extras.get(id)!.tags = records.map(presentTag);
        }
      }
      if (names.has('vanity_url')) {
        for (const chunk of chunksOf(ids)) {
          for (const [id, vanity] of await store.vanities.ofContents(chunk)) extras.get(id)!.vanity_url = vanity.path;
        }
      }
      return extras;
    },
  };
}
export type ContentIncludes = ReturnType<typeof createContentIncludes>;
