import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { BlobSource } from './blob-source.js';
import { DEFAULT_LAYER_LIMITS } from './layer-reader.js';
import { createLayerCache } from './layer-cache.js';
import { localImageSource } from './local-sources.js';
import {
  type BuiltLayout,
  type ImageSpec,
  type LayerSpec,
  aDataScienceImage,
  executable,
  file,
  folder,
  hardlink,
  rInstallation,
  symlink,
  tarOfEntries,
  whiteout,
  writeOciLayout,
} from './testing/image-builders.js';
import { failureOf, imageFolder, inspectForTest } from './testing/inspect-for-tests.js';

const temp = imageFolder();
afterAll(temp.cleanup);
const layout = (images: readonly ImageSpec[]) => writeOciLayout(temp.place('layout'), images);
const layers = async (...specs: LayerSpec[]) => (await layout([{ layers: specs }])).folder;
const blobFile = (built: BuiltLayout, digest: string) => path.join(built.folder, 'blobs', 'sha256', digest.slice(7));

describe('inspectImage: layer rules', () => {
  it('removes what a whiteout names from lower layers, folder and all', async () => {
    const { tree } = await inspectForTest(await layers({ entries: rInstallation('opt/R/4.3.0', '4.3.0') }, { entries: [whiteout('opt/R/4.3.0')] }));
    expect(tree.entry('/opt/R/4.3.0')).toBeUndefined();
    expect(tree.entry('/opt/R/4.3.0/bin/R')).toBeUndefined();
    expect(tree.children('/opt/R')).toEqual([]);
  });

  it('hides a lower layer’s contents of an opaque folder but keeps what the same layer puts there, before or after the marker', async () => {
    const { tree } = await inspectForTest((await layout([aDataScienceImage()])).folder);
    expect(tree.entry('/opt/python/3.12.4/bin/python3')).toBeUndefined();
    expect(tree.children('/opt/python')).toEqual(['3.11.9']);
  });

  it('gives a hard link its target’s kind, executable bit and kept content, also for a target in a lower layer', async () => {
    const { tree } = await inspectForTest(
      await layers(
        { entries: rInstallation('opt/R/4.4.1', '4.4.1') },
        { entries: [hardlink('opt/R/4.4.1/bin/Rscript', 'opt/R/4.4.1/bin/R'), folder('opt/R/copy/lib/R/library/base'), hardlink('opt/R/copy/lib/R/library/base/DESCRIPTION', 'opt/R/4.4.1/lib/R/library/base/DESCRIPTION')] },
      ),
    );
    expect(tree.entry('/opt/R/4.4.1/bin/Rscript')).toMatchObject({ kind: 'file', executable: true });
    expect(tree.entry('/opt/R/copy/lib/R/library/base/DESCRIPTION')).toMatchObject({ kind: 'file', content: expect.stringContaining('Version: 4.4.1') });
  });

  it('keeps symbolic links as links, and looks paths up through linked folders', async () => {
    const { tree } = await inspectForTest((await layout([aDataScienceImage()])).folder);
    expect(tree.entry('/bin')).toEqual({ kind: 'symlink', target: 'usr/bin' });
    expect(tree.entry('/bin/python3')).toEqual({ kind: 'symlink', target: 'python3.11' });
    expect(tree.entry('/bin/python3.11')).toMatchObject({ kind: 'file', executable: true });
    expect(tree.children('/bin')).toEqual(['python3', 'python3.11']);
  });

  it('gives up on a symbolic-link loop instead of following it forever', async () => {
    const { tree } = await inspectForTest(await layers({ entries: [symlink('a', 'b'), symlink('b', 'a')] }));
    expect(tree.entry('/a')).toEqual({ kind: 'symlink', target: 'b' });
    expect(tree.entry('/a/x')).toBeUndefined();
    expect(tree.children('/a')).toEqual([]);
  });

  it('replaces a lower folder by a later file of the same name, and a file by a later folder', async () => {
    const { tree } = await inspectForTest(
      await layers({ entries: [...rInstallation('opt/R/4.4.1', '4.4.1'), file('opt/quarto', 'x')] }, { entries: [file('opt/R/4.4.1', 'gone'), folder('opt/quarto'), executable('opt/quarto/bin/quarto')] }),
    );
    expect(tree.entry('/opt/R/4.4.1')).toMatchObject({ kind: 'file' });
    expect(tree.entry('/opt/R/4.4.1/bin/R')).toBeUndefined();
    expect(tree.children('/opt/quarto')).toEqual(['bin']);
  });

  it('unpacks one layer as written when a file takes a folder’s place and a folder the file’s again', async () => {
    const { tree } = await inspectForTest(
      await layers({ entries: [executable('opt/a/x'), executable('opt/a/z'), file('opt/a', 'now a file'), executable('opt/a/y'), file('opt/b', 'b')] }),
    );
    expect(tree.entry('/opt/a')).toMatchObject({ kind: 'directory' });
    expect(tree.children('/opt/a')).toEqual(['y']);
    expect(tree.children('/opt')).toEqual(['a', 'b']);
  });

  it('keeps the content only of files holdsVersion picks, and only up to the size cap', async () => {
    const big = `Version: 9.9.9\n${'x'.repeat(2000)}`;
    const folderPath = await layers({ entries: [file('opt/R/4.4.1/lib/R/library/base/DESCRIPTION', big), file('opt/R/4.4.1/NEWS', 'Version: 4.4.1'), file('opt/quarto/share/version', '1.5.57')] });
    const { tree } = await inspectForTest(folderPath, { layerLimits: { ...DEFAULT_LAYER_LIMITS, maxContentBytes: 1000 } });
    expect(tree.entry('/opt/R/4.4.1/lib/R/library/base/DESCRIPTION')).toEqual({ kind: 'file', executable: false, size: big.length });
    expect(tree.entry('/opt/R/4.4.1/NEWS')).toEqual({ kind: 'file', executable: false, size: 14 });
    expect(tree.entry('/opt/quarto/share/version')).toMatchObject({ content: '1.5.57' });
  });

  it('tells a layer’s compression by its first bytes when the media type says otherwise', async () => {
    const entries = rInstallation('opt/R/4.4.1', '4.4.1');
    const { tree } = await inspectForTest(
      await layers(
        { entries, compression: 'gzip', mediaType: 'application/vnd.oci.image.layer.v1.tar' },
        { entries: rInstallation('opt/R/4.2.0', '4.2.0'), compression: 'none', mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' },
        { entries: rInstallation('opt/R/4.1.0', '4.1.0'), compression: 'zstd', mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip' },
      ),
    );
    expect(tree.children('/opt/R')).toEqual(['4.1.0', '4.2.0', '4.4.1']);
  });

  it('reads an empty layer blob as a layer that changes nothing', async () => {
    const { tree } = await inspectForTest(await layers({ entries: rInstallation('opt/R/4.4.1', '4.4.1') }, { entries: [], blob: Buffer.alloc(0) }));
    expect(tree.children('/opt/R')).toEqual(['4.4.1']);
  });

  it('refuses a layer whose media type is not a file-system layer (an encrypted one)', async () => {
    const folderPath = await layers({ entries: [file('a')], mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip+encrypted' });
    expect(await failureOf(inspectForTest(folderPath))).toContain('has the media type application/vnd.oci.image.layer.v1.tar+gzip+encrypted, which is not a file-system layer');
  });
});

describe('inspectImage: remembered layers', () => {
  it('reads only its own layers for a second image on the same base', async () => {
    const base = aDataScienceImage();
    const first = await layout([base]);
    const second = await layout([{ ...base, layers: [...base.layers, { entries: rInstallation('opt/R/4.5.0', '4.5.0') }] }]);
    // The second layout lacks the shared layers: only a remembered layer can stand in for them.
    for (const layer of first.images[0]!.layers) await rm(blobFile(second, layer.digest));
    expect(await failureOf(inspectForTest(second.folder))).toContain('has no blob');

    const layerCache = createLayerCache();
    const firstRead = await inspectForTest(first.folder, { layerCache });
    expect(firstRead.lines.filter((line) => line.endsWith('(already read)'))).toEqual([]);
    const secondRead = await inspectForTest(second.folder, { layerCache });
    expect(secondRead.lines.filter((line) => line.endsWith('(already read)'))).toHaveLength(4);
    expect(secondRead.tree.children('/opt/R')).toEqual(['4.4.1', '4.5.0']);
    expect(secondRead.tree.children('/opt/python')).toEqual(['3.11.9']);
  });

  it('forgets the least recently used layers past its size', () => {
    const cache = createLayerCache(3);
    cache.set('sha256:a', [{ kind: 'whiteout', path: '/a' }, { kind: 'whiteout', path: '/b' }]);
    cache.set('sha256:b', [{ kind: 'whiteout', path: '/c' }]);
    cache.get('sha256:a');
    cache.set('sha256:c', [{ kind: 'whiteout', path: '/d' }]);
    expect(cache.get('sha256:b')).toBeUndefined();
    expect(cache.get('sha256:a')).toHaveLength(2);
    expect(cache.get('sha256:c')).toHaveLength(1);
  });
});

describe('inspectImage: a source that fails halfway', () => {
  it('reports the source’s own error when a layer stream breaks off (a dropped connection)', async () => {
    const built = await layout([aDataScienceImage()]);
    const real = await localImageSource(built.folder);
    const breaking: BlobSource = {
      ...real,
      async openBlob(descriptor, signal) {
        if (descriptor.digest !== built.images[0]!.layers[1]!.digest) return real.openBlob(descriptor, signal);
        const bytes = await readFile(blobFile(built, descriptor.digest));
        const stream = new PassThrough();
        stream.write(bytes.subarray(0, bytes.length >> 1));
        setTimeout(() => stream.destroy(new Error('connection reset by peer')), 20);
        return stream;
      },
    };
    const message = await failureOf(inspectForTest(breaking));
    expect(message).toMatch(/^Layer sha256:[a-f0-9]{12} cannot be read: connection reset by peer/);
  });
});

describe('inspectImage: caps on size and time', () => {
  it('stops past ENVDESK_INSPECT_MAX_BYTES', async () => {
    const folderPath = (await layout([aDataScienceImage()])).folder;
    expect(await failureOf(inspectForTest(folderPath, { maxBytes: 600 }))).toBe(
      'The image is larger than 600 bytes, the most inspection reads (ENVDESK_INSPECT_MAX_BYTES).',
    );
  });

  it('stops past the most entries an image may hold', async () => {
    const folderPath = (await layout([aDataScienceImage()])).folder;
    expect(await failureOf(inspectForTest(folderPath, { maxEntries: 5 }))).toContain('holds more than 5 files');
  });

  it('stops at its time limit when a layer stalls, and when the caller gives up', async () => {
    const built = await layout([aDataScienceImage()]);
    const real = await localImageSource(built.folder);
    const stalled = new PassThrough();
    stalled.write(gzipSync(await tarOfEntries([file('a')])).subarray(0, 10));
    const stalling: BlobSource = { ...real, describe: real.describe, openBlob: async () => stalled };
    expect(await failureOf(inspectForTest(stalling, { signal: AbortSignal.timeout(200) }))).toContain('took longer than its time limit (ENVDESK_INSPECT_TIMEOUT_SECONDS)');

    const controller = new AbortController();
    const message = await failureOf(
      inspectForTest(built.folder, { signal: controller.signal, onProgress: (line) => line.startsWith('layer 2/') && controller.abort() }),
    );
    expect(message).toBe('Inspecting the image was stopped before it finished.');
  });
});
