import * as z from 'zod/mini';
import { ApiError, ErrorCode } from '../errors.js';
import { type Environment, EnvironmentSchema } from './environment-schemas.js';

/**
 * Which version of an environment a client holds.
 *
 * Design: the version IS `updated_time`. Connect writes times to the second, so two saves within
 * one second would share a time; the store therefore never lets a write give a row an
 * `updated_time` that is not strictly later than the one it had ({@link nextUpdatedTime}). Every
 * write of the record thus changes `updated_time`, and the ETag is that time quoted. Why not a
 * hash or a hidden counter: the list answers `updated_time` for every entry, so a client holding
 * an ETag can tell from the list alone whether an entry is still the version it has, without a
 * field Connect does not have. The ETag is strong: the record's bytes change only through writes,
 * and every write moves the time. Permissions are not part of the record, so they do not move it.
 */
export function environmentEtag(environment: Pick<Environment, 'updated_time'>): string {
  return `"${environment.updated_time}"`;
}

const rfc3339Seconds = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The `updated_time` a write stamps: now, or one second after the previous one when now is not
 * later (several saves within a second, or a replica whose clock lags). It may run a few seconds
 * ahead of the wall clock after a burst of saves; that is the price of a second-precision time
 * that still tells every version apart.
 */
export function nextUpdatedTime(previous: string, now: string): string {
  const previousMs = Date.parse(previous);
  const nowMs = Math.floor(Date.parse(now) / 1000) * 1000;
  if (Number.isNaN(previousMs) || nowMs > previousMs) return rfc3339Seconds(new Date(nowMs));
  return rfc3339Seconds(new Date(Math.floor(previousMs / 1000) * 1000 + 1000));
}

export type IfMatch = { kind: 'absent' } | { kind: 'any' } | { kind: 'tags'; tags: string[] } | { kind: 'malformed' };

const ENTITY_TAG = /^\s*(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"\s*(?:,|$)/;

/** Parses an `If-Match` header (RFC 9110 §13.1.1): `*`, or a list of entity tags. */
export function parseIfMatch(header: string | undefined): IfMatch {
  if (header === undefined || header.trim() === '') return { kind: 'absent' };
  if (header.trim() === '*') return { kind: 'any' };
  const tags: string[] = [];
  let rest = header;
  while (rest.trim() !== '') {
    const match = ENTITY_TAG.exec(rest);
    if (!match) return { kind: 'malformed' };
    // If-Match compares strongly: a weak tag never matches (RFC 9110 §13.1.1).
    if (!match[1]) tags.push(`"${match[2]}"`);
    rest = rest.slice(match[0].length);
  }
  return { kind: 'tags', tags };
}

/** Does the precondition hold for an existing record whose ETag is `etag`? Absent means "no condition". */
export function ifMatchHolds(condition: IfMatch, etag: string): boolean {
  switch (condition.kind) {
    case 'absent':
    case 'any':
      return true;
    case 'tags':
      return condition.tags.includes(etag);
    case 'malformed':
      return false;
  }
}

export const EnvironmentEditorSchema = z.object({ guid: z.string(), username: z.string() });
export type EnvironmentEditor = z.infer<typeof EnvironmentEditorSchema>;

/** The payload of a 412: what the tab needs to show what changed, and to overwrite on purpose. */
export const EditConflictPayloadSchema = z.object({
  reason: z.literal('stale'),
  etag: z.string(),
  environment: EnvironmentSchema,
  /** Who wrote the current version, when a user did (null: created before this was kept, or the file). */
  updated_by: z.nullable(EnvironmentEditorSchema),
});
export type EditConflictPayload = z.infer<typeof EditConflictPayloadSchema>;

export const PRECONDITION_FAILED = 412;

/** 412: the client's If-Match names a version that is no longer the current one. */
export const editConflict = (environment: Environment, updatedBy: EnvironmentEditor | null): ApiError => {
  const payload: EditConflictPayload = { reason: 'stale', etag: environmentEtag(environment), environment, updated_by: updatedBy };
  const who = updatedBy ? ` by ${updatedBy.username}` : '';
  return new ApiError(
    ErrorCode.BadRequest,
    `This environment was changed${who} since you loaded it (If-Match does not match ${payload.etag}); nothing was changed. Load it again, or send its current ETag to overwrite.`,
    payload,
    PRECONDITION_FAILED,
  );
};

export const malformedIfMatch = (): ApiError =>
  new ApiError(ErrorCode.BadRequest, 'The If-Match header is not "*" or a list of quoted entity tags.', { field: 'If-Match' });
