import type { LayerChange } from './layer-reader.js';

/**
 * What layers held, remembered by digest (issue 12: "a second image on the same base reads only
 * its own layers"). A digest names content, so a remembered layer is the same whatever image or
 * source it comes from; only layers whose digest was verified are remembered. The least recently
 * used layers are forgotten once the entries remembered pass `maxEntries`. A layer is remembered
 * with the file contents `holdsVersion` kept, so one cache serves one `holdsVersion`.
 */
export interface LayerCache {
  get(digest: string): readonly LayerChange[] | undefined;
  set(digest: string, changes: readonly LayerChange[]): void;
}

/** About 200 bytes an entry: the default holds a few large images' worth in ~200 MB. */
export const DEFAULT_LAYER_CACHE_ENTRIES = 1_000_000;

export function createLayerCache(maxEntries = DEFAULT_LAYER_CACHE_ENTRIES): LayerCache {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const layers = new Map<string, readonly LayerChange[]>();
  let entries = 0;
  return {
    get(digest) {
      const changes = layers.get(digest);
      if (changes) {
        layers.delete(digest);
        layers.set(digest, changes);
      }
      return changes;
    },
    set(digest, changes) {
      if (changes.length > maxEntries) return;
      const previous = layers.get(digest);
      if (previous) {
        entries -= previous.length;
        layers.delete(digest);
      }
      layers.set(digest, changes);
      entries += changes.length;
      for (const [oldest, held] of layers) {
        if (entries <= maxEntries) break;
        layers.delete(oldest);
        entries -= held.length;
      }
    },
  };
}
