import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localImageSource } from './local-sources.js';
import {
  type BuiltLayout,
  type ImageSpec,
  aDataScienceImage,
  executable,
  folder,
  rInstallation,
  writeDockerSave,
  writeOciArchive,
  writeOciLayout,
} from './testing/image-builders.js';
import { failureOf, imageFolder, inspectForTest } from './testing/inspect-for-tests.js';

const temp = imageFolder();
afterAll(temp.cleanup);
const place = temp.place;
const inspect = inspectForTest;
const failure = failureOf;

const layout = (images: readonly ImageSpec[], options: { tag?: string } = {}) => writeOciLayout(place('layout'), images, options);

const blobFile = (built: BuiltLayout, digest: string) => path.join(built.folder, 'blobs', 'sha256', digest.slice(7));

/** What the data-science image's tree must show, whatever source it comes from. */
function expectDataScienceTree(tree: Awaited<ReturnType<typeof inspectForTest>>['tree']) {
  expect(tree.entry('/opt/R/4.4.1/lib/R/library/base/DESCRIPTION')).toMatchObject({ kind: 'file', content: expect.stringContaining('Version: 4.4.1') });
  expect(tree.entry('/opt/R/4.4.1/bin/R')).toMatchObject({ kind: 'file', executable: true });
  expect(tree.children('/opt/R')).toEqual(['4.4.1']);
  expect(tree.children('/opt/python')).toEqual(['3.11.9']);
  expect(tree.entry('/opt/python/3.11.9/include/python3.11/patchlevel.h')).toMatchObject({ content: '#define PY_VERSION "3.11.9"\n' });
  expect(tree.entry('/opt/quarto/share/version')).toMatchObject({ content: '1.5.57\n' });
  expect(tree.entry('/usr/bin/python3')).toEqual({ kind: 'symlink', target: 'python3.11' });
}

describe('inspectImage: sources', () => {
  it('reads an OCI layout folder: the merged tree, the PATH from the config, the platform and the manifest digest', async () => {
    const built = await layout([aDataScienceImage()]);
    const image = await inspect(built.folder);
    expectDataScienceTree(image.tree);
    expect(image.config).toEqual({ path: '/opt/quarto/bin:/usr/local/bin:/usr/bin:/bin' });
    expect(image.platforms).toEqual(['linux/amd64']);
    expect(image.digest).toBe(built.images[0]!.manifest.digest);
    expect(image.lines[0]).toBe(`manifest ${built.images[0]!.manifest.digest} (linux/amd64)`);
    expect(image.lines.slice(1)).toEqual(built.images[0]!.layers.map((layer, index) => expect.stringMatching(new RegExp(`^layer ${index + 1}/4 ${layer.digest.slice(0, 19)} \\d+\\.\\d MB$`))));
  });

  it('reads an oci-archive (a layout in a tar) without unpacking it', async () => {
    const built = await layout([aDataScienceImage()]);
    const image = await inspect(await writeOciArchive(built, place('image.oci.tar')));
    expectDataScienceTree(image.tree);
    expect(image.digest).toBe(built.images[0]!.manifest.digest);
  });

  it('reads a docker save / podman save archive in the docker-archive format (plain layer.tar files, no media types)', async () => {
    const built = await layout([aDataScienceImage()]);
    const image = await inspect(await writeDockerSave(built, place('legacy.tar'), { format: 'legacy' }));
    expectDataScienceTree(image.tree);
    expect(image.config.path).toBe('/opt/quarto/bin:/usr/local/bin:/usr/bin:/bin');
    expect(image.digest).toBe(built.images[0]!.config.digest);
  });

  it('reads a docker-archive whose repeated layer is a symbolic link to the first copy', async () => {
    const base = { compression: 'none' as const, entries: [folder('opt'), ...rInstallation('opt/R/4.2.3', '4.2.3')] };
    const built = await layout([{ layers: [base, { compression: 'none', entries: [executable('usr/bin/R')] }, base] }]);
    const image = await inspect(await writeDockerSave(built, place('repeated.tar'), { format: 'legacy' }));
    expect(image.tree.children('/opt/R')).toEqual(['4.2.3']);
    expect(image.tree.entry('/usr/bin/R')).toMatchObject({ kind: 'file', executable: true });
  });

  it('picks an image by tag from a docker save archive of several, sharing their layers', async () => {
    const built = await layout([aDataScienceImage({ rVersion: '4.4.1' }), aDataScienceImage({ rVersion: '4.5.0' })]);
    const archive = await writeDockerSave(built, place('two.tar'), {
      format: 'legacy',
      images: [
        { image: 0, repoTag: 'example.test/r:4.4' },
        { image: 1, repoTag: 'example.test/r:4.5' },
      ],
    });
    expect(await failure(inspect(archive))).toContain('holds several images (example.test/r:4.4, example.test/r:4.5); name one with a tag');
    expect((await inspect(await localImageSource(archive, { tag: '4.5' }))).tree.children('/opt/R')).toEqual(['4.5.0']);
    expect((await inspect(await localImageSource(archive, { tag: 'example.test/r:4.4' }))).tree.children('/opt/R')).toEqual(['4.4.1']);
  });

  it('reads a Docker 25 save archive (an OCI layout with a manifest.json)', async () => {
    const built = await layout([aDataScienceImage()]);
    const image = await inspect(await writeDockerSave(built, place('docker25.tar'), { format: 'oci' }));
    expectDataScienceTree(image.tree);
  });

  it('picks an image by tag when a layout or archive holds several, and says which it has otherwise', async () => {
    const built = await layout([aDataScienceImage()], { tag: 'r-4.4' });
    const index = JSON.parse(await readFile(path.join(built.folder, 'index.json'), 'utf8'));
    const other = await writeOciLayout(built.folder, [aDataScienceImage({ rVersion: '4.5.0' })], { tag: 'r-4.5' });
    const otherIndex = JSON.parse(await readFile(path.join(other.folder, 'index.json'), 'utf8'));
    await writeFile(path.join(built.folder, 'index.json'), JSON.stringify({ ...index, manifests: [...index.manifests, ...otherIndex.manifests] }));
    expect(await failure(inspect(built.folder))).toContain('holds several images (r-4.4, r-4.5); name one with a tag');
    const chosen = await inspect(await localImageSource(built.folder, { tag: 'r-4.5' }));
    expect(chosen.tree.children('/opt/R')).toEqual(['4.5.0']);
    expect(await failure(localImageSource(built.folder, { tag: 'r-9' }).then((source) => inspect(source)))).toContain('has no image tagged "r-9"; it has r-4.4, r-4.5');
  });

  it('refuses what is not a saved image: a missing path, a tar of something else, a gzip-compressed save', async () => {
    expect(await failure(inspect(place('nowhere')))).toContain('There is no file or folder');
    const built = await layout([aDataScienceImage()]);
    const archive = await writeDockerSave(built, place('save.tar'), { format: 'legacy' });
    const { gzipSync } = await import('node:zlib');
    const compressed = place('save.tar.gz');
    await writeFile(compressed, gzipSync(await readFile(archive)));
    expect(await failure(inspect(compressed))).toContain('is gzip-compressed; decompress it first');
    const text = place('notes.txt');
    await writeFile(text, 'not a tar at all'.repeat(100));
    expect(await failure(inspect(text))).toContain('is not a tar archive');
  });
});

describe('inspectImage: platforms', () => {
  const multiPlatform = () =>
    layout([
      aDataScienceImage({ rVersion: '4.4.1', platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } }),
      aDataScienceImage({ rVersion: '4.4.2', platform: { os: 'linux', architecture: 'amd64' } }),
      aDataScienceImage({ rVersion: '4.4.3', platform: { os: 'linux', architecture: 'arm', variant: 'v7' } }),
    ]);

  it('reads linux/amd64 from an image index by default and lists every platform', async () => {
    const built = await multiPlatform();
    const image = await inspect(built.folder);
    expect(image.tree.children('/opt/R')).toEqual(['4.4.2']);
    expect(image.platforms).toEqual(['linux/arm64/v8', 'linux/amd64', 'linux/arm/v7']);
    expect(image.platform).toBe('linux/amd64');
    expect(image.digest).toBe(built.images[1]!.manifest.digest);
  });

  it.each([
    ['linux/arm64', '4.4.1'],
    ['linux/arm64/v8', '4.4.1'],
    ['linux/arm/v7', '4.4.3'],
  ])('reads %s when asked', async (platform, rVersion) => {
    const image = await inspect((await multiPlatform()).folder, { platform });
    expect(image.tree.children('/opt/R')).toEqual([rVersion]);
    expect(image.lines[0]).toMatch(/^manifest sha256:[a-f0-9]{64} \(linux\/arm/);
  });

  it('refuses a platform the image lacks, naming those it has; and text that is not a platform', async () => {
    const built = await multiPlatform();
    expect(await failure(inspect(built.folder, { platform: 'linux/s390x' }))).toBe(
      'The image has no linux/s390x variant; its platforms are linux/arm64/v8, linux/amd64, linux/arm/v7.',
    );
    expect(await failure(inspect(built.folder, { platform: 'arm64' }))).toContain('is not a platform');
  });

  it('reads a single-platform image as what its config says, and refuses another platform for it', async () => {
    const built = await layout([aDataScienceImage({ platform: { os: 'linux', architecture: 'arm64' } })]);
    const image = await inspect(built.folder);
    expect(image.platforms).toEqual(['linux/arm64']);
    expect(await failure(inspect(built.folder, { platform: 'linux/amd64' }))).toContain('has no linux/amd64 variant; its platforms are linux/arm64');
  });

  it('skips BuildKit attestation manifests in an index', async () => {
    const built = await multiPlatform();
    const indexPath = blobFile(built, built.index!.digest);
    const index = JSON.parse(await readFile(indexPath, 'utf8'));
    index.manifests.unshift({ ...index.manifests[0], platform: { os: 'unknown', architecture: 'unknown' }, annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } });
    const bytes = Buffer.from(JSON.stringify(index));
    const { createHash } = await import('node:crypto');
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    await writeFile(path.join(built.folder, 'blobs', 'sha256', digest.slice(7)), bytes);
    await writeFile(path.join(built.folder, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ ...built.index, digest, size: bytes.length }] }));
    expect((await inspect(built.folder)).platforms).toEqual(['linux/arm64/v8', 'linux/amd64', 'linux/arm/v7']);
  });
});
