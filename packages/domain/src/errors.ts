/**
 * Connect's numeric error codes: the 1-based position in the OpenAPI `APIErrorCode` enum
 * (see spec/connect-api-reference.md §1). Clients branch on these numbers, so they are wire contract.
 */
export const ErrorCode = {
  InternalFailure: 1,
  BadRequest: 2,
  InvalidId: 3,
  ObjectDoesNotExist: 4,
  InvalidUser: 9,
  ParameterMissing: 12,
  PermissionDenied: 22,
  AuthRequired: 24,
  InvalidParameter: 25,
  DuplicateName: 26,
  BundleMissing: 28,
  InvalidLogin: 30,
  InvalidManifest: 38,
  DeleteActiveBundle: 75,
  CannotParseRequestBody: 87,
  EnvironmentVersionMismatch: 106,
  ProhibitedEnvironment: 108,
  InvalidJson: 121,
  TaskDoesNotExist: 141,
  InvalidGroup: 153,
  InvalidEnvironmentTitle: 168,
  InvalidEnvironmentDescription: 169,
  InvalidEnvironmentClusterName: 170,
  InvalidEnvironmentName: 171,
  UnknownEnvironmentMatchingType: 172,
  InvalidInstallationPath: 173,
  InvalidInstallationVersion: 174,
  DuplicateEnvironmentName: 175,
  InvalidEnvironmentSupervisor: 177,
  InvalidRuntimeLanguage: 179,
  InvalidEnvironmentPermission: 246,
  DuplicateEnvironmentPermission: 247,
  EnvironmentsInvalidVolume: 254,
  EnvironmentIsConfigManaged: 265,
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const statusByCode: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.InternalFailure]: 500,
  [ErrorCode.ObjectDoesNotExist]: 404,
  [ErrorCode.TaskDoesNotExist]: 404,
  [ErrorCode.PermissionDenied]: 403,
  [ErrorCode.AuthRequired]: 401,
  [ErrorCode.InvalidLogin]: 401,
  [ErrorCode.DuplicateName]: 409,
  [ErrorCode.DeleteActiveBundle]: 409,
  [ErrorCode.DuplicateEnvironmentPermission]: 409,
  [ErrorCode.EnvironmentIsConfigManaged]: 409,
};

/** The HTTP status for a Connect error code; every code not listed is a 400 (bad input). */
export function statusForCode(code: ErrorCode): number {
  return statusByCode[code] ?? 400;
}

export type ErrorPayload = Record<string, unknown> | null;

/** The one error type of the product; the HTTP edge turns it into `{code, error, payload}`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly payload: ErrorPayload = null,
    /** Only for the few HTTP statuses Connect's codes do not imply (413, 415). */
    private readonly statusOverride?: number,
  ) {
    super(message);
  }

  get status(): number {
    return this.statusOverride ?? statusForCode(this.code);
  }

  toJSON(): { code: number; error: string; payload: ErrorPayload } {
    return { code: this.code, error: this.message, payload: this.payload };
  }
}

export const notFound = (what: string): ApiError =>
  new ApiError(ErrorCode.ObjectDoesNotExist, `${what} does not exist.`);

export const permissionDenied = (): ApiError =>
  new ApiError(ErrorCode.PermissionDenied, "You don't have permission to perform this operation.");

export const authRequired = (): ApiError =>
  new ApiError(ErrorCode.AuthRequired, 'You must sign in or send an API key (Authorization: Key …).');

export const invalidLogin = (message = 'Invalid login.'): ApiError =>
  new ApiError(ErrorCode.InvalidLogin, message);

/** 409 for edits of a file-managed environment; `file` names the file to edit instead. */
export const configManaged = (file: string, managedBy: string): ApiError =>
  new ApiError(
    ErrorCode.EnvironmentIsConfigManaged,
    `This environment is managed by the configuration file ${file}; change it there. Its access control can still be edited.`,
    { managed_by: managedBy, file },
  );

export type Result<T, E = ApiError> = { ok: true; value: T } | { ok: false; error: E };
export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });
