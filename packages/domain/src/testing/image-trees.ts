import type { ImageTree, ImageTreeEntry } from '../inspection/image-tree.js';

/** An executable file (`bin/R`, `bin/python3.12`). */
export const executable: ImageTreeEntry = { kind: 'file', executable: true, size: 1024 };
/** An empty folder (folders holding other entries are made implicitly). */
export const directory: ImageTreeEntry = { kind: 'directory' };
/** A plain file, with the content the layer reader kept (version files) or none. */
export const file = (content?: string): ImageTreeEntry =>
  content === undefined ? { kind: 'file', executable: false, size: 0 } : { kind: 'file', executable: false, size: content.length, content };
export const symlink = (target: string): ImageTreeEntry => ({ kind: 'symlink', target });

/**
 * An in-memory image tree from absolute paths: `anImageTree({'/opt/R/4.4.1/bin/R': executable,
 * '/usr/bin/python3': symlink('python3.11')})`. Folders above each path exist unless given.
 */
export function anImageTree(entries: Readonly<Record<string, ImageTreeEntry>>): ImageTree {
  const byPath = new Map<string, ImageTreeEntry>();
  const children = new Map<string, Set<string>>();
  for (const [path, entry] of Object.entries(entries)) {
    if (!path.startsWith('/') || path.endsWith('/')) throw new Error(`not an absolute, normalised path: ${path}`);
    byPath.set(path, entry);
    let child = path;
    while (child !== '/') {
      const cut = child.lastIndexOf('/');
      const parent = cut === 0 ? '/' : child.slice(0, cut);
      const names = children.get(parent) ?? new Set<string>();
      names.add(child.slice(cut + 1));
      children.set(parent, names);
      if (parent !== '/' && !(parent in entries)) byPath.set(parent, directory);
      child = parent;
    }
  }
  return {
    entry: (path) => byPath.get(path),
    children: (path) => (byPath.get(path)?.kind === 'directory' || path === '/' ? [...(children.get(path) ?? [])].sort() : []),
  };
}
