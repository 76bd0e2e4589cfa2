import * as z from 'zod/mini';
import { ApiError, ErrorCode, type Result, err } from '../errors.js';
import { lineOfText, parseInput } from '../validation.js';

const field = (max: number) => z.optional(z.nullable(lineOfText({ trim: true }).check(z.maxLength(max))));

/**
 * Where a bundle's files came from, as rsconnect-python sends it in the multipart part `metadata`
 * (`source: "git"`, the repository, branch and commit). Kept on the bundle and answered in its
 * `metadata`, as Connect does; keys Connect does not define are ignored.
 */
export const BundleSourceSchema = z.pipe(
  z.object({ source: field(64), source_repo: field(2048), source_branch: field(255), source_commit: field(255) }),
  z.transform((value) => ({
    source: value.source || null,
    source_repo: value.source_repo || null,
    source_branch: value.source_branch || null,
    source_commit: value.source_commit || null,
  })),
);
export type BundleSource = z.output<typeof BundleSourceSchema>;

export const NO_BUNDLE_SOURCE: BundleSource = { source: null, source_repo: null, source_branch: null, source_commit: null };

/** rsconnect-python's git metadata is a few hundred bytes; a part far larger is not it. */
export const BUNDLE_SOURCE_MAX_BYTES = 64 * 1024;

/** Bytes of `text` in UTF-8 (the domain runs in browsers too, without Buffer). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** The `metadata` part's text (null when the upload has none), or a 400 naming the field that is wrong. */
export function parseBundleSource(text: string | null): Result<BundleSource> {
  if (text === null) return { ok: true, value: NO_BUNDLE_SOURCE };
  if (utf8Length(text) > BUNDLE_SOURCE_MAX_BYTES) {
    return err(new ApiError(ErrorCode.BadRequest, `The multipart part "metadata" is larger than ${BUNDLE_SOURCE_MAX_BYTES} bytes.`, { field: 'metadata' }));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return err(new ApiError(ErrorCode.BadRequest, 'The multipart part "metadata" is not JSON.', { field: 'metadata' }));
  }
  const parsed = parseInput(BundleSourceSchema, json);
  if (parsed.ok) return parsed;
  const inner = parsed.error.payload as { field: string | null } | null;
  const name = inner?.field ? `metadata.${inner.field}` : 'metadata';
  return err(new ApiError(ErrorCode.BadRequest, `Invalid ${name}: ${parsed.error.message.replace(/^Invalid [^:]*: /, '')}`, { field: name }));
}
