import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A running CNCF distribution server (Debian's `docker-registry`) on a free localhost port. */
export interface TestRegistry {
  /** `127.0.0.1:PORT`: the registry part of image references, and the ENVDESK_INSECURE_REGISTRIES entry. */
  readonly host: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface TestRegistryOptions {
  /** With users, the registry sits behind htpasswd basic auth; without, it is anonymous. */
  readonly users?: ReadonlyArray<{ readonly username: string; readonly password: string }>;
  /** Token auth: the registry trusts JWTs signed by the key of `rootCertBundle` (see token-registry.ts). */
  readonly token?: { readonly realm: string; readonly service: string; readonly issuer: string; readonly rootCertBundle: string };
  /** A port fixed in advance (the e2e server is told the registry's address before it starts); a free one when absent. */
  readonly port?: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * An htpasswd line with a bcrypt hash, which is all the registry accepts: `htpasswd -B` when
 * apache2-utils is installed, else the C library's crypt(3) through perl (Debian's libxcrypt does
 * bcrypt). The password goes through standard input or the environment, never the command line.
 */
function htpasswdLine(username: string, password: string): string {
  try {
    return execFileSync('htpasswd', ['-niBC', '5', username], { input: `${password}\n`, encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] }).trim();
  } catch {
    const salt = `$2b$05$${Array.from(randomBytes(22), (byte) => BCRYPT_ALPHABET[byte % 64]).join('')}`;
    const hash = execFileSync('perl', ['-e', 'print crypt($ENV{PW}, $ENV{SALT})'], { env: { PW: password, SALT: salt }, encoding: 'utf8' });
    if (!hash.startsWith('$2b$')) throw new Error('Neither htpasswd nor a bcrypt-capable crypt(3) is available to make an htpasswd file.');
    return `${username}:${hash}`;
  }
}

async function waitUntilUp(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}): ${output()}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/v2/`);
      if (response.status === 200 || response.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`docker-registry did not start on port ${port}: ${output()}`);
}

/** Starts a registry with its storage in a fresh temporary folder; `stop()` ends it and removes the folder. */
export async function startTestRegistry(options: TestRegistryOptions = {}): Promise<TestRegistry> {
  const dir = mkdtempSync(path.join(tmpdir(), 'envdesk-registry-'));
  const port = options.port ?? (await freePort());
  const auth =
    options.token !== undefined
      ? [
          'auth:',
          '  token:',
          `    realm: ${JSON.stringify(options.token.realm)}`,
          `    service: ${JSON.stringify(options.token.service)}`,
          `    issuer: ${JSON.stringify(options.token.issuer)}`,
          `    rootcertbundle: ${JSON.stringify(options.token.rootCertBundle)}`,
          '',
        ].join('\n')
      : options.users === undefined
      ? ''
      : (() => {
          const htpasswd = path.join(dir, 'htpasswd');
          writeFileSync(htpasswd, `${options.users.map((user) => htpasswdLine(user.username, user.password)).join('\n')}\n`);
          return `auth:\n  htpasswd:\n    realm: envdesk-test\n    path: ${JSON.stringify(htpasswd)}\n`;
        })();
  const config = path.join(dir, 'config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: error',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${JSON.stringify(path.join(dir, 'data'))}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      `  secret: ${randomBytes(16).toString('hex')}`,
      auth,
    ].join('\n'),
  );
  const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilUp(port, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { host: `127.0.0.1:${port}`, port, stop };
}
