import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../test/test-server.js';

/** The parts of the CSP that must stay whatever the transport (helmet's defaults). */
const KEPT_DIRECTIVES = ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'self'", "base-uri 'self'"];

const headersOf = async (server: TestServer, headers: Record<string, string> = {}) => (await server.request('GET', '/__ping__', { as: null, headers })).headers;

describe('security headers, as the app is reached', () => {
  let server: TestServer;
  let untrusting: TestServer;

  beforeAll(async () => {
    // The default trusts loopback proxies, and the tests connect over loopback.
    server = await startTestServer();
    untrusting = await startTestServer({ trustProxy: false });
  });
  afterAll(async () => {
    await server.close();
    await untrusting.close();
  });

  it('over plain HTTP: no HSTS and no upgrade-insecure-requests (which blank the page), the rest of the CSP kept', async () => {
    const headers = await headersOf(server);
    expect(headers.get('strict-transport-security')).toBeNull();
    const csp = headers.get('content-security-policy') ?? '';
    expect(csp).not.toContain('upgrade-insecure-requests');
    for (const directive of KEPT_DIRECTIVES) expect(csp).toContain(directive);
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('cross-origin-opener-policy')).toBeNull();
  });

  it('over TLS ended by a trusted proxy: HSTS and upgrade-insecure-requests too', async () => {
    const headers = await headersOf(server, { 'x-forwarded-proto': 'https' });
    expect(headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    const csp = headers.get('content-security-policy') ?? '';
    expect(csp).toContain('upgrade-insecure-requests');
    for (const directive of KEPT_DIRECTIVES) expect(csp).toContain(directive);
    expect(headers.get('cross-origin-opener-policy')).toBe('same-origin');
  });

  it('over a TLS connection of its own: HSTS and upgrade-insecure-requests', async () => {
    // A throwaway self-signed certificate (openssl is part of every Debian image), served by the same app.
    const folder = mkdtempSync(path.join(os.tmpdir(), 'envdesk-tls-'));
    try {
      const [key, cert] = [path.join(folder, 'key.pem'), path.join(folder, 'cert.pem')];
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
      const tls = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, untrusting.app.app);
      await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
      try {
        const headers = await new Promise<Record<string, string | string[] | undefined>>((resolve, reject) => {
          https
            .get({ host: '127.0.0.1', port: (tls.address() as AddressInfo).port, path: '/__ping__', ca: readFileSync(cert) }, (response) => {
              response.resume();
              resolve(response.headers);
            })
            .on('error', reject);
        });
        expect(headers['strict-transport-security']).toMatch(/max-age=\d+/);
        expect(headers['content-security-policy']).toContain('upgrade-insecure-requests');
      } finally {
        await new Promise((resolve) => tls.close(resolve));
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('answers the API with a stricter policy in fewer headers: nothing may run, frame, sniff or read it cross-origin', async () => {
    const api = (await server.request('GET', '/__api__/server_settings', { as: null })).headers;
    expect(api.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(api.get('x-content-type-options')).toBe('nosniff');
    expect(api.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(api.get('x-frame-options')).toBe('DENY');
    expect(api.get('origin-agent-cluster')).toBeNull();
    expect(api.get('strict-transport-security')).toBeNull();
    const overTls = (await server.request('GET', '/__api__/server_settings', { as: null, headers: { 'x-forwarded-proto': 'https' } })).headers;
    expect(overTls.get('strict-transport-security')).toMatch(/max-age=\d+/);
  });

  it('ignores X-Forwarded-Proto from a proxy it does not trust', async () => {
    const headers = await headersOf(untrusting, { 'x-forwarded-proto': 'https' });
    expect(headers.get('strict-transport-security')).toBeNull();
    expect(headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
  });

  it('counts sign-in failures by the connection’s address when the proxy is not trusted', async () => {
    const user = await untrusting.addUser('viewer');
    const signIn = (address: string) =>
      untrusting.request('POST', '/__api__/v1/auth/login', { as: null, headers: { 'x-forwarded-for': address }, body: { username: user.username, password: 'wrong' } });
    // Five failures from "five addresses" are five from one (127.0.0.1) when X-Forwarded-For is not believed.
    for (let i = 1; i <= 5; i++) expect((await signIn(`198.51.100.${i}`)).status).toBe(401);
    expect((await signIn('198.51.100.6')).status).toBe(429);
  });
});
