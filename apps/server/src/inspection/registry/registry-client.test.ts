import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import type { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { ApiError } from '@envdesk/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFolder } from '../../test/files.js';
import { memoryLogger } from '../../test/memory-logger.js';
import { readSettings } from '../../settings.js';
import { startTcpProxy } from '../../test/tcp-proxy.js';
import { loadCredentials } from './credentials.js';
import { parseRegistryReference } from './reference.js';
import { MediaType, RegistryClient, type RegistryClientOptions, registryClientFromSettings } from './registry-client.js';
import { registryFailureOf } from './registry-errors.js';
import { pushBlob, pushManifest, pushTestImage, sha256 } from './testing/push-image.js';
import { type TestRegistry, startTestRegistry } from './testing/registry-process.js';
import { startTokenProxy } from './testing/token-proxy.js';
import { type TokenRegistry, startTokenRegistry } from './testing/token-registry.js';

const PASSWORD = 'hunter2-Very-Secret-Passw0rd';

function repositoryOf(host: string, repository: string, options: RegistryClientOptions = {}) {
  const client = new RegistryClient({ insecureRegistries: [host], ...options });
  const ref = parseRegistryReference(`${host}/${repository}`);
  if (typeof ref === 'string') throw new Error(ref);
  return client.repository(ref);
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The rejection of `work` as an ApiError, with its registry failure reason. */
async function failureOf(work: Promise<unknown>): Promise<{ error: ApiError; reason: string | null }> {
  const error = await work.then(
    () => {
      throw new Error('expected a failure');
    },
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ApiError)) throw error;
  return { error, reason: registryFailureOf(error) };
}

/** A node server for what no honest registry does: `handler` answers every request. */
async function hostileServer(handler: http.RequestListener): Promise<{ host: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return {
    host,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('registry client against a real anonymous registry', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startTestRegistry();
  }, 30_000);
  afterAll(async () => registry?.stop());

  it('reads a multi-platform OCI index, each platform manifest by digest, its config and its gzip layers', async () => {
    const pushed = await pushTestImage({ host: registry.host, repository: 'team/python' }, '3.12', { files: [{ path: 'opt/python/3.12.4/bin/python', content: '#!' }] });
    const repository = repositoryOf(registry.host, 'team/python');

    const index = await repository.getManifest('3.12');
    expect(index.mediaType).toBe(MediaType.ociIndex);
    expect(index.digest).toBe(pushed.index.digest);
    const entries = (index.json as { manifests: Array<{ digest: string; platform: { architecture: string } }> }).manifests;
    expect(entries.map((entry) => entry.platform.architecture)).toEqual(['amd64', 'arm64']);

    const amd64 = pushed.platforms[0]!;
    const manifest = await repository.getManifest(entries[0]!.digest);
    expect(manifest.mediaType).toBe(MediaType.ociManifest);
    expect(manifest.digest).toBe(amd64.manifest.digest);

    const config = await repository.readBlob(amd64.config.digest, { maxBytes: 1024 * 1024, expectedSize: amd64.config.size });
    expect(JSON.parse(config.toString())).toMatchObject({ architecture: 'amd64', config: { Env: ['PATH=/usr/local/bin:/usr/bin:/bin'] } });

    const layer = amd64.layers[0]!;
    const bytes = await readAll(await repository.getBlob(layer.digest, { expectedSize: layer.size }));
    expect(gunzipSync(bytes).toString('latin1')).toContain('opt/python/3.12.4/bin/python');
  });

  it('reads Docker manifest lists and Docker v2 manifests, and a docker.io-style reference with a digest', async () => {
    const pushed = await pushTestImage({ host: registry.host, repository: 'dockerish' }, 'v1', { docker: true });
    const ref = parseRegistryReference(`${registry.host}/dockerish@${pushed.index.digest}`);
    if (typeof ref === 'string') throw new Error(ref);
    const repository = new RegistryClient({ insecureRegistries: [registry.host] }).repository(ref);
    const list = await repository.getManifest(ref.digest!);
    expect(list.mediaType).toBe(MediaType.dockerManifestList);
    expect((await repository.getManifest(pushed.platforms[1]!.manifest.digest)).mediaType).toBe(MediaType.dockerManifest);
  });

  it('says a missing tag or repository does not exist (404), naming it', async () => {
    await pushTestImage({ host: registry.host, repository: 'exists' }, 'v1', { architectures: ['amd64'] });
    const tag = await failureOf(repositoryOf(registry.host, 'exists').getManifest('no-such-tag'));
    expect(tag.reason).toBe('not-found');
    expect(tag.error.status).toBe(404);
    expect(tag.error.message).toContain('no-such-tag');
    const repo = await failureOf(repositoryOf(registry.host, 'nobody/here').getManifest('latest'));
    expect(repo.reason).toBe('not-found');
    expect(repo.error.message).toMatch(/nobody\/here/);
    const blob = await failureOf(repositoryOf(registry.host, 'exists').getBlob(sha256(Buffer.from('never pushed'))));
    expect(blob.reason).toBe('not-found');
  });

  it('refuses a manifest over the size cap without reading it whole', async () => {
    const target = { host: registry.host, repository: 'big' };
    const config = await pushBlob(target, Buffer.from('{}'), 'application/vnd.oci.image.config.v1+json');
    await pushManifest(target, 'padded', MediaType.ociManifest, {
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config,
      layers: [],
      annotations: { padding: 'x'.repeat(8000) },
    });
    const { reason, error } = await failureOf(repositoryOf(registry.host, 'big', { maxManifestBytes: 4096 }).getManifest('padded'));
    expect(reason).toBe('too-large');
    expect(error.status).toBe(413);
    expect(error.message).toContain('4096');
    // Under a cap it fits, the same manifest reads.
    expect((await repositoryOf(registry.host, 'big').getManifest('padded')).mediaType).toBe(MediaType.ociManifest);
  });

  it('refuses a layer larger than asked for', async () => {
    const blob = await pushBlob({ host: registry.host, repository: 'capped' }, randomBytes(10_000));
    const { reason } = await failureOf(repositoryOf(registry.host, 'capped').getBlob(blob.digest, { maxBytes: 1000 }));
    expect(reason).toBe('too-large');
  });

  it('speaks https only, unless the registry is listed as insecure', async () => {
    const repository = new RegistryClient().repository({ registry: registry.host, apiHost: registry.host, repository: 'team/python' });
    const { reason, error } = await failureOf(repository.getManifest('3.12'));
    expect(reason).toBe('unreachable');
    expect(error.message).toContain(registry.host);
  });

  it('fails a blob read with a clear error when the registry dies halfway through it', async () => {
    const target = { host: registry.host, repository: 'dying' };
    const big = randomBytes(24 * 1024 * 1024);
    const blob = await pushBlob(target, big);
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: registry.port });
    try {
      const repository = new RegistryClient({ insecureRegistries: [`127.0.0.1:${proxy.port}`] }).repository({ registry: `127.0.0.1:${proxy.port}`, apiHost: `127.0.0.1:${proxy.port}`, repository: 'dying' });
      const stream = await repository.getBlob(blob.digest, { expectedSize: big.length });
      let received = 0;
      const read = (async () => {
        for await (const chunk of stream) {
          received += (chunk as Buffer).length;
          if (received > 1024 * 1024) await proxy.cut();
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      })();
      const { reason, error } = await failureOf(read);
      expect(received).toBeLessThan(big.length);
      expect(['unreachable', 'bad-response']).toContain(reason);
      expect(error.message).toMatch(/broke off|ended after/);
    } finally {
      await proxy.close();
    }
  });
});

describe('registry client against a real registry behind htpasswd basic auth', () => {
  let registry: TestRegistry;
  const files = tempFolder();
  beforeAll(async () => {
    registry = await startTestRegistry({ users: [{ username: 'alice', password: PASSWORD }] });
    await pushTestImage({ host: registry.host, repository: 'private/r', username: 'alice', password: PASSWORD }, '4.4', { architectures: ['amd64'] });
  }, 30_000);
  afterAll(async () => {
    await registry?.stop();
    files.cleanup();
  });

  it('reads with the credentials of the Docker config.json the settings name (auth field, http:// key)', async () => {
    const file = files.path('config.json');
    writeFileSync(file, JSON.stringify({ auths: { [`http://${registry.host}/v2/`]: { auth: Buffer.from(`alice:${PASSWORD}`).toString('base64') } } }));
    const settings = readSettings({ ENVDESK_REGISTRY_AUTH_FILE: file, ENVDESK_INSECURE_REGISTRIES: `example.org, ${registry.host}` });
    const ref = parseRegistryReference(`${registry.host}/private/r:4.4`);
    if (typeof ref === 'string') throw new Error(ref);
    const index = await (await registryClientFromSettings(settings)).repository(ref).getManifest(ref.tag!);
    expect(index.mediaType).toBe(MediaType.ociIndex);
  });

  it('without credentials says so, as a 403 that names the setting', async () => {
    const { reason, error } = await failureOf(repositoryOf(registry.host, 'private/r').getManifest('4.4'));
    expect(reason).toBe('unauthorized');
    expect(error.status).toBe(403);
    expect(error.message).toContain('ENVDESK_REGISTRY_AUTH_FILE');
  });

  it('with a wrong password fails without the password in the error, its payload or the logs', async () => {
    const file = files.path('wrong.json');
    const wrong = `${PASSWORD}-wrong`;
    writeFileSync(file, JSON.stringify({ auths: { [registry.host]: { username: 'alice', password: wrong } } }));
    const { logger, lines } = memoryLogger('trace');
    const repository = repositoryOf(registry.host, 'private/r', { credentials: await loadCredentials(file), logger });
    const { reason, error } = await failureOf(repository.getManifest('4.4'));
    expect(reason).toBe('unauthorized');
    expect(error.message).toContain('were not accepted');
    const everything = JSON.stringify([error.message, error.toJSON(), lines]);
    expect(lines.length).toBeGreaterThan(0);
    for (const secret of [wrong, PASSWORD, Buffer.from(`alice:${wrong}`).toString('base64')]) expect(everything).not.toContain(secret);
  });
});

describe('registry client against a real registry behind token auth (the bearer challenge)', () => {
  let registry: TokenRegistry;
  beforeAll(async () => {
    registry = await startTokenRegistry({ user: { username: 'bob', password: PASSWORD } });
    await pushTestImage({ host: registry.host, repository: 'org/quarto', authorization: registry.pushAuthorization('org/quarto') }, '1.5', { architectures: ['amd64'] });
  }, 30_000);
  afterAll(async () => registry?.stop());
  // The token service listens on another port of 127.0.0.1; a listed host without a port covers all of them.

  it('answers the challenge with a token for the repository scope, sends the credentials to the realm, and reuses the token', async () => {
    const credentials = (host: string) => (host === registry.host ? { username: 'bob', password: PASSWORD } : undefined);
    const { logger, lines } = memoryLogger('trace');
    const repository = repositoryOf(registry.host, 'org/quarto', { credentials, logger, insecureRegistries: ['127.0.0.1'] });
    const index = await repository.getManifest('1.5');
    const manifest = await repository.getManifest((index.json as { manifests: Array<{ digest: string }> }).manifests[0]!.digest);
    const layer = (manifest.json as { layers: Array<{ digest: string; size: number }> }).layers[0]!;
    expect((await readAll(await repository.getBlob(layer.digest, { expectedSize: layer.size }))).length).toBe(layer.size);
    expect(registry.tokenRequests).toEqual([{ scope: ['repository:org/quarto:pull'], service: 'envdesk-test-registry', user: 'bob' }]);
    expect(JSON.stringify(lines)).not.toContain(PASSWORD);
    expect(JSON.stringify(lines)).not.toContain('Bearer ');
  });

  it('without credentials gets an anonymous token, and reports the refusal as unauthorized naming the setting', async () => {
    registry.tokenRequests.length = 0;
    const { reason, error } = await failureOf(repositoryOf(registry.host, 'org/quarto', { insecureRegistries: ['127.0.0.1'] }).getManifest('1.5'));
    expect(reason).toBe('unauthorized');
    expect(error.message).toContain('no credentials are set');
    expect(registry.tokenRequests.map((request) => request.user)).toEqual([null]);
  });

  it('with a wrong password fails at the token service without leaking it', async () => {
    const wrong = `${PASSWORD}!`;
    const { logger, lines } = memoryLogger('trace');
    const repository = repositoryOf(registry.host, 'org/quarto', { credentials: () => ({ username: 'bob', password: wrong }), logger, insecureRegistries: ['127.0.0.1'] });
    const { reason, error } = await failureOf(repository.getManifest('1.5'));
    expect(reason).toBe('unauthorized');
    expect(error.message).toContain('were not accepted');
    const everything = JSON.stringify([error.message, error.toJSON(), lines]);
    for (const secret of [wrong, Buffer.from(`bob:${wrong}`).toString('base64')]) expect(everything).not.toContain(secret);
  });
});

describe('registry client: redirects and hostile registries', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startTestRegistry();
    await pushTestImage({ host: registry.host, repository: 'org/quarto' }, '1.5', { architectures: ['amd64'] });
  }, 30_000);
  afterAll(async () => registry?.stop());

  it('follows a blob redirect to storage on another host without sending it the Authorization', async () => {
    const proxy = await startTokenProxy({ upstream: registry.host, redirectBlobs: true });
    try {
      const repository = repositoryOf(proxy.host, 'org/quarto', { insecureRegistries: [proxy.host, 'localhost'] });
      const index = await repository.getManifest('1.5');
      const manifest = await repository.getManifest((index.json as { manifests: Array<{ digest: string }> }).manifests[0]!.digest);
      const layer = (manifest.json as { layers: Array<{ digest: string; size: number }> }).layers[0]!;
      expect((await readAll(await repository.getBlob(layer.digest, { expectedSize: layer.size }))).length).toBe(layer.size);
      expect(proxy.storageAuthorizations).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('refuses a token realm on a cloud metadata address', async () => {
    const proxy = await startTokenProxy({ upstream: registry.host, realm: 'http://169.254.169.254/latest/meta-data/iam' });
    try {
      const { reason, error } = await failureOf(repositoryOf(proxy.host, 'org/quarto', { insecureRegistries: [proxy.host, '169.254.169.254'] }).getManifest('1.5'));
      expect(reason).toBe('refused-host');
      expect(error.message).toContain('169.254.169.254');
    } finally {
      await proxy.close();
    }
  });

  it('refuses redirects to metadata addresses and names, and to plain http on a host not listed', async () => {
    const targets = ['http://169.254.169.254/latest/meta-data/', 'http://[fd00:ec2::254]/latest/', 'http://metadata.google.internal/computeMetadata/v1/', 'http://[::ffff:169.254.169.254]/', 'http://[fe80::1]/'];
    let next = '';
    const server = await hostileServer((_request, response) => response.writeHead(302, { Location: next }).end());
    try {
      for (const target of targets) {
        next = target;
        const insecure = [server.host, new URL(target).host];
        const { reason } = await failureOf(repositoryOf(server.host, 'x/y', { insecureRegistries: insecure }).getBlob(sha256(Buffer.from('x'))));
        expect(reason, target).toBe('refused-host');
      }
      next = 'http://example.com/blob';
      const plain = await failureOf(repositoryOf(server.host, 'x/y').getBlob(sha256(Buffer.from('x'))));
      expect(plain.reason).toBe('refused-host');
      expect(plain.error.message).toContain('ENVDESK_INSECURE_REGISTRIES');
    } finally {
      await server.close();
    }
  });

  it('refuses a registry whose host is a metadata address before connecting', async () => {
    for (const host of ['169.254.169.254', 'metadata.google.internal', '[fd00:ec2::254]:5000']) {
      const repository = new RegistryClient({ insecureRegistries: [host] }).repository({ registry: host, apiHost: host, repository: 'a/b' });
      const { reason } = await failureOf(repository.getManifest('latest'));
      expect(reason, host).toBe('refused-host');
    }
  });

  it('refuses a manifest fetched by digest whose bytes have another digest, and a blob that does', async () => {
    const honest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config: {}, layers: [] }));
    const server = await hostileServer((request, response) => {
      const body = request.url?.includes('/manifests/') ? Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, layers: ['evil'] })) : Buffer.from('tampered layer');
      response.writeHead(200, { 'Content-Type': MediaType.ociManifest, 'Content-Length': body.length }).end(body);
    });
    try {
      const repository = repositoryOf(server.host, 'a/b');
      const manifest = await failureOf(repository.getManifest(sha256(honest)));
      expect(manifest.reason).toBe('digest-mismatch');
      const blob = await repository.getBlob(sha256(Buffer.from('original layer')));
      const layer = await failureOf(readAll(blob));
      expect(layer.reason).toBe('digest-mismatch');
    } finally {
      await server.close();
    }
  });

  it('stops a blob that runs past the size its descriptor gives', async () => {
    const server = await hostileServer((_request, response) => {
      response.writeHead(200);
      const timer = setInterval(() => response.write(Buffer.alloc(64 * 1024)), 1);
      response.on('close', () => clearInterval(timer));
    });
    try {
      const blob = await repositoryOf(server.host, 'a/b').getBlob(sha256(Buffer.alloc(100)), { expectedSize: 100 });
      const { reason, error } = await failureOf(readAll(blob));
      expect(reason).toBe('bad-response');
      expect(error.message).toContain('longer than the 100 bytes');
    } finally {
      await server.close();
    }
  });

  it('times out a registry that never answers, and one that stalls in the middle of a blob', async () => {
    const server = await hostileServer((request, response) => {
      if (request.url?.includes('/manifests/')) return; // never answers
      response.writeHead(200, { 'Content-Length': 1000 });
      response.write(Buffer.alloc(10));
    });
    try {
      const repository = repositoryOf(server.host, 'a/b', { timeoutMs: 300 });
      const silent = await failureOf(repository.getManifest('latest'));
      expect(silent.reason).toBe('timeout');
      expect(silent.error.status).toBe(504);
      const blob = await repository.getBlob(sha256(Buffer.alloc(1000)));
      const stalled = await failureOf(readAll(blob));
      expect(stalled.reason).toBe('timeout');
    } finally {
      await server.close();
    }
  });

  it('refuses a tag or repository that would leave the repository path, as bad input (400)', async () => {
    const client = new RegistryClient();
    const repository = client.repository({ registry: 'example.org', apiHost: 'example.org', repository: 'a/b' });
    const tag = await failureOf(repository.getManifest('../../_catalog'));
    expect(tag.reason).toBe('invalid-reference');
    expect(tag.error.status).toBe(400);
    expect(() => client.repository({ registry: 'example.org', apiHost: 'example.org', repository: 'a/../../b' })).toThrow(/not a repository name/);
  });

  it('does not pass on credentials a registry echoes back in its error', async () => {
    const server = await hostileServer((request, response) => {
      if (request.headers.authorization === undefined) return response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="x"' }).end();
      const decoded = Buffer.from(request.headers.authorization.slice(6), 'base64').toString();
      response.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'UNKNOWN', message: `bad ${request.headers.authorization} ${decoded}` }] }));
    });
    try {
      const repository = repositoryOf(server.host, 'a/b', { credentials: () => ({ username: 'carol', password: PASSWORD }) });
      const { reason, error } = await failureOf(repository.getManifest('latest'));
      expect(reason).toBe('bad-response');
      expect(error.message).toContain('500');
      expect(error.message).not.toContain(PASSWORD);
      expect(error.message).not.toContain(Buffer.from(`carol:${PASSWORD}`).toString('base64'));
    } finally {
      await server.close();
    }
  });

  it('stops reading when the caller aborts', async () => {
    const server = await hostileServer(() => undefined);
    try {
      const controller = new AbortController();
      const pending = repositoryOf(server.host, 'a/b').getManifest('latest', { signal: controller.signal });
      controller.abort(new Error('inspection cancelled'));
      await expect(pending).rejects.toThrow('inspection cancelled');
    } finally {
      await server.close();
    }
  });
});
