import { createHash } from 'node:crypto';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { Transform, type TransformCallback, type Readable } from 'node:stream';
import { ApiError } from '@envdesk/domain';
import { RefusedAddressError, guardedLookup, refusedHostName } from './address-guard.js';
import { type CredentialLookup, type RegistryCredentials, loadCredentials, noCredentials } from './credentials.js';
import type { RegistryImageReference } from './reference.js';
import { registryError } from './registry-errors.js';

export const MediaType = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

/** Every manifest kind inspection reads: indexes (several platforms) and single-platform manifests. */
export const MANIFEST_ACCEPT: readonly string[] = [MediaType.ociIndex, MediaType.dockerManifestList, MediaType.ociManifest, MediaType.dockerManifest];

export const DEFAULT_MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
export const DEFAULT_REGISTRY_TIMEOUT_MS = 30_000;
const MAX_TOKEN_RESPONSE_BYTES = 1024 * 1024;
const MAX_ERROR_BODY_BYTES = 64 * 1024;
const MAX_REDIRECTS = 5;

/** The small part of pino the client uses; lines hold the registry and repository, never secrets. */
export interface RegistryLogger {
  debug(fields: Record<string, unknown>, message: string): void;
}

export interface RegistryClientOptions {
  /** Registries (`host` or `host:port`) reached over plain `http://`; all others only over https. */
  readonly insecureRegistries?: readonly string[];
  readonly credentials?: CredentialLookup;
  readonly logger?: RegistryLogger;
  /** How long a request may wait for an answer, and a body may stay silent. */
  readonly timeoutMs?: number;
  readonly maxManifestBytes?: number;
}

export interface FetchedManifest {
  /** From the manifest's own `mediaType`, else the response's Content-Type. */
  readonly mediaType: string;
  /** The digest of the bytes received (checked against the one asked for, when a digest was asked for). */
  readonly digest: string;
  readonly bytes: Buffer;
  readonly json: unknown;
}

export interface ReadOptions {
  readonly signal?: AbortSignal;
}

export interface BlobOptions extends ReadOptions {
  /** The size the descriptor gives; a body of another length is an error. */
  readonly expectedSize?: number;
  /** A body longer than this is refused (from Content-Length when it says so, else as it streams). */
  readonly maxBytes?: number;
}

/** One repository of one registry, as a reader of its manifests and blobs. */
export interface RegistryRepository {
  readonly registry: string;
  readonly repository: string;
  /** GET /v2/<name>/manifests/<tag or digest>. */
  getManifest(reference: string, options?: ReadOptions & { readonly accept?: readonly string[] }): Promise<FetchedManifest>;
  /** GET /v2/<name>/blobs/<digest> as a stream that fails at its end unless the bytes match the digest. */
  getBlob(digest: string, options?: BlobOptions): Promise<Readable>;
  /** A small blob (an image config) read whole, digest checked. */
  readBlob(digest: string, options: BlobOptions & { readonly maxBytes: number }): Promise<Buffer>;
}

interface Target {
  readonly registry: string;
  readonly apiHost: string;
  readonly repository: string;
}

interface Challenge {
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

const DIGEST = /^(sha256|sha512):([a-f0-9]+)$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const digestLengths: Record<string, number> = { sha256: 64, sha512: 128 };

function digestAlgorithm(digest: string): 'sha256' | 'sha512' | null {
  const match = DIGEST.exec(digest);
  if (match === null || match[2]!.length !== digestLengths[match[1]!]) return null;
  return match[1] as 'sha256' | 'sha512';
}

/** `host` or `host:port`, lower case; an entry without a port covers every port of the host. */
function listedHost(list: readonly string[], host: string): boolean {
  const lower = host.toLowerCase();
  const bare = lower.replace(/:\d+$/, '');
  return list.some((entry) => {
    const wanted = entry.trim().toLowerCase();
    return wanted === lower || (!/:\d+$/.test(wanted) && wanted === bare);
  });
}

export function parseChallenge(header: string | undefined): Challenge | null {
  if (header === undefined) return null;
  const match = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (match === null) return null;
  const params: Record<string, string> = {};
  for (const param of match[2]!.matchAll(/([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g)) {
    params[param[1]!.toLowerCase()] = param[2] !== undefined ? param[2].replace(/\\(.)/g, '$1') : (param[3] ?? '');
  }
  return { scheme: match[1]!.toLowerCase(), params };
}

const basicHeader = (credentials: RegistryCredentials): string =>
  `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;

/** Reads a body whole, refusing one over `max` bytes from its Content-Length or as it arrives. */
async function readBody(response: IncomingMessage, max: number, tooLarge: () => ApiError): Promise<Buffer> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    response.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response) {
    total += (chunk as Buffer).length;
    if (total > max) {
      response.destroy();
      throw tooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function drain(response: IncomingMessage): void {
  response.resume();
  response.on('error', () => undefined);
}

/** The registry's own words for an error (`errors[0].code`/`message`), short and on one line. */
async function registryMessage(response: IncomingMessage): Promise<{ code: string; message: string }> {
  try {
    const body = await readBody(response, MAX_ERROR_BODY_BYTES, () => new Error('long') as ApiError);
    const parsed = JSON.parse(body.toString('utf8')) as { errors?: Array<{ code?: unknown; message?: unknown }> };
    const first = parsed.errors?.[0];
    const clean = (value: unknown) => (typeof value === 'string' ? value.replace(/\s+/g, ' ').slice(0, 200) : '');
    return { code: clean(first?.code), message: clean(first?.message) };
  } catch {
    return { code: '', message: '' };
  }
}

/**
 * A read-only client of the OCI distribution API: manifests and blobs of a repository, anonymously,
 * with basic auth, or through the bearer-token challenge public registries use. Credentials come
 * from the lookup (ENVDESK_REGISTRY_AUTH_FILE) and are only ever sent to the registry they belong
 * to and to the token realm it names; redirects to other hosts (blob storage) go without them.
 * Hosts that resolve to link-local or cloud-metadata addresses are refused, at every hop.
 */
export class RegistryClient {
  private readonly insecure: readonly string[];
  private readonly credentials: CredentialLookup;
  private readonly logger: RegistryLogger | undefined;
  private readonly timeoutMs: number;
  private readonly maxManifestBytes: number;
  /** `Authorization` values by registry and scope, with when they stop being good. */
  private readonly authorizations = new Map<string, { value: string; expiresAt: number }>();

  constructor(options: RegistryClientOptions = {}) {
    this.insecure = options.insecureRegistries ?? [];
    this.credentials = options.credentials ?? noCredentials;
    this.logger = options.logger;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_REGISTRY_TIMEOUT_MS;
    this.maxManifestBytes = options.maxManifestBytes ?? DEFAULT_MAX_MANIFEST_BYTES;
  }

  repository(ref: Pick<RegistryImageReference, 'registry' | 'apiHost' | 'repository'>): RegistryRepository {
    const target: Target = { registry: ref.registry, apiHost: ref.apiHost, repository: ref.repository };
    if (!REPOSITORY.test(target.repository)) throw registryError('invalid-reference', target.registry, `${JSON.stringify(target.repository.slice(0, 300))} is not a repository name.`);
    return {
      registry: target.registry,
      repository: target.repository,
      getManifest: (reference, options) => this.getManifest(target, reference, options),
      getBlob: (digest, options) => this.getBlob(target, digest, options),
      readBlob: async (digest, options) => {
        const stream = await this.getBlob(target, digest, options);
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks);
      },
    };
  }

  private async getManifest(target: Target, reference: string, options: ReadOptions & { readonly accept?: readonly string[] } = {}): Promise<FetchedManifest> {
    const byDigest = reference.includes(':');
    const algorithm = byDigest ? digestAlgorithm(reference) : TAG.test(reference) ? 'sha256' : null;
    if (algorithm === null) throw registryError('invalid-reference', target.registry, `${JSON.stringify(reference.slice(0, 200))} is neither a tag nor a sha256 or sha512 digest.`);
    const what = `the manifest ${reference} of ${target.registry}/${target.repository}`;
    const response = await this.get(target, `manifests/${reference}`, { accept: (options.accept ?? MANIFEST_ACCEPT).join(', '), signal: options.signal, what });
    const bytes = await this.withTimeouts(target, options.signal, () =>
      readBody(response, this.maxManifestBytes, () =>
        registryError('too-large', target.registry, `${what} is larger than ${this.maxManifestBytes} bytes; envdesk does not read it.`),
      ),
    );
    const digest = `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
    if (byDigest && digest !== reference) {
      throw registryError('digest-mismatch', target.registry, `${target.registry} answered ${what} with content whose digest is ${digest}; it is not the image asked for.`);
    }
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw registryError('bad-response', target.registry, `${what} is not JSON.`);
    }
    const declared = typeof json === 'object' && json !== null ? (json as Record<string, unknown>)['mediaType'] : undefined;
    const contentType = (response.headers['content-type'] ?? '').split(';')[0]!.trim();
    return { mediaType: typeof declared === 'string' ? declared : contentType, digest, bytes, json };
  }

  private async getBlob(target: Target, digest: string, options: BlobOptions = {}): Promise<Readable> {
    const algorithm = digestAlgorithm(digest);
    if (algorithm === null) throw registryError('invalid-reference', target.registry, `${JSON.stringify(digest.slice(0, 200))} is not a sha256 or sha512 digest.`);
    const what = `the blob ${digest} of ${target.registry}/${target.repository}`;
    const response = await this.get(target, `blobs/${digest}`, { accept: '*/*', signal: options.signal, what });
    const declared = Number(response.headers['content-length']);
    const tooLarge = () => registryError('too-large', target.registry, `${what} is larger than ${options.maxBytes} bytes; envdesk does not read it.`);
    if (options.maxBytes !== undefined && Number.isFinite(declared) && declared > options.maxBytes) {
      response.destroy();
      throw tooLarge();
    }
    const hash = createHash(algorithm);
    let received = 0;
    const verifier = new Transform({
      transform(chunk: Buffer, _encoding, done: TransformCallback) {
        received += chunk.length;
        if (options.maxBytes !== undefined && received > options.maxBytes) return done(tooLarge());
        // A registry that sends more than the descriptor's size is stopped there, not read to its end.
        if (options.expectedSize !== undefined && received > options.expectedSize) {
          return done(registryError('bad-response', target.registry, `${what} is longer than the ${options.expectedSize} bytes its descriptor gives.`));
        }
        hash.update(chunk);
        done(null, chunk);
      },
      flush(done: TransformCallback) {
        if (options.expectedSize !== undefined && received !== options.expectedSize) {
          return done(registryError('bad-response', target.registry, `${what} ended after ${received} of ${options.expectedSize} bytes.`));
        }
        const actual = `${algorithm}:${hash.digest('hex')}`;
        if (actual !== digest) return done(registryError('digest-mismatch', target.registry, `${what} arrived with the digest ${actual}; the blob is corrupt or not the one asked for.`));
        done();
      },
    });
    response.on('error', (error) => {
      verifier.destroy(this.failure(target, error, options.signal, `${what} broke off after ${received} bytes`));
    });
    verifier.on('close', () => {
      if (!response.complete) response.destroy();
    });
    response.pipe(verifier);
    return verifier;
  }

  /** GET with authentication (one challenge answered) and redirects; answers a 2xx response or throws. */
  private async get(target: Target, path: string, request: { accept: string; signal: AbortSignal | undefined; what: string }): Promise<IncomingMessage> {
    const scope = `repository:${target.repository}:pull`;
    const cacheKey = `${target.registry} ${scope}`;
    const cached = this.authorizations.get(cacheKey);
    let authorization = cached !== undefined && cached.expiresAt > Date.now() ? cached.value : undefined;
    const scheme = this.schemeFor(target.apiHost, target.registry);
    const url = new URL(`${scheme}://${target.apiHost}/v2/${target.repository}/${path}`);
    const credentials = this.credentials(target.registry);
    for (let attempt = 0; ; attempt++) {
      this.logger?.debug({ registry: target.registry, repository: target.repository, path: path.split('/')[0], authenticated: authorization !== undefined }, 'registry request');
      const response = await this.follow(target, url, { Accept: request.accept, ...(authorization === undefined ? {} : { Authorization: authorization }) }, request.signal);
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300) return response;
      if (status === 401 && attempt === 0) {
        const challenge = parseChallenge(response.headers['www-authenticate']);
        drain(response);
        if (challenge?.scheme === 'bearer' && challenge.params['realm'] !== undefined) {
          const token = await this.fetchToken(target, challenge, scope, credentials, request.signal);
          authorization = `Bearer ${token.value}`;
          this.authorizations.set(cacheKey, { value: authorization, expiresAt: token.expiresAt });
          continue;
        }
        if (challenge?.scheme === 'basic' && credentials !== undefined) {
          authorization = basicHeader(credentials);
          this.authorizations.set(cacheKey, { value: authorization, expiresAt: Number.POSITIVE_INFINITY });
          continue;
        }
        throw this.unauthorized(target, credentials, request.what);
      }
      if (status === 401 || status === 403) {
        drain(response);
        this.authorizations.delete(cacheKey);
        throw this.unauthorized(target, credentials, request.what);
      }
      const { code, message: said } = await registryMessage(response);
      // A registry may echo what it was sent; its words never carry the credentials onward.
      const message = credentials === undefined || credentials.password === '' ? said : said.split(credentials.password).join('…').split(basicHeader(credentials).slice(6)).join('…');
      if (status === 404) {
        const why = code === 'NAME_UNKNOWN' ? `the repository ${target.repository} does not exist on ${target.registry}` : `${request.what} does not exist`;
        throw registryError('not-found', target.registry, `${why[0]!.toUpperCase()}${why.slice(1)}${code === '' ? '' : ` (${code})`}.`);
      }
      throw registryError('bad-response', target.registry, `${target.registry} answered ${status} for ${request.what}${message === '' ? '' : `: ${message}`}.`);
    }
  }

  private unauthorized(target: Target, credentials: RegistryCredentials | undefined, what: string): ApiError {
    const hint =
      credentials === undefined
        ? `no credentials are set for ${target.registry} (ENVDESK_REGISTRY_AUTH_FILE)`
        : `the credentials for ${target.registry} from ENVDESK_REGISTRY_AUTH_FILE were not accepted`;
    return registryError('unauthorized', target.registry, `${target.registry} refused access to ${what}: ${hint}.`);
  }

  /** The bearer-token flow: GET the realm with service and scope (basic auth when credentials are known). */
  private async fetchToken(target: Target, challenge: Challenge, scope: string, credentials: RegistryCredentials | undefined, signal: AbortSignal | undefined): Promise<{ value: string; expiresAt: number }> {
    let realm: URL;
    try {
      realm = new URL(challenge.params['realm']!);
    } catch {
      throw registryError('bad-response', target.registry, `${target.registry} names a token service that is not a URL.`);
    }
    realm.searchParams.set('scope', challenge.params['scope'] ?? scope);
    if (challenge.params['service'] !== undefined) realm.searchParams.set('service', challenge.params['service']);
    const what = `a token for ${target.registry}/${target.repository}`;
    this.logger?.debug({ registry: target.registry, repository: target.repository, token_service: realm.host, with_credentials: credentials !== undefined }, 'registry token request');
    const issuedAt = Date.now();
    const response = await this.follow(target, realm, { Accept: 'application/json', ...(credentials === undefined ? {} : { Authorization: basicHeader(credentials) }) }, signal);
    const status = response.statusCode ?? 0;
    if (status === 401 || status === 403) {
      drain(response);
      throw this.unauthorized(target, credentials, what);
    }
    if (status < 200 || status >= 300) {
      drain(response);
      throw registryError('bad-response', target.registry, `The token service of ${target.registry} answered ${status}.`);
    }
    const body = await this.withTimeouts(target, signal, () =>
      readBody(response, MAX_TOKEN_RESPONSE_BYTES, () => registryError('too-large', target.registry, `The token service of ${target.registry} answered more than ${MAX_TOKEN_RESPONSE_BYTES} bytes.`)),
    );
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch {
      throw registryError('bad-response', target.registry, `The token service of ${target.registry} did not answer JSON.`);
    }
    const token = typeof parsed['token'] === 'string' && parsed['token'] !== '' ? parsed['token'] : parsed['access_token'];
    if (typeof token !== 'string' || token === '' || /[\r\n]/.test(token)) {
      throw registryError('bad-response', target.registry, `The token service of ${target.registry} answered no token.`);
    }
    const expiresIn = typeof parsed['expires_in'] === 'number' && parsed['expires_in'] > 0 ? parsed['expires_in'] : 60;
    // A token is reused until shortly before it expires (the spec's minimum lifetime is 60 s).
    return { value: token, expiresAt: issuedAt + Math.max(expiresIn - 10, 1) * 1000 };
  }

  private schemeFor(host: string, registry: string): 'http' | 'https' {
    return listedHost(this.insecure, host) || listedHost(this.insecure, registry) ? 'http' : 'https';
  }

  /**
   * One GET, following redirects. Each hop's host is checked (by name, literal address, and every
   * address it resolves to); `http:` is allowed only for insecure-listed hosts; Authorization goes
   * only to the origin it was meant for.
   */
  private async follow(target: Target, start: URL, startHeaders: Record<string, string>, signal: AbortSignal | undefined): Promise<IncomingMessage> {
    let url = start;
    let headers = startHeaders;
    for (let hop = 0; ; hop++) {
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && listedHost(this.insecure, url.host))) {
        throw registryError('refused-host', target.registry, `${target.registry} led to ${url.protocol}//${url.host}, which is neither https nor listed in ENVDESK_INSECURE_REGISTRIES.`);
      }
      if (url.username !== '' || url.password !== '') {
        throw registryError('refused-host', target.registry, `${target.registry} led to a URL with credentials in it; envdesk does not follow it.`);
      }
      const byName = refusedHostName(url.hostname);
      if (byName !== null) throw this.refused(target, url.host, byName);
      const response = await this.withTimeouts(target, signal, () => this.send(url, headers, signal));
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (![301, 302, 303, 307, 308].includes(status) || location === undefined) return response;
      drain(response);
      if (hop >= MAX_REDIRECTS) throw registryError('bad-response', target.registry, `${target.registry} redirected more than ${MAX_REDIRECTS} times.`);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw registryError('bad-response', target.registry, `${target.registry} redirected to something that is not a URL.`);
      }
      if (next.origin !== url.origin && headers['Authorization'] !== undefined) {
        const { Authorization: _dropped, ...rest } = headers;
        headers = rest;
      }
      this.logger?.debug({ registry: target.registry, repository: target.repository, redirect_host: next.host }, 'registry redirect');
      url = next;
    }
  }

  private refused(target: Target, host: string, why: string): ApiError {
    return registryError('refused-host', target.registry, `envdesk does not contact ${host} for ${target.registry}: ${why}.`);
  }

  /** Runs a step, turning timeouts, refused addresses and network failures into registry errors. */
  private async withTimeouts<T>(target: Target, signal: AbortSignal | undefined, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      throw this.failure(target, error, signal, `${target.registry} could not be read`);
    }
  }

  private failure(target: Target, error: unknown, signal: AbortSignal | undefined, context: string): Error {
    if (signal?.aborted) return signal.reason instanceof Error ? signal.reason : new Error('aborted');
    if (error instanceof ApiError) return error;
    if (error instanceof RefusedAddressError) return this.refused(target, error.hostname, error.why);
    if (error instanceof TimeoutError) return registryError('timeout', target.registry, `${context}: no answer for ${this.timeoutMs / 1000} s.`);
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const detail = code ?? (error instanceof Error ? error.message.slice(0, 200) : 'unknown error');
    return registryError('unreachable', target.registry, `${context} (${detail}).`);
  }

  /** One GET on a fresh connection; a silence of `timeoutMs` (before or during the body) fails it. */
  private send(url: URL, headers: Record<string, string>, signal: AbortSignal | undefined): Promise<IncomingMessage> {
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = transport.request(url, {
        method: 'GET',
        headers: { 'User-Agent': 'envdesk', ...headers },
        lookup: guardedLookup,
        agent: false,
        ...(signal === undefined ? {} : { signal }),
      });
      let response: IncomingMessage | undefined;
      request.setTimeout(this.timeoutMs, () => {
        const error = new TimeoutError('timed out');
        if (response === undefined) request.destroy(error);
        else response.destroy(error);
      });
      request.on('error', reject);
      request.on('response', (answer) => {
        response = answer;
        resolve(answer);
      });
      request.end();
    });
  }
}

/**
 * The client the settings describe: credentials read now from ENVDESK_REGISTRY_AUTH_FILE (so a
 * rotated file takes effect for the next client made), http only for ENVDESK_INSECURE_REGISTRIES.
 */
export async function registryClientFromSettings(
  settings: { readonly registry: { readonly authFile: string | undefined; readonly insecureRegistries: readonly string[] } },
  options: Omit<RegistryClientOptions, 'credentials' | 'insecureRegistries'> = {},
): Promise<RegistryClient> {
  return new RegistryClient({ ...options, insecureRegistries: settings.registry.insecureRegistries, credentials: await loadCredentials(settings.registry.authFile) });
}
