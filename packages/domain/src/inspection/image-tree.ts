/**
 * An image's merged file system as inspection reads it: what its layers leave once applied in
 * order (whiteouts and opaque folders honoured, hard links resolved), with only the entries'
 * kinds, the targets of symbolic links, and the contents of the few small files that hold
 * versions (`holdsVersion`). The server builds it from tar headers; tests build it in memory.
 */
export type ImageTreeEntry =
  | { readonly kind: 'directory' }
  | { readonly kind: 'file'; readonly executable: boolean; readonly size: number; /** Only for files `holdsVersion` picks. */ readonly content?: string }
  | { readonly kind: 'symlink'; readonly target: string };

export interface ImageTree {
  /** The entry at an absolute, normalised path (`/opt/R/4.4.1`), without following a final symbolic link. */
  entry(path: string): ImageTreeEntry | undefined;
  /** The names directly inside a folder, sorted; empty when it is not a folder. */
  children(path: string): readonly string[];
}

/** What the image's config says that inspection uses. */
export interface ImageConfigFacts {
  /** The `PATH` from the config's `Env`, or null when it sets none. */
  readonly path: string | null;
}
