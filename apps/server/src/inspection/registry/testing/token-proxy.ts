import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';

/**
 * A bearer-token front for a real (anonymous) registry, for what the distribution server cannot be
 * made to do: redirect blob reads to "storage" on another origin (as registries on S3 do), or name
 * a hostile token realm. `/v2/…` answers 401 with `WWW-Authenticate: Bearer realm=…,service=…,scope=…`
 * until a token from `/token` is sent, then forwards to the registry. The real token flow is
 * tested against the registry itself (token-registry.ts).
 */
export interface TokenProxy {
  readonly host: string;
  /** Every token request: the scope and service asked for, and the user name of its basic auth (or null). */
  readonly tokenRequests: Array<{ scope: string | null; service: string | null; user: string | null }>;
  /** Authorization headers that reached the blob storage a redirect points to (should stay empty). */
  readonly storageAuthorizations: string[];
  close(): Promise<void>;
}

export interface TokenProxyOptions {
  readonly upstream: string;
  /** When set, the token service demands this user (401 otherwise); else tokens are anonymous. */
  readonly user?: { readonly username: string; readonly password: string };
  /** Redirect blob reads to a separate "storage" server on another origin (as registries on S3 do). */
  readonly redirectBlobs?: boolean;
  /** Overrides the realm the challenge names (a hostile registry pointing the client elsewhere). */
  readonly realm?: string;
}

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

function forward(upstream: string, path: string, response: http.ServerResponse, accept: string | undefined): void {
  const request = http.get(`http://${upstream}${path}`, { headers: accept === undefined ? {} : { Accept: accept } }, (answer) => {
    response.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(response);
  });
  request.on('error', () => response.destroy());
}

export async function startTokenProxy(options: TokenProxyOptions): Promise<TokenProxy> {
  const tokens = new Map<string, string>();
  const tokenRequests: TokenProxy['tokenRequests'] = [];
  const storageAuthorizations: string[] = [];

  // "Blob storage" on another origin (localhost rather than 127.0.0.1): serves the blob, records headers.
  const storage = http.createServer((request, response) => {
    if (request.headers.authorization !== undefined) storageAuthorizations.push(request.headers.authorization);
    forward(options.upstream, request.url ?? '/', response, undefined);
  });
  const storagePort = await listen(storage);

  let realm = '';
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://proxy');
    if (url.pathname === '/token') {
      const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      const [user, password] = basic === undefined ? [null, null] : Buffer.from(basic, 'base64').toString().split(/:(.*)/s);
      tokenRequests.push({ scope: url.searchParams.get('scope'), service: url.searchParams.get('service'), user: user ?? null });
      if (options.user !== undefined && (user !== options.user.username || password !== options.user.password)) {
        response.writeHead(401, { 'Content-Type': 'application/json' }).end('{"details":"incorrect username or password"}');
        return;
      }
      const token = randomBytes(16).toString('hex');
      tokens.set(token, url.searchParams.get('scope') ?? '');
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token, expires_in: 300 }));
      return;
    }
    const name = /^\/v2\/(.+)\/(?:manifests|blobs)\//.exec(url.pathname)?.[1];
    const scope = `repository:${name}:pull`;
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (name === undefined || token === undefined || tokens.get(token) !== scope) {
      response
        .writeHead(401, {
          'Content-Type': 'application/json',
          'WWW-Authenticate': `Bearer realm="${options.realm ?? realm}",service="envdesk-test",scope="${scope}"`,
        })
        .end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      return;
    }
    if (options.redirectBlobs && url.pathname.includes('/blobs/')) {
      response.writeHead(307, { Location: `http://localhost:${storagePort}${url.pathname}?signature=abc` }).end();
      return;
    }
    forward(options.upstream, `${url.pathname}${url.search}`, response, request.headers.accept);
  });
  const port = await listen(server);
  realm = `http://127.0.0.1:${port}/token`;
  return {
    host: `127.0.0.1:${port}`,
    tokenRequests,
    storageAuthorizations,
    close: async () => {
      server.closeAllConnections();
      storage.closeAllConnections();
      await Promise.all([new Promise((resolve) => server.close(resolve)), new Promise((resolve) => storage.close(resolve))]);
    },
  };
}
