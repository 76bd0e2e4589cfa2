import { ApiError, type EditConflictPayload, EditConflictPayloadSchema, PRECONDITION_FAILED } from '@envdesk/domain';

/**
 * The 412's payload, or null when `error` is not a stale-version refusal: someone saved the
 * environment after it was opened. Apart from the form's comparison, so the list (which only says
 * who changed it) does not download the form's code.
 */
export function editConflictFrom(error: unknown): EditConflictPayload | null {
  if (!(error instanceof ApiError) || error.status !== PRECONDITION_FAILED) return null;
  const parsed = EditConflictPayloadSchema.safeParse(error.payload);
  return parsed.success ? parsed.data : null;
}
