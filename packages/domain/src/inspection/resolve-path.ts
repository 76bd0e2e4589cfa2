import type { ImageTree, ImageTreeEntry } from './image-tree.js';

/** Linux's own cap on symbolic links followed while resolving one path (`ELOOP`). */
export const MAX_SYMLINKS = 40;

/**
 * The canonical path of `path` in the image, as `readlink -f` gives it inside a running container:
 * every symbolic link followed (relative targets against the link's folder, absolute ones against
 * the image's root, links in intermediate folders too), `.` and `..` applied to the resolved
 * folders. Null when something on the way is missing, a file stands where a folder is needed, or
 * the links loop (more than `MAX_SYMLINKS` followed).
 */
export function canonicalPath(tree: ImageTree, path: string): string | null {
  const resolved: string[] = [];
  // Components still to walk, last first, so a link's target is pushed in front of the rest cheaply.
  const pending = components(path).reverse();
  let followed = 0;
  while (pending.length > 0) {
    const part = pending.pop() as string;
    if (part === '.') continue;
    if (part === '..') {
      resolved.pop();
      continue;
    }
    const here = `/${[...resolved, part].join('/')}`;
    const entry = tree.entry(here);
    if (entry === undefined) return null;
    if (entry.kind === 'symlink') {
      followed += 1;
      if (followed > MAX_SYMLINKS || entry.target === '') return null;
      if (entry.target.startsWith('/')) resolved.length = 0;
      pending.push(...components(entry.target).reverse());
      continue;
    }
    if (entry.kind === 'file' && pending.some((rest) => rest !== '.')) return null;
    resolved.push(part);
  }
  return `/${resolved.join('/')}`;
}

/** The entry `path` leads to once every symbolic link is followed (never a symlink itself). */
export function resolvedEntry(tree: ImageTree, path: string): { path: string; entry: ImageTreeEntry } | null {
  const canonical = canonicalPath(tree, path);
  if (canonical === null) return null;
  const entry = canonical === '/' ? ({ kind: 'directory' } as const) : tree.entry(canonical);
  return entry === undefined ? null : { path: canonical, entry };
}

/** `test -d`: a folder, following links. */
export const isDirectory = (tree: ImageTree, path: string): boolean => resolvedEntry(tree, path)?.entry.kind === 'directory';

/** `test -x` for a program: an executable file, following links. */
export function isExecutableFile(tree: ImageTree, path: string): boolean {
  const entry = resolvedEntry(tree, path)?.entry;
  return entry?.kind === 'file' && entry.executable;
}

/** The names a shell's `FOLDER/*` expands to: the folder's entries (through links), dot-files left out. */
export function globChildren(tree: ImageTree, folder: string): string[] {
  const canonical = canonicalPath(tree, folder);
  if (canonical === null) return [];
  return tree.children(canonical).filter((name) => !name.startsWith('.'));
}

export function dirname(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export const joinPath = (folder: string, ...names: string[]): string =>
  [folder === '/' ? '' : folder, ...names].join('/');

function components(path: string): string[] {
  return path.split('/').filter((part) => part !== '');
}
