import type { ImageTree, ImageTreeEntry } from '@envdesk/domain';
import type { LayerChange } from './layer-reader.js';

interface Node {
  entry: ImageTreeEntry;
  /** Only for folders. */
  children?: Map<string, Node>;
}

const folder = (): Node => ({ entry: { kind: 'directory' }, children: new Map() });
const segmentsOf = (path: string) => path.split('/').filter((part) => part !== '' && part !== '.');

/** Symbolic links followed while looking a path up before giving up (Linux's own limit). */
const MAX_LINK_HOPS = 40;

/**
 * An image's file system, built by applying its layers in order (OCI image-spec `layer.md`
 * § Applying changesets): a layer's whiteouts and opaque folders remove what the layers below
 * left, then its entries are laid on top, a folder over a folder keeping what is inside it.
 */
export class MergedTree implements ImageTree {
  private readonly root = folder();
  /** The folder the last entry was put in, by the path written: a layer lists a folder's entries together. */
  private lastFolder: { readonly path: string; readonly node: Node } | null = null;

  apply(changes: readonly LayerChange[]): void {
    // Whiteouts and opaque folders below may take the remembered folder out of the tree.
    this.lastFolder = null;
    // A whiteout hides only lower layers' files, whatever its place in the tar.
    for (const change of changes) {
      if (change.kind === 'whiteout') this.remove(change.path);
      else if (change.kind === 'opaque') {
        const node = this.node(segmentsOf(change.path));
        if (node?.children) node.children.clear();
      }
    }
    for (const change of changes) {
      if (change.kind === 'put') this.put(change.path, change.entry);
      else if (change.kind === 'hardlink') {
        // The target is an earlier entry of this layer or a file of a lower one; a hard link shares its file.
        const target = this.node(segmentsOf(change.target))?.entry;
        this.put(change.path, target && target.kind === 'file' ? target : { kind: 'file', executable: false, size: 0 });
      }
    }
  }

  entry(path: string): ImageTreeEntry | undefined {
    return this.resolve(segmentsOf(path), false)?.entry;
  }

  children(path: string): readonly string[] {
    const node = this.resolve(segmentsOf(path), true);
    return node?.children ? [...node.children.keys()].sort() : [];
  }

  /** The node at exactly these segments, following no links. */
  private node(segments: readonly string[]): Node | undefined {
    let node: Node | undefined = this.root;
    for (const segment of segments) node = node?.children?.get(segment);
    return node;
  }

  /** Looks a path up following symbolic links in its folders (and at its end when asked), as the kernel does. */
  private resolve(segments: readonly string[], followLast: boolean): Node | undefined {
    const pending = [...segments];
    const stack: Node[] = [this.root];
    let hops = 0;
    while (pending.length > 0) {
      const segment = pending.shift()!;
      if (segment === '..') {
        if (stack.length > 1) stack.pop();
        continue;
      }
      const node = stack[stack.length - 1]!.children?.get(segment);
      if (!node) return undefined;
      if (node.entry.kind === 'symlink' && (pending.length > 0 || followLast)) {
        hops += 1;
        if (hops > MAX_LINK_HOPS) return undefined;
        if (node.entry.target.startsWith('/')) stack.splice(1);
        pending.unshift(...segmentsOf(node.entry.target));
        continue;
      }
      stack.push(node);
    }
    return stack[stack.length - 1];
  }

  private remove(path: string): void {
    const segments = segmentsOf(path);
    const parent = this.node(segments.slice(0, -1));
    parent?.children?.delete(segments[segments.length - 1]!);
  }

  private put(path: string, entry: ImageTreeEntry): void {
    const slash = path.lastIndexOf('/');
    const folderPath = slash === -1 ? '' : path.slice(0, slash);
    const name = path.slice(slash + 1);
    if (name === '' || name === '.' || name === '..') return this.putBySegments(segmentsOf(path), entry);
    let parent: Node;
    if (this.lastFolder?.path === folderPath) parent = this.lastFolder.node;
    else {
      parent = this.folderFor(segmentsOf(folderPath));
      this.lastFolder = { path: folderPath, node: parent };
    }
    // The remembered folder stays in the tree: what is put here is its child, never it or a folder above it.
    this.putIn(parent, name, entry);
  }

  private putBySegments(segments: readonly string[], entry: ImageTreeEntry): void {
    if (segments.length === 0) return;
    this.lastFolder = null;
    this.putIn(this.folderFor(segments.slice(0, -1)), segments[segments.length - 1]!, entry);
  }

  /** The folder at these segments, made where missing. */
  private folderFor(segments: readonly string[]): Node {
    let parent = this.root;
    for (const segment of segments) {
      let next = parent.children!.get(segment);
      // A layer's folder whose lower-layer namesake is not a folder replaces it (the tar is unpacked as written).
      if (!next?.children) {
        next = folder();
        parent.children!.set(segment, next);
      }
      parent = next;
    }
    return parent;
  }

  private putIn(parent: Node, name: string, entry: ImageTreeEntry): void {
    const existing = parent.children!.get(name);
    if (entry.kind === 'directory') {
      if (!existing?.children) parent.children!.set(name, folder());
      return;
    }
    parent.children!.set(name, { entry });
  }
}
