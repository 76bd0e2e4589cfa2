import { ApiError, ErrorCode, type Manifest, parseManifest } from '@envdesk/domain';

/** Real manifests nest five or six levels deep; far below what recursion on the stack tolerates. */
export const MAX_MANIFEST_DEPTH = 64;

const invalidManifest = (message: string) => new ApiError(ErrorCode.InvalidManifest, message, { field: 'manifest.json' });

/**
 * How deeply the JSON text nests arrays and objects, counted on the raw text (strings skipped)
 * and given up past `limit`: checked before JSON.parse, so `[[[[…` 500,000 deep never reaches the
 * parser or the schema, whose walks recurse.
 */
export function nestingDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c) i++; // a backslash escapes the next character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) {
      depth++;
      if (depth > limit) return true;
    } else if (char === 0x5d || char === 0x7d) depth--;
  }
  return false;
}

/** The bundle's manifest.json, checked by the manifest schema; throws an ApiError naming what is wrong. */
export function readManifest(text: string | null): Manifest {
  if (text === null) throw invalidManifest('The bundle has no manifest.json at its top level.');
  if (nestingDeeperThan(text, MAX_MANIFEST_DEPTH)) {
    throw invalidManifest(`manifest.json nests arrays and objects more than ${MAX_MANIFEST_DEPTH} levels deep.`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw invalidManifest(`manifest.json is not valid JSON: ${(error as Error).message}`);
  }
  const manifest = parseManifest(document);
  if (!manifest.ok) throw invalidManifest(manifest.error);
  return manifest.value;
}
