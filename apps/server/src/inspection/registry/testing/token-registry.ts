import { execFileSync } from 'node:child_process';
import { X509Certificate, createPrivateKey, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type TestRegistry, startTestRegistry } from './registry-process.js';

/**
 * The distribution server behind token auth, as Docker Hub, GHCR and Quay are: it answers 401 with
 * `WWW-Authenticate: Bearer realm=…,service=…,scope=…` and accepts only JWTs (ES256, with the
 * signing certificate in `x5c`) from the token service it trusts. This file is that token service:
 * a node server that checks basic credentials and signs tokens with a key and self-signed
 * certificate made by `openssl` for the run.
 */
export interface TokenRegistry extends TestRegistry {
  /** Every request to the token service: the scopes asked for and the basic-auth user (or null). */
  readonly tokenRequests: Array<{ scope: string[]; service: string | null; user: string | null }>;
  /** An `Authorization` header that may push to and pull from `repository` (for test setup). */
  pushAuthorization(repository: string): string;
}

const SERVICE = 'envdesk-test-registry';
const ISSUER = 'envdesk-test-token-service';

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export async function startTokenRegistry(options: { readonly user: { readonly username: string; readonly password: string } }): Promise<TokenRegistry> {
  const dir = mkdtempSync(path.join(tmpdir(), 'envdesk-token-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=envdesk-test-token'], { stdio: 'ignore' });
  const key = createPrivateKey(readFileSync(keyFile));
  const certificate = new X509Certificate(readFileSync(certFile));

  const mint = (access: Array<{ type: string; name: string; actions: string[] }>) => {
    const now = Math.floor(Date.now() / 1000);
    const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'ES256', x5c: [certificate.raw.toString('base64')] }));
    const claims = base64url(JSON.stringify({ iss: ISSUER, sub: options.user.username, aud: SERVICE, exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access }));
    const signature = sign('sha256', Buffer.from(`${header}.${claims}`), { key, dsaEncoding: 'ieee-p1363' });
    return `${header}.${claims}.${base64url(signature)}`;
  };

  const tokenRequests: TokenRegistry['tokenRequests'] = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://token');
    const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const [user, password] = basic === undefined ? [null, null] : Buffer.from(basic, 'base64').toString().split(/:(.*)/s);
    const scopes = url.searchParams.getAll('scope');
    tokenRequests.push({ scope: scopes, service: url.searchParams.get('service'), user: user ?? null });
    if (user !== null && (user !== options.user.username || password !== options.user.password)) {
      response.writeHead(401, { 'Content-Type': 'application/json' }).end('{"details":"incorrect username or password"}');
      return;
    }
    // As public registries do: anyone gets a token, but only the user's grants pull access.
    const access = user === null ? [] : scopes.map((scope) => scope.split(':')).filter((parts) => parts[0] === 'repository' && parts.length === 3).map(([type, name]) => ({ type: type!, name: name!, actions: ['pull'] }));
    response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token: mint(access), expires_in: 300 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const tokenPort = (server.address() as net.AddressInfo).port;
  const closeTokenServer = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  };

  let registry: TestRegistry;
  try {
    registry = await startTestRegistry({ token: { realm: `http://127.0.0.1:${tokenPort}/token`, service: SERVICE, issuer: ISSUER, rootCertBundle: certFile } });
  } catch (error) {
    await closeTokenServer();
    throw error;
  }
  return {
    ...registry,
    tokenRequests,
    pushAuthorization: (repository) => `Bearer ${mint([{ type: 'repository', name: repository, actions: ['pull', 'push'] }])}`,
    stop: async () => {
      await registry.stop();
      await closeTokenServer();
    },
  };
}
