import { ApiError, ErrorCode } from '@envdesk/domain';

/** Why a registry read failed; the error's payload carries it as `reason` with the `registry`. */
export type RegistryFailure =
  | 'unauthorized'
  | 'not-found'
  | 'too-large'
  | 'timeout'
  | 'refused-host'
  | 'digest-mismatch'
  | 'unreachable'
  | 'bad-response'
  | 'invalid-reference';

const codeAndStatus: Record<RegistryFailure, { code: ErrorCode; status?: number }> = {
  // Not 401: that would tell envdesk's own client that *its* session is gone.
  unauthorized: { code: ErrorCode.PermissionDenied },
  'not-found': { code: ErrorCode.ObjectDoesNotExist },
  'too-large': { code: ErrorCode.InvalidParameter, status: 413 },
  timeout: { code: ErrorCode.BadRequest, status: 504 },
  'refused-host': { code: ErrorCode.InvalidParameter },
  'digest-mismatch': { code: ErrorCode.BadRequest, status: 502 },
  unreachable: { code: ErrorCode.BadRequest, status: 502 },
  'bad-response': { code: ErrorCode.BadRequest, status: 502 },
  'invalid-reference': { code: ErrorCode.InvalidParameter },
};

/**
 * An ApiError about a registry. Messages name the registry and repository, never credentials,
 * tokens or the URLs of storage redirects (those carry signatures).
 */
export function registryError(reason: RegistryFailure, registry: string, message: string): ApiError {
  const { code, status } = codeAndStatus[reason];
  return new ApiError(code, message, { reason, registry }, status);
}

export function registryFailureOf(error: unknown): RegistryFailure | null {
  if (!(error instanceof ApiError) || error.payload === null) return null;
  const reason = error.payload['reason'];
  return typeof reason === 'string' && reason in codeAndStatus ? (reason as RegistryFailure) : null;
}
