import { createHash } from 'node:crypto';
import { readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_LAYER_LIMITS } from './layer-reader.js';
import {
  type BuiltLayout,
  type LayerEntry,
  type LayerSpec,
  aDataScienceImage,
  file,
  hardlink,
  writeDockerSave,
  writeOciLayout,
} from './testing/image-builders.js';
import { failureOf, imageFolder, inspectForTest } from './testing/inspect-for-tests.js';

const temp = imageFolder();
afterAll(temp.cleanup);
const layoutOf = (...layers: LayerSpec[]) => writeOciLayout(temp.place('layout'), [{ layers }]);
const blobFile = (built: BuiltLayout, digest: string) => path.join(built.folder, 'blobs', 'sha256', digest.slice(7));
const shortOf = (digest: string) => digest.slice(0, 19);

/** Rewrites index.json to name one manifest written from `manifest`. */
async function pointAt(built: BuiltLayout, manifest: unknown) {
  const bytes = Buffer.from(JSON.stringify(manifest));
  const hex = createHash('sha256').update(bytes).digest('hex');
  await writeFile(path.join(built.folder, 'blobs', 'sha256', hex), bytes);
  await writeFile(path.join(built.folder, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${hex}`, size: bytes.length }] }));
}

describe('inspectImage: hostile layers', () => {
  it.each([
    ['a ".." entry', file('opt/../../etc/cron.d/x', 'x'), 'climbs out of the image with ".."'],
    ['an absolute entry', file('/etc/passwd', 'x'), 'is an absolute path'],
    ['a hard link climbing out', hardlink('opt/link', '../../etc/shadow'), 'climbs out of the image'],
  ] as Array<[string, LayerEntry, string]>)('refuses %s with a clear error naming the layer', async (_label, entry, reason) => {
    const built = await layoutOf({ entries: [file('ok'), entry] });
    const message = await failureOf(inspectForTest(built.folder));
    expect(message).toContain(`Layer ${shortOf(built.images[0]!.layers[0]!.digest)} holds the entry`);
    expect(message).toContain(reason);
  });

  it('refuses a huge PAX header before holding it whole', async () => {
    const built = await layoutOf({ entries: [file(`${'a/'.repeat(40_000)}x`, 'x')] });
    const message = await failureOf(inspectForTest(built.folder, { layerLimits: { ...DEFAULT_LAYER_LIMITS, maxHeaderBytes: 16 * 1024 } }));
    expect(message).toContain('bytes of tar headers between two entries');
  });

  it('refuses a tar bomb (a layer expanding far past its stored size)', async () => {
    const built = await layoutOf({ entries: [file('zeros', Buffer.alloc(8 * 1024 * 1024))], compression: 'gzip' });
    const message = await failureOf(inspectForTest(built.folder, { layerLimits: { ...DEFAULT_LAYER_LIMITS, ratioGraceBytes: 1024 * 1024, maxRatio: 50 } }));
    expect(message).toContain('expands more than 50 times its stored size (a decompression bomb?)');
  });

  it('refuses a layer whose content does not match its digest', async () => {
    const built = await writeOciLayout(temp.place('layout'), [aDataScienceImage()]);
    const plain = built.images[0]!.layers[2]!; // uncompressed: the tar still parses once changed
    const bytes = await readFile(blobFile(built, plain.digest));
    await writeFile(blobFile(built, plain.digest), Buffer.from(bytes.toString('latin1').replace('1.5.57', '6.6.66'), 'latin1'));
    expect(await failureOf(inspectForTest(built.folder))).toBe(
      `Layer ${shortOf(plain.digest)} does not match its digest: its content is not what the manifest names (corrupt, truncated or tampered with).`,
    );
  });

  it.each([
    ['gzip', 0],
    ['zstd', 1],
    ['uncompressed', 2],
  ])('refuses a truncated %s layer', async (_label, index) => {
    const built = await writeOciLayout(temp.place('layout'), [aDataScienceImage()]);
    const layer = built.images[0]!.layers[index]!;
    await truncate(blobFile(built, layer.digest), Math.floor(layer.size / 2));
    expect(await failureOf(inspectForTest(built.folder))).toMatch(new RegExp(`^Layer ${shortOf(layer.digest)} (cannot be read: .* \\(the blob is truncated or corrupt\\)|does not match its digest)`));
  });

  it('refuses a layer blob that is missing, after reading the layers before it', async () => {
    const built = await writeOciLayout(temp.place('layout'), [aDataScienceImage()]);
    const missing = built.images[0]!.layers[2]!;
    await rm(blobFile(built, missing.digest));
    const lines: string[] = [];
    expect(await failureOf(inspectForTest(built.folder, { onProgress: (line) => lines.push(line) }))).toContain(`has no blob ${missing.digest} (the image is incomplete)`);
    expect(lines.at(-1)).toMatch(/^layer 3\/4 /);
  });
});

describe('inspectImage: hostile documents', () => {
  it('refuses a digest that would name a file outside the layout', async () => {
    const built = await writeOciLayout(temp.place('layout'), [aDataScienceImage()]);
    const manifest = JSON.parse(await readFile(blobFile(built, built.images[0]!.manifest.digest), 'utf8'));
    manifest.layers[0].digest = 'sha256:../../../../etc/passwd';
    await pointAt(built, manifest);
    expect(await failureOf(inspectForTest(built.folder))).toContain('names a blob by "sha256:../../../../etc/passwd", which is not a sha256 or sha512 digest');
  });

  it('refuses a config or manifest that does not match its digest', async () => {
    const built = await writeOciLayout(temp.place('layout'), [aDataScienceImage()]);
    const configPath = blobFile(built, built.images[0]!.config.digest);
    await writeFile(configPath, (await readFile(configPath, 'utf8')).replace('/opt/quarto/bin', '/evil/xx/bin'));
    expect(await failureOf(inspectForTest(built.folder))).toContain(`The image config ${shortOf(built.images[0]!.config.digest)} in the OCI layout`);

    const other = await writeOciLayout(temp.place('layout'), [aDataScienceImage()]);
    const manifestPath = blobFile(other, other.images[0]!.manifest.digest);
    await writeFile(manifestPath, `${await readFile(manifestPath, 'utf8')} `);
    expect(await failureOf(inspectForTest(other.folder))).toContain('does not match its digest');
  });

  it('refuses an index.json that is not JSON, and a layout without oci-layout', async () => {
    const built = await writeOciLayout(temp.place('layout'), [aDataScienceImage()]);
    await writeFile(path.join(built.folder, 'index.json'), '{"manifests": [');
    expect(await failureOf(inspectForTest(built.folder))).toContain('index.json of the OCI layout');
    await rm(path.join(built.folder, 'oci-layout'));
    expect(await failureOf(inspectForTest(built.folder))).toContain('is not an OCI image layout (it has no oci-layout file)');
  });

  it('refuses a docker save archive cut short', async () => {
    const built = await writeOciLayout(temp.place('layout'), [aDataScienceImage()]);
    const archive = await writeDockerSave(built, temp.place('save.tar'), { format: 'legacy' });
    await truncate(archive, Math.floor((await stat(archive)).size * 0.6));
    expect(await failureOf(inspectForTest(archive))).toMatch(/truncated/);
  });

  it('refuses a docker save archive whose layer is not the one its config names', async () => {
    const built = await writeOciLayout(temp.place('layout'), [aDataScienceImage()]);
    const archive = await writeDockerSave(built, temp.place('save.tar'), { format: 'legacy' });
    const bytes = await readFile(archive);
    await writeFile(archive, Buffer.from(bytes.toString('latin1').replace('ID=debian', 'ID=evilos'), 'latin1'));
    expect(await failureOf(inspectForTest(archive))).toContain(`Layer ${shortOf(built.images[0]!.layers[0]!.diffId)} does not match its digest`);
  });
});
