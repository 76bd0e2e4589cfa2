import { request as httpRequest } from 'node:http';
import { BundleSchema, ErrorCode } from '@envdesk/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleArchive, cookbookManifest, gzipBomb } from '../test/bundles.js';
import { sendHeadersOnly } from '../test/raw-http.js';
import { tarGz } from '../test/tar.js';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';

/** A server, a publisher, and a content item of theirs to upload bundles to. */
async function serverWithContent(): Promise<{ server: TestServer; publisher: TestUser; contentGuid: string }> {
  const server = await startTestServer();
  const publisher = await server.addUser('publisher');
  const contentGuid: string = (await server.request('POST', '/__api__/v1/content', { as: publisher, body: {} })).body.guid;
  return { server, publisher, contentGuid };
}

describe('bundles API', () => {
  let server: TestServer;
  let publisher: TestUser;
  let contentGuid: string;
  beforeAll(async () => {
    ({ server, publisher, contentGuid } = await serverWithContent());
  });
  afterAll(async () => {
    await server.app.services.deploy.settle();
    await server.close();
  });

  const upload = (body: Uint8Array, headers: Record<string, string> = {}) =>
    server.request('POST', `/__api__/v1/content/${contentGuid}/bundles`, { as: publisher, rawBody: body, headers });

  it.each([
    ['with no Content-Type (rsconnect-python, posit-sdk)', {}],
    ['as application/gzip (connectapi)', { 'content-type': 'application/gzip' }],
    ['as application/x-gzip (rsconnect R)', { 'content-type': 'application/x-gzip' }],
    ['as application/octet-stream', { 'content-type': 'application/octet-stream' }],
  ])('accepts a bundle sent %s', async (_label, headers) => {
    const archive = bundleArchive();
    const response = await upload(archive, headers);
    expect(response.status).toBe(200);
    expect(BundleSchema.safeParse(response.body).success).toBe(true);
    expect(response.body).toMatchObject({ content_guid: contentGuid, size: archive.length, active: false, metadata: { archive_md5: expect.stringMatching(/^[0-9a-f]{32}$/) } });
  });

  it('accepts a bundle streamed in chunks with no Content-Length (rsconnect-python)', async () => {
    const archive = bundleArchive();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(archive.subarray(0, 100));
        controller.enqueue(archive.subarray(100));
        controller.close();
      },
    });
    const response = await fetch(`${server.url}/__api__/v1/content/${contentGuid}/bundles`, {
      method: 'POST',
      headers: { authorization: `Key ${publisher.key}` },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { size: number }).size).toBe(archive.length);
  });

  it('accepts the multipart form rsconnect-python sends with git metadata', async () => {
    const form = new FormData();
    form.append('archive', new Blob([bundleArchive()], { type: 'application/x-tar' }), 'bundle.tar.gz');
    form.append('metadata', JSON.stringify({ source: 'git', source_repo: 'https://example.org/repo' }));
    const response = await fetch(`${server.url}/__api__/v1/content/${contentGuid}/bundles`, {
      method: 'POST',
      headers: { authorization: `Key ${publisher.key}` },
      body: form,
    });
    expect(response.status).toBe(200);
  });

  it.each([
    ['plain text', Buffer.from('hello'), ErrorCode.BadRequest, 'archive'],
    ['an archive escaping with ..', tarGz([{ path: '../evil.sh', content: 'x' }, { path: 'manifest.json', content: '{}' }]), ErrorCode.BadRequest, 'archive'],
    ['an archive without manifest.json', tarGz([{ path: 'app.R', content: 'x' }]), ErrorCode.InvalidManifest, 'manifest.json'],
    ['a manifest that is not JSON', tarGz([{ path: 'manifest.json', content: '{nope' }]), ErrorCode.InvalidManifest, 'manifest.json'],
    ['a manifest with a bad Python version', bundleArchive(cookbookManifest({ python: { version: 'three' } })), ErrorCode.InvalidManifest, 'manifest.json'],
    ['an empty body', Buffer.alloc(0), ErrorCode.BundleMissing, 'archive'],
  ])('refuses %s with a clear error and stores nothing', async (_label, body, code, field) => {
    const before = (await server.request('GET', `/__api__/v1/content/${contentGuid}/bundles`, { as: publisher })).body.length;
    const response = await upload(body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code, payload: { field } });
    const after = (await server.request('GET', `/__api__/v1/content/${contentGuid}/bundles`, { as: publisher })).body.length;
    expect(after).toBe(before);
  });

  it('refuses a manifest nested 500,000 deep with a 400, not a stack overflow', async () => {
    const deep = `{"version": 1, "metadata": {"appmode": "shiny"}, "x": ${'['.repeat(500_000)}${']'.repeat(500_000)}}`;
    const response = await upload(tarGz([{ path: 'manifest.json', content: deep }]));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: ErrorCode.InvalidManifest, payload: { field: 'manifest.json' }, error: expect.stringContaining('levels deep') });
  });

  it('refuses a gzip bomb (800 MiB of zeros) naming the cap, while /__ping__ goes on answering', async () => {
    const bomb = await gzipBomb();
    let uploading = true;
    const pings: number[] = [];
    const pinging = (async () => {
      while (uploading) {
        const started = performance.now();
        await fetch(`${server.url}/__ping__`);
        pings.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const response = await upload(bomb).finally(() => {
      uploading = false;
    });
    await pinging;
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: ErrorCode.BadRequest, payload: { field: 'archive' }, error: expect.stringContaining("the cap on a bundle's compression ratio") });
    // Inflating the whole bomb at once held the event loop for over a second; streamed, a ping is
    // answered in milliseconds (bench:uploads measures the same under load; here, generously).
    expect(Math.max(...pings)).toBeLessThan(500);
  });

  it('names the wrong manifest field', async () => {
    const response = await upload(bundleArchive(cookbookManifest({ python: { version: 'three' } })));
    expect(response.body.error).toContain('python.version');
  });

  it('lists newest first, downloads the same bytes, and will not delete the active bundle', async () => {
    await server.request('POST', '/__api__/v1/environments', {
      body: { name: 'ghcr.io/org/any:1', r: { installations: [{ version: '4.2.3', path: '/opt/R/bin/R' }] }, python: { installations: [{ version: '3.9.14', path: '/opt/py/bin/python' }] } },
    });
    const archive = bundleArchive();
    const older = (await upload(archive)).body;
    const newer = (await upload(archive)).body;
    const listed = (await server.request('GET', `/__api__/v1/content/${contentGuid}/bundles`, { as: publisher })).body;
    expect(listed[0].id).toBe(newer.id);
    // Before any deploy, each bundle says what its manifest holds (envdesk's manifest_summary).
    expect(listed[1].py_version).toBeNull();
    expect(listed[1].manifest_summary).toEqual({ app_mode: 'shiny', r: '4.2.3', python: '3.9.14', quarto: null, r_requires: null, python_requires: null });

    const download = await fetch(`${server.url}/__api__/v1/content/${contentGuid}/bundles/${older.id}/download`, {
      headers: { authorization: `Key ${publisher.key}` },
    });
    expect(download.headers.get('content-type')).toBe('application/gzip');
    expect(Buffer.from(await download.arrayBuffer()).equals(archive)).toBe(true);

    const deploy = await server.request('POST', `/__api__/v1/content/${contentGuid}/deploy`, { as: publisher, body: { bundle_id: older.id } });
    await server.request('GET', `/__api__/v1/tasks/${deploy.body.task_id}?wait=10`, { as: publisher });
    const refused = await server.request('DELETE', `/__api__/v1/content/${contentGuid}/bundles/${older.id}`, { as: publisher });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe(ErrorCode.DeleteActiveBundle);
    expect((await server.request('DELETE', `/__api__/v1/content/${contentGuid}/bundles/${newer.id}`, { as: publisher })).status).toBe(204);
  });

  it('keeps other publishers away from the bundles', async () => {
    const stranger = await server.addUser('publisher');
    const response = await server.request('POST', `/__api__/v1/content/${contentGuid}/bundles`, { as: stranger, rawBody: bundleArchive() });
    // Not shared with them, so to them it does not exist (Connect's 404).
    expect(response.status).toBe(404);
  });
});

describe('bundle uploads refused before their body is read', () => {
  let server: TestServer;
  let publisher: TestUser;
  let contentGuid: string;
  beforeAll(async () => {
    ({ server, publisher, contentGuid } = await serverWithContent());
  });
  afterAll(() => server.close());

  const GiB = 1024 * 1024 * 1024;
  const head = (guid: string, lines: string[]) =>
    [`POST /__api__/v1/content/${guid}/bundles HTTP/1.1`, 'Host: envdesk.test', ...lines].join('\n');

  it.each([
    ['an anonymous caller', [`Content-Length: ${190 * 1024 * 1024}`], 401, ErrorCode.AuthRequired],
    ['an anonymous caller sending chunks', ['Transfer-Encoding: chunked'], 401, ErrorCode.AuthRequired],
    ['an unknown API key', ['Authorization: Key nope', `Content-Length: ${GiB}`], 401, null],
  ])('answers %s with its refusal and closes the connection, without waiting for the body', async (_label, lines, status, code) => {
    const answer = await sendHeadersOnly(server.url, head(contentGuid, lines), 64 * 1024);
    expect(answer.status).toBe(status);
    expect(answer.headers).toMatch(/connection: close/i);
    if (code !== null) expect(JSON.parse(answer.body)).toMatchObject({ code });
  });

  it('answers a viewer 403, a publisher the content is not shared with 404, and an unknown content 404', async () => {
    const viewer = await server.addUser('viewer');
    const stranger = await server.addUser('publisher');
    const length = `Content-Length: ${190 * 1024 * 1024}`;
    expect((await sendHeadersOnly(server.url, head(contentGuid, [`Authorization: Key ${viewer.key}`, length]), 1024)).status).toBe(403);
    expect((await sendHeadersOnly(server.url, head(contentGuid, [`Authorization: Key ${stranger.key}`, length]), 1024)).status).toBe(404);
    const unknown = '0f9d3b1e-6c1a-4d7e-9f55-2b0e4e3f1a77';
    expect((await sendHeadersOnly(server.url, head(unknown, [`Authorization: Key ${publisher.key}`, length]), 1024)).status).toBe(404);
  });

  it('answers a refused upload that waits for "100 Continue" without asking for its body', async () => {
    const answer = await sendHeadersOnly(server.url, head(contentGuid, ['Expect: 100-continue', `Content-Length: ${190 * 1024 * 1024}`]), 0);
    expect(answer.headers).not.toContain('100 Continue');
    expect(answer.status).toBe(401);
  });

  it('says "100 Continue" to a publisher who may upload, then takes the bundle', async () => {
    const archive = bundleArchive();
    const { status, continued } = await new Promise<{ status: number; continued: boolean }>((resolve, reject) => {
      let continued = false;
      const req = httpRequest(`${server.url}/__api__/v1/content/${contentGuid}/bundles`, {
        method: 'POST',
        headers: { authorization: `Key ${publisher.key}`, expect: '100-continue', 'content-length': String(archive.length) },
      });
      req.on('continue', () => {
        continued = true;
        req.end(archive);
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, continued }));
      });
      req.on('error', reject);
    });
    expect(continued).toBe(true);
    expect(status).toBe(200);
  });

  it('still says "100 Continue" at once to other requests', async () => {
    const body = JSON.stringify({ name: 'continued' });
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${server.url}/__api__/v1/content`, {
        method: 'POST',
        headers: { authorization: `Key ${publisher.key}`, expect: '100-continue', 'content-type': 'application/json', 'content-length': String(body.length) },
      });
      req.on('continue', () => req.end(body));
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
    });
    expect(status).toBe(200);
  });

  it('answers 413 naming the limit when the declared length is over it by a byte', async () => {
    const answer = await sendHeadersOnly(server.url, head(contentGuid, [`Authorization: Key ${publisher.key}`, `Content-Length: ${200 * 1024 * 1024 + 1}`]), 64 * 1024);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ payload: { field: 'archive' }, error: expect.stringContaining('ENVDESK_BUNDLE_MAX_BYTES') });
  });
});
