import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import yaml from 'js-yaml';

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

/**
 * YAML or JSON. js-yaml reads a 10,000-entry file in about 0.1 s (the `yaml` package took 1.4 s);
 * JSON goes through JSON.parse, faster still.
 */
export function parseDocument(
  text: string,
  // The core schema: YAML 1.2's JSON-like types, so `2024-01-01` stays text, never a Date.
  readYaml: (text: string) => unknown = (yamlText) => yaml.load(yamlText, { schema: yaml.CORE_SCHEMA }),
): ParsedDocument {
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

const notYamlNorJson = (error: unknown): ParsedDocument => ({ ok: false, message: `not valid YAML or JSON: ${(error as Error).message}` });

/** YAML for people to read and edit (the export and convert-legacy commands). */
export function toYaml(document: unknown): string {
  return yaml.dump(document, { noRefs: true, lineWidth: -1, schema: yaml.CORE_SCHEMA });
}
