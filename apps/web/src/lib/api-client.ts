import { ApiError, ErrorCode, type ErrorPayload } from '@envdesk/domain';
import * as z from 'zod/mini';

/**
 * The one way the web app talks to the server: JSON over fetch, the session cookie sent along,
 * the CSRF token added to every write, and every failure thrown as the domain's ApiError.
 */

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  /** Sent as JSON; a Blob or File (a bundle archive) is sent as it is, with `contentType`. */
  body?: unknown;
  /** The Content-Type of a Blob body (default: the Blob's own type, else application/octet-stream). */
  contentType?: string;
  signal?: AbortSignal;
  /** Writes carry the session's CSRF token; only signing in, which has no session yet, turns it off. */
  csrf?: boolean;
  /** Extra request headers (If-Match on environment writes). */
  headers?: Record<string, string>;
}

export interface ApiClient {
  request(method: Method, path: string, options?: RequestOptions): Promise<unknown>;
  get(path: string, options?: Omit<RequestOptions, 'body'>): Promise<unknown>;
  post(path: string, options?: RequestOptions): Promise<unknown>;
  put(path: string, options?: RequestOptions): Promise<unknown>;
  patch(path: string, options?: RequestOptions): Promise<unknown>;
  delete(path: string, options?: RequestOptions): Promise<unknown>;
  /** Drops the cached CSRF token; call it whenever the session changes (sign-in, sign-out). */
  forgetCsrfToken(): void;
}

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export const API_ROOT = '/__api__';
export const CSRF_HEADER = 'X-CSRF-Token';

const WRITES: ReadonlySet<Method> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const ErrorBodySchema = z.object({
  code: z.number().check(z.int()),
  error: z.string(),
  payload: z.catch(z.nullable(z.record(z.string(), z.unknown())), null),
});

const CsrfBodySchema = z.object({ token: z.nullable(z.string()) });

interface Exchange {
  response: Response;
  body: unknown;
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Every API error body is `{code, error, payload}`; anything else (a proxy's HTML page) becomes an internal failure. */
export function apiErrorFrom(response: Response, body: unknown): ApiError {
  const parsed = ErrorBodySchema.safeParse(body);
  if (parsed.success) {
    const { code, error, payload } = parsed.data;
    return new ApiError(code as ErrorCode, error, payload as ErrorPayload, response.status);
  }
  const status = `${response.status} ${response.statusText}`.trim();
  return new ApiError(ErrorCode.InternalFailure, `The server answered with HTTP ${status}.`, null, response.status);
}

/** The server refuses a cookie-authenticated write without a valid token with 403 and `payload.field`. */
function isCsrfRejection(exchange: Exchange): boolean {
  if (exchange.response.status !== 403) return false;
  const parsed = ErrorBodySchema.safeParse(exchange.body);
  return parsed.success && parsed.data.payload?.['field'] === CSRF_HEADER;
}

export function createApiClient({
  root = API_ROOT,
  fetch = (input, init) => globalThis.fetch(input, init),
}: { root?: string; fetch?: Fetch } = {}): ApiClient {
  let csrfToken: Promise<string | null> | null = null;

  async function exchange(method: Method, path: string, options: RequestOptions, token: string | null): Promise<Exchange> {
    const headers: Record<string, string> = { ...options.headers, Accept: 'application/json' };
    const binary = options.body instanceof Blob ? options.body : null;
    if (binary) headers['Content-Type'] = options.contentType ?? (binary.type || 'application/octet-stream');
    else if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers[CSRF_HEADER] = token;
    const response = await fetch(root + path, {
      method,
      headers,
      credentials: 'same-origin',
      body: binary ?? (options.body === undefined ? null : JSON.stringify(options.body)),
      signal: options.signal ?? null,
    });
    return { response, body: await readBody(response) };
  }

  /** Asked once per session and shared by concurrent writes; a failed request is not cached. */
  function currentCsrfToken(): Promise<string | null> {
    csrfToken ??= request('GET', '/v1/auth/csrf').then(
      (body) => CsrfBodySchema.parse(body).token,
      (error: unknown) => {
        csrfToken = null;
        throw error;
      },
    );
    return csrfToken;
  }

  async function request(method: Method, path: string, options: RequestOptions = {}): Promise<unknown> {
    const needsToken = WRITES.has(method) && options.csrf !== false;
    let result = await exchange(method, path, options, needsToken ? await currentCsrfToken() : null);
    if (needsToken && isCsrfRejection(result)) {
      // The session changed under us (signed in again, in another tab): fetch a fresh token, retry once.
      csrfToken = null;
      result = await exchange(method, path, options, await currentCsrfToken());
    }
    if (!result.response.ok) throw apiErrorFrom(result.response, result.body);
    return result.body;
  }

  return {
    request,
    get: (path, options) => request('GET', path, options),
    post: (path, options) => request('POST', path, options),
    put: (path, options) => request('PUT', path, options),
    patch: (path, options) => request('PATCH', path, options),
    delete: (path, options) => request('DELETE', path, options),
    forgetCsrfToken: () => {
      csrfToken = null;
    },
  };
}

/** The app's client; tests build their own with `createApiClient({ fetch })` or stub the global fetch. */
export const apiClient = createApiClient();

/** A sentence to show a person for any error a request can end with. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return 'The envdesk server could not be reached. Check your connection and try again.';
  return 'Something went wrong. Try again, and tell your administrator if it keeps happening.';
}
