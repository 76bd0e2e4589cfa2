import { randomBytes } from 'node:crypto';
import { ApiError, type ImageTree, type ImageTreeEntry } from '@envdesk/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLayerCache } from './layer-cache.js';
import { localImageSource } from './local-sources.js';
import { parseRegistryReference } from './registry/reference.js';
import { RegistryClient } from './registry/registry-client.js';
import { pushTestImage } from './registry/testing/push-image.js';
import { pushLayout } from './registry/testing/push-layout.js';
import { type RecordingProxy, startRecordingProxy } from './registry/testing/recording-proxy.js';
import { type TestRegistry, startTestRegistry } from './registry/testing/registry-process.js';
import { registrySource } from './registry-source.js';
import { type BuiltLayout, type ImageSpec, aDataScienceImage, file, folder, quartoInstallation, writeOciLayout } from './testing/image-builders.js';
import { failureOf, imageFolder, inspectForTest } from './testing/inspect-for-tests.js';

const temp = imageFolder();
let registry: TestRegistry;
let proxy: RecordingProxy;

beforeAll(async () => {
  registry = await startTestRegistry();
  proxy = await startRecordingProxy({ host: registry.host });
}, 30_000);
afterAll(async () => {
  await proxy?.close();
  await registry?.stop();
  temp.cleanup();
});

/** Builds the images as an OCI layout and pushes it, byte for byte, to the registry as `repository:tag`. */
async function published(repository: string, tag: string, images: readonly ImageSpec[]): Promise<BuiltLayout> {
  const layout = await writeOciLayout(temp.place(repository.replace(/\//g, '-')), images, { tag });
  await pushLayout({ host: registry.host, repository }, layout, tag);
  return layout;
}

/** The image as read through the recording proxy, as a user would name it. */
function fromRegistry(reference: string) {
  const ref = parseRegistryReference(`${proxy.host}/${reference}`);
  if (typeof ref === 'string') throw new Error(ref);
  return registrySource(new RegistryClient({ insecureRegistries: [proxy.host] }), ref);
}

/** Every entry of the tree by path: what two reads of one image must agree on. */
function everything(tree: ImageTree, at = '/'): Record<string, ImageTreeEntry | undefined> {
  const found: Record<string, ImageTreeEntry | undefined> = {};
  for (const name of tree.children(at)) {
    const path = at === '/' ? `/${name}` : `${at}/${name}`;
    const entry = tree.entry(path);
    found[path] = entry;
    if (entry?.kind === 'directory') Object.assign(found, everything(tree, path));
  }
  return found;
}

const amd64 = { os: 'linux', architecture: 'amd64' };
const arm64 = { os: 'linux', architecture: 'arm64' };

describe('inspecting an image in a real registry', () => {
  it('reads a multi-platform image (gzip, zstd and plain layers) to the same tree, PATH, platforms and digest as its OCI layout', async () => {
    const layout = await published('team/data-science', '2026.01', [aDataScienceImage({ platform: amd64 }), aDataScienceImage({ platform: arm64, rVersion: '4.5.0' })]);
    const local = await inspectForTest(await localImageSource(layout.folder));
    const remote = await inspectForTest(fromRegistry('team/data-science:2026.01'));

    expect(remote.tree.entry('/opt/R/4.4.1/lib/R/library/base/DESCRIPTION')).toMatchObject({ kind: 'file', content: expect.stringContaining('Version: 4.4.1') });
    expect(remote.tree.children('/opt/python')).toEqual(['3.11.9']);
    expect(Object.keys(everything(remote.tree)).length).toBeGreaterThan(30);
    expect(everything(remote.tree)).toEqual(everything(local.tree));
    expect(remote.config).toEqual({ path: '/opt/quarto/bin:/usr/local/bin:/usr/bin:/bin' });
    expect(remote.config).toEqual(local.config);
    expect(remote.platforms).toEqual(['linux/amd64', 'linux/arm64']);
    expect(remote.platforms).toEqual(local.platforms);
    expect(remote.digest).toBe(layout.images[0]!.manifest.digest);
    expect(remote.digest).toBe(local.digest);
    expect(remote.lines[0]).toBe(`manifest ${layout.images[0]!.manifest.digest} (linux/amd64)`);
  });

  it('reads the platform asked for, and says which platforms there are when the image has not that one', async () => {
    const layout = await published('team/r', '4', [aDataScienceImage({ platform: amd64 }), aDataScienceImage({ platform: arm64, rVersion: '4.5.0' })]);
    const arm = await inspectForTest(fromRegistry('team/r:4'), { platform: 'linux/arm64' });
    expect(arm.tree.children('/opt/R')).toEqual(['4.5.0']);
    expect(arm.platform).toBe('linux/arm64');
    expect(arm.digest).toBe(layout.images[1]!.manifest.digest);

    const message = await failureOf(inspectForTest(fromRegistry('team/r:4'), { platform: 'linux/s390x' }));
    expect(message).toBe('The image has no linux/s390x variant; its platforms are linux/amd64, linux/arm64.');
  });

  it('reads an image pinned by digest, and a single-platform image named by tag', async () => {
    const layout = await published('team/single', 'v1', [aDataScienceImage()]);
    const byTag = await inspectForTest(fromRegistry('team/single:v1'));
    expect(byTag.digest).toBe(layout.images[0]!.manifest.digest);
    const byDigest = await inspectForTest(fromRegistry(`team/single@${layout.images[0]!.manifest.digest}`));
    expect(everything(byDigest.tree)).toEqual(everything(byTag.tree));
  });

  it("reads an image pushed as Docker's manifest list of schema-2 manifests", async () => {
    const pushed = await pushTestImage({ host: registry.host, repository: 'team/docker' }, '1', { docker: true });
    const image = await inspectForTest(fromRegistry('team/docker:1'), { platform: 'linux/arm64' });
    expect(image.platforms).toEqual(['linux/amd64', 'linux/arm64']);
    expect(image.digest).toBe(pushed.platforms[1]!.manifest.digest);
    expect(image.tree.entry('/etc/platform')).toMatchObject({ kind: 'file' });
  });

  it('reads only the top layer of a second image on the same base, with a shared layer cache', async () => {
    const base = aDataScienceImage();
    const first = await published('team/base', '1', [base]);
    const second = await published('team/on-base', '1', [{ ...base, layers: [...base.layers, { compression: 'zstd', entries: [folder('opt/extra'), ...quartoInstallation('opt/extra/quarto', '1.6.1')] }] }]);
    const layerCache = createLayerCache();

    proxy.clear();
    await inspectForTest(fromRegistry('team/base:1'), { layerCache });
    expect(proxy.blobGets()).toEqual([first.images[0]!.config.digest, ...first.images[0]!.layers.map((layer) => layer.digest)]);

    proxy.clear();
    const image = await inspectForTest(fromRegistry('team/on-base:1'), { layerCache });
    const top = second.images[0]!.layers.at(-1)!;
    expect(proxy.blobGets()).toEqual([second.images[0]!.config.digest, top.digest]);
    expect(image.lines.filter((line) => line.endsWith('(already read)'))).toHaveLength(4);
    expect(image.tree.entry('/opt/extra/quarto/share/version')).toMatchObject({ content: '1.6.1\n' });
    expect(image.tree.children('/opt/R')).toEqual(['4.4.1']);
  });

  it('fails with a clear error and no result when the registry connection breaks in the middle of a layer', async () => {
    const big = { compression: 'none' as const, entries: [folder('data'), file('data/blob.bin', randomBytes(4 * 1024 * 1024))] };
    const layout = await published('team/dying', '1', [{ layers: [aDataScienceImage().layers[0]!, big, { compression: 'gzip', entries: [file('etc/after', 'x')] }] }]);
    const broken = layout.images[0]!.layers[1]!;
    proxy.breakBlob(broken.digest, 1024 * 1024);
    const layerCache = createLayerCache();
    const error = await inspectForTest(fromRegistry('team/dying:1'), { layerCache }).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(502);
    expect((error as ApiError).message).toMatch(new RegExp(`the blob ${broken.digest} of ${proxy.host.replace(/\./g, '\\.')}/team/dying (broke off|ended after)`));
    // Nothing of the broken layer is remembered: the next read fetches it whole.
    expect(layerCache.get(broken.digest)).toBeUndefined();
    const retried = await inspectForTest(fromRegistry('team/dying:1'), { layerCache });
    expect(retried.tree.entry('/data/blob.bin')).toMatchObject({ kind: 'file' });
    expect(retried.tree.entry('/etc/after')).toMatchObject({ kind: 'file' });
  });

  it('says which image is missing when the tag is not in the registry', async () => {
    const error = await inspectForTest(fromRegistry('team/nothing:1')).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(404);
    expect((error as ApiError).message).toContain('team/nothing');
  });
});
