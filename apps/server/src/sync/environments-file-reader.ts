import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import yaml from 'js-yaml';
import { DEFAULT_ENVIRONMENTS_MAX_BYTES } from './environments-file-limits.js';

export type FileRead =
  | { readonly kind: 'missing' }
  | { readonly kind: 'unreadable'; readonly message: string }
  | { readonly kind: 'read'; readonly text: string; readonly hash: string };


const tooLarge = (path: string, bytes: number, maxBytes: number) =>
  `the environments file ${path} is ${bytes} bytes, over the limit of ${maxBytes} bytes (ENVDESK_ENVIRONMENTS_MAX_BYTES)`;

/**
 * Reads the file through any symlinks: a Kubernetes ConfigMap mount swaps a `..data` link
 * atomically, and reading by path always sees the current target. A file over `maxBytes` is refused
 * from its size alone, before any of it is read (issue 9 § 2).
 */
export async function readEnvironmentsFileText(path: string, maxBytes = DEFAULT_ENVIRONMENTS_MAX_BYTES): Promise<FileRead> {
  try {
    // Non-blocking, so that a named pipe in its place is refused below instead of waiting for a writer.
    const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const info = await handle.stat();
      // A device (/dev/zero) or a pipe has no size to check and may never end.
      if (!info.isFile()) return { kind: 'unreadable', message: `the environments file ${path} is not a regular file` };
      const { size } = info;
      if (size > maxBytes) return { kind: 'unreadable', message: tooLarge(path, size, maxBytes) };
      const bytes = await handle.readFile();
      // It may have grown between the stat and the read.
      if (bytes.length > maxBytes) return { kind: 'unreadable', message: tooLarge(path, bytes.length, maxBytes) };
      const text = bytes.toString('utf8');
      return { kind: 'read', text, hash: createHash('sha256').update(text).digest('hex') };
    } finally {
      await handle.close();
    }
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

/**
 * How many values YAML aliases may add to a document beyond those written out. An alias is a
 * reference in what js-yaml answers, so parsing a "billion laughs" bomb is quick; everything after
 * (validation, the memo's JSON, the database) walks it as a tree, and 682 bytes become 10^10 values.
 * An honest file sharing one installations list across 10,000 entries adds about 100,000.
 */
export const ALIAS_EXPANSION_MAX_VALUES = 1_000_000;

/** A document that parsed but is refused whole: its aliases expand too far, or refer to themselves. */
class RefusedDocument extends Error {}

/**
 * How many values the document holds once every alias is expanded, beyond those written out
 * (counted once per distinct list or mapping), or why it cannot be expanded. Walks the parsed graph
 * without recursion, counting each shared node once, so measuring a bomb takes microseconds.
 */
export function aliasExpansionProblem(document: unknown, maxExtraValues = ALIAS_EXPANSION_MAX_VALUES): string | null {
  const childrenOf = (node: object): unknown[] => (Array.isArray(node) ? node : Object.values(node));
  const isNode = (value: unknown): value is object => typeof value === 'object' && value !== null;
  if (!isNode(document)) return null;
  /** Values under (and including) each finished node, as a tree. */
  const expanded = new Map<object, number>();
  const open = new Set<object>();
  let written = 1;
  const stack: Array<{ node: object; leaving: boolean }> = [{ node: document, leaving: false }];
  while (stack.length > 0) {
    const { node, leaving } = stack.pop()!;
    const children = childrenOf(node);
    if (leaving) {
      let total = 1;
      for (const child of children) total += isNode(child) ? expanded.get(child)! : 1;
      expanded.set(node, total);
      open.delete(node);
      if (total - written > maxExtraValues) {
        return `refused: its YAML aliases expand it by more than ${maxExtraValues} values (the limit on alias expansion)`;
      }
      continue;
    }
    if (expanded.has(node)) continue;
    if (open.has(node)) return 'refused: a YAML alias refers to a node that contains it';
    open.add(node);
    written += children.length;
    stack.push({ node, leaving: true });
    for (const child of children) if (isNode(child) && !expanded.has(child)) stack.push({ node: child, leaving: false });
  }
  return null;
}

/**
 * js-yaml with the core schema (YAML 1.2's JSON-like types, so `2024-01-01` stays text, never a
 * Date), refusing documents whose aliases expand too far.
 */
export function loadYaml(text: string): unknown {
  const document = yaml.load(text, { schema: yaml.CORE_SCHEMA });
  // Without an alias nothing is shared, and the walk is skipped.
  if (!text.includes('*')) return document;
  const problem = aliasExpansionProblem(document);
  if (problem) throw new RefusedDocument(problem);
  return document;
}

/**
 * YAML or JSON. js-yaml reads a 10,000-entry file in about 0.1 s (the `yaml` package took 1.4 s);
 * JSON goes through JSON.parse, faster still.
 */
export function parseDocument(text: string, readYaml: (text: string) => unknown = loadYaml): ParsedDocument {
  const json = parseJson(text);
  if (json) return json;
  try {
    return { ok: true, document: readYaml(text) };
  } catch (error) {
    return notYamlNorJson(error);
  }
}

/** parseDocument with a YAML reader that works in slices (the sync's, which pauses between items). */
export async function parseDocumentInSlices(text: string, readYaml: (text: string) => Promise<unknown>): Promise<ParsedDocument> {
  const json = parseJson(text);
  if (json) return json;
  try {
    return { ok: true, document: await readYaml(text) };
  } catch (error) {
    return notYamlNorJson(error);
  }
}

type ParsedDocument = { ok: true; document: unknown } | { ok: false; message: string };

function parseJson(text: string): ParsedDocument | null {
  const trimmed = text.trimStart();
  try {
    if (trimmed.startsWith('[') || trimmed.startsWith('{')) return { ok: true, document: JSON.parse(text) };
  } catch {
    // Flow-style YAML also starts with [ or {: fall through to the YAML parser.
  }
  return null;
}

const notYamlNorJson = (error: unknown): ParsedDocument => ({
  ok: false,
  message: error instanceof RefusedDocument ? error.message : `not valid YAML or JSON: ${(error as Error).message}`,
});

/** YAML for people to read and edit (the export and convert-legacy commands). */
export function toYaml(document: unknown): string {
  return yaml.dump(document, { noRefs: true, lineWidth: -1, schema: yaml.CORE_SCHEMA });
}
