import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cookbookManifest } from '../test/bundles.js';
import { tarGz } from '../test/tar.js';
import { describeEachDialect } from '../test/test-database.js';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';

const MiB = 1024 * 1024;

/** A bundle whose data does not compress, so its .tar.gz is about `bytes` long. */
const bundleOfSize = (bytes: number) =>
  tarGz([
    { path: 'manifest.json', content: JSON.stringify(cookbookManifest()) },
    { path: 'data.bin', content: randomBytes(bytes) },
  ]);

/** The body in 64 KiB pieces with no Content-Length, as a streaming client sends it. */
const chunked = (body: Buffer) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let offset = 0; offset < body.length; offset += 64 * 1024) controller.enqueue(body.subarray(offset, offset + 64 * 1024));
      controller.close();
    },
  });

/** Polls until `condition` holds (or fails the test after 20 s). */
async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describeEachDialect('bundle storage (%s)', (dialect) => {
  let server: TestServer;
  let publisher: TestUser;
  let contentGuid: string;
  beforeAll(async () => {
    server = await startTestServer({ dialect, bundleMaxBytes: 4 * MiB });
    publisher = await server.addUser('publisher');
    contentGuid = (await server.request('POST', '/__api__/v1/content', { as: publisher, body: {} })).body.guid;
  });
  afterAll(() => server.close());

  const post = (body: Buffer, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/__api__/v1/content/${contentGuid}/bundles`, {
      method: 'POST',
      headers: { authorization: `Key ${publisher.key}`, ...headers },
      body: chunked(body),
      duplex: 'half',
    } as RequestInit);
  const chunkRows = () => server.store.bundles.chunkCount();
  const bundleCount = async () => (await server.request('GET', `/__api__/v1/content/${contentGuid}/bundles`, { as: publisher })).body.length as number;

  it('stores a streamed bundle in pieces, with its hashes, and gives back the same bytes', async () => {
    const archive = bundleOfSize(3 * MiB);
    const response = await post(archive);
    expect(response.status).toBe(200);
    const bundle = (await response.json()) as { id: string; size: number; metadata: { archive_md5: string; archive_sha1: string } };
    expect(bundle.size).toBe(archive.length);
    expect(bundle.metadata.archive_md5).toBe(createHash('md5').update(archive).digest('hex'));
    expect(bundle.metadata.archive_sha1).toBe(createHash('sha1').update(archive).digest('hex'));
    expect(await chunkRows()).toBeGreaterThanOrEqual(3);

    const download = await fetch(`${server.url}/__api__/v1/content/${contentGuid}/bundles/${bundle.id}/download`, {
      headers: { authorization: `Key ${publisher.key}` },
    });
    expect(download.headers.get('content-length')).toBe(String(archive.length));
    expect(Buffer.from(await download.arrayBuffer()).equals(archive)).toBe(true);

    expect((await server.request('DELETE', `/__api__/v1/content/${contentGuid}/bundles/${bundle.id}`, { as: publisher })).status).toBe(204);
    expect(await chunkRows()).toBe(0);
  });

  it('removes the archives with the content they belong to', async () => {
    const other = (await server.request('POST', '/__api__/v1/content', { as: publisher, body: {} })).body.guid as string;
    const response = await fetch(`${server.url}/__api__/v1/content/${other}/bundles`, {
      method: 'POST',
      headers: { authorization: `Key ${publisher.key}` },
      body: bundleOfSize(2 * MiB),
    });
    expect(response.status).toBe(200);
    expect(await chunkRows()).toBeGreaterThan(0);
    expect((await server.request('DELETE', `/__api__/v1/content/${other}`, { as: publisher })).status).toBe(204);
    expect(await chunkRows()).toBe(0);
  });

  it('answers 413 when a chunked body grows past the limit, and keeps none of it', async () => {
    const before = await bundleCount();
    const response = await post(bundleOfSize(6 * MiB));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ payload: { field: 'archive' }, error: expect.stringContaining(`${4 * MiB}-byte limit`) });
    expect(await bundleCount()).toBe(before);
    expect(await chunkRows()).toBe(0);
  });

  it('keeps nothing of an archive refused after megabytes were stored', async () => {
    const archive = tarGz([
      { path: 'manifest.json', content: JSON.stringify(cookbookManifest()) },
      { path: 'data.bin', content: randomBytes(3 * MiB) },
      { path: '../escape.sh', content: 'x' },
    ]);
    const response = await post(archive);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toContain('".." segment');
    expect(await chunkRows()).toBe(0);
  });

  it('keeps nothing of an upload whose client hangs up half-way', async () => {
    const archive = bundleOfSize(3 * MiB);
    const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      `POST /__api__/v1/content/${contentGuid}/bundles HTTP/1.1\r\nHost: envdesk.test\r\nAuthorization: Key ${publisher.key}\r\nContent-Length: ${archive.length}\r\n\r\n`,
    );
    socket.write(archive.subarray(0, 2.5 * MiB));
    await waitFor(async () => (await chunkRows()) >= 2);
    socket.destroy();
    await waitFor(async () => (await chunkRows()) === 0);
    expect(await chunkRows()).toBe(0);
  });

  it('answers 413 for a multipart archive part past the limit', async () => {
    const form = new FormData();
    form.append('archive', new Blob([bundleOfSize(5 * MiB)]), 'bundle.tar.gz');
    const response = await fetch(`${server.url}/__api__/v1/content/${contentGuid}/bundles`, {
      method: 'POST',
      headers: { authorization: `Key ${publisher.key}` },
      body: form,
    });
    expect(response.status).toBe(413);
    expect(await chunkRows()).toBe(0);
  });
});
