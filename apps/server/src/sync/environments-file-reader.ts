import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import YAML from 'yaml';

export type FileRead =
  | { readonly kind: 'missing' }
  | { readonly kind: 'unreadable'; readonly message: string }
  | { readonly kind: 'read'; readonly text: string; readonly hash: string };

/**
 * Reads the file through any symlinks: a Kubernetes ConfigMap mount swaps a `..data` link
 * atomically, and reading by path always sees the current target.
 */
export async function readEnvironmentsFileText(path: string): Promise<FileRead> {
  try {
    const text = await readFile(path, 'utf8');
    return { kind: 'read', text, hash: createHash('sha256').update(text).digest('hex') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'unreadable', message: `cannot read ${path}: ${(error as Error).message}` };
  }
}

/**
 * What the file looks like without reading it: size, modification time and inode of its final
 * target. Polls compare this first and read (and hash) only when it moved.
 */
export async function fileSignature(path: string): Promise<string | null> {
  try {
    const info = await stat(path, { bigint: true });
    return `${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
  } catch {
    return null;
  }
}

/** YAML or JSON: JSON goes through the much faster JSON parser; both yield the same document. */
export function parseDocument(text: string): { ok: true; document: unknown } | { ok: false; message: string } {
  const trimmed = text.trimStart();
  try {
    if (trimmed.startsWith('[') || trimmed.startsWith('{')) return { ok: true, document: JSON.parse(text) };
  } catch {
    // Flow-style YAML also starts with [ or {: fall through to the YAML parser.
  }
  try {
    const document = YAML.parse(text, { prettyErrors: true, maxAliasCount: 1000 }) as unknown;
    return { ok: true, document };
  } catch (error) {
    return { ok: false, message: `not valid YAML or JSON: ${(error as Error).message}` };
  }
}
