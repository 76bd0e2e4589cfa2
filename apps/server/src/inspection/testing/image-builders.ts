import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';

/**
 * Real OCI images for tests, e2e journeys and benches, written to disk as an OCI image layout
 * (`oci-layout`, `index.json`, `blobs/sha256/…`), and as `docker save` tarballs or `oci-archive`s
 * made from them. Layers are real tars (tar-stream), compressed with node:zlib or the `zstd` tool.
 */

/** One tar entry; `name` is written as given (`opt/R/4.4.1/bin/R`, or `../x` for a hostile layer). */
export interface LayerEntry {
  readonly name: string;
  readonly type?: 'file' | 'directory' | 'symlink' | 'link';
  readonly content?: string | Buffer;
  readonly linkname?: string;
  readonly mode?: number;
}

export type Compression = 'gzip' | 'zstd' | 'none';

export interface LayerSpec {
  readonly entries: readonly LayerEntry[];
  readonly compression?: Compression;
  /** The media type the manifest gives; by default the OCI one for the compression. */
  readonly mediaType?: string;
  /** Bytes written as the blob instead of the tar (a corrupt or hostile layer); the digest is theirs. */
  readonly blob?: Buffer;
}

export interface ImageSpec {
  readonly layers: readonly LayerSpec[];
  /** The config's `Env`: `PATH=…` among them. */
  readonly env?: readonly string[];
  readonly platform?: { readonly os: string; readonly architecture: string; readonly variant?: string };
}

export const file = (name: string, content: string | Buffer = '', mode = 0o644): LayerEntry => ({ name, type: 'file', content, mode });
export const executable = (name: string, content = '#!/bin/sh\n'): LayerEntry => ({ name, type: 'file', content, mode: 0o755 });
export const folder = (name: string): LayerEntry => ({ name, type: 'directory', mode: 0o755 });
export const symlink = (name: string, linkname: string): LayerEntry => ({ name, type: 'symlink', linkname });
export const hardlink = (name: string, linkname: string): LayerEntry => ({ name, type: 'link', linkname });
/** Deletes `name` from the layers below (`.wh.<name>`). */
export const whiteout = (name: string): LayerEntry => {
  const slash = name.lastIndexOf('/');
  return file(slash === -1 ? `.wh.${name}` : `${name.slice(0, slash)}/.wh.${name.slice(slash + 1)}`);
};
/** Hides what the layers below hold in `folderName` (`.wh..wh..opq`). */
export const opaque = (folderName: string): LayerEntry => file(`${folderName}/.wh..wh..opq`);

/** An R installation as the scripts find it: `bin/R` and base's DESCRIPTION. */
export const rInstallation = (home: string, version: string): LayerEntry[] => [
  folder(home),
  executable(`${home}/bin/R`),
  file(`${home}/lib/R/library/base/DESCRIPTION`, `Package: base\nVersion: ${version}\nTitle: The R Base Package\n`),
];
/** A Python installation: `bin/python` and `include/python3.X/patchlevel.h`. */
export const pythonInstallation = (home: string, version: string): LayerEntry[] => [
  folder(home),
  executable(`${home}/bin/python3`),
  symlink(`${home}/bin/python`, 'python3'),
  file(`${home}/include/python${version.split('.').slice(0, 2).join('.')}/patchlevel.h`, `#define PY_VERSION "${version}"\n`),
];
/** A Quarto installation: `bin/quarto` and `share/version`. */
export const quartoInstallation = (home: string, version: string): LayerEntry[] => [
  folder(home),
  executable(`${home}/bin/quarto`),
  file(`${home}/share/version`, `${version}\n`),
];

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const BUILT_AT = new Date('2026-01-01T00:00:00Z');

/** The uncompressed tar of a layer's entries; the same entries always give the same bytes. */
export async function tarOfEntries(entries: readonly LayerEntry[]): Promise<Buffer> {
  const packer = pack();
  for (const entry of entries) {
    const type = entry.type ?? 'file';
    // A fixed time keeps a layer's digest the same however often it is built: images share base layers.
    const header = { name: entry.name, type, mode: entry.mode ?? (type === 'directory' ? 0o755 : 0o644), linkname: entry.linkname, mtime: BUILT_AT };
    if (type === 'file') packer.entry(header, entry.content ?? '');
    else packer.entry(header);
  }
  packer.finalize();
  const pieces: Buffer[] = [];
  for await (const piece of packer) pieces.push(piece as Buffer);
  return Buffer.concat(pieces);
}

/** zstd through the command-line tool (Debian's `zstd` package; `.ci/run` installs it). */
export const zstdCompress = (data: Buffer): Buffer => execFileSync('zstd', ['-q', '-c', '-3'], { input: data, maxBuffer: 1024 * 1024 * 1024 });

export function compress(data: Buffer, compression: Compression): Buffer {
  if (compression === 'gzip') return gzipSync(data);
  if (compression === 'zstd') return zstdCompress(data);
  return data;
}

const MEDIA_TYPES: Record<Compression, string> = {
  none: 'application/vnd.oci.image.layer.v1.tar',
  gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
};

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly platform?: ImageSpec['platform'];
  readonly annotations?: Record<string, string>;
}

export interface BuiltLayer extends Descriptor {
  /** The digest of the uncompressed tar: the config's `rootfs.diff_ids`. */
  readonly diffId: string;
  readonly tar: Buffer;
}

export interface BuiltImage {
  readonly manifest: Descriptor;
  readonly config: Descriptor;
  readonly layers: readonly BuiltLayer[];
  readonly platform: NonNullable<ImageSpec['platform']>;
}

export interface BuiltLayout {
  readonly folder: string;
  /** The image index's descriptor when the layout holds several platforms. */
  readonly index: Descriptor | null;
  readonly images: readonly BuiltImage[];
  readonly tag: string;
}

async function writeBlob(folderPath: string, bytes: Buffer, mediaType: string): Promise<Descriptor> {
  const hex = sha256(bytes);
  await mkdir(join(folderPath, 'blobs', 'sha256'), { recursive: true });
  await writeFile(join(folderPath, 'blobs', 'sha256', hex), bytes);
  return { mediaType, digest: `sha256:${hex}`, size: bytes.length };
}

async function writeImage(folderPath: string, spec: ImageSpec): Promise<BuiltImage> {
  const platform = spec.platform ?? { os: 'linux', architecture: 'amd64' };
  const layers: BuiltLayer[] = [];
  for (const layer of spec.layers) {
    const tar = await tarOfEntries(layer.entries);
    const compression = layer.compression ?? 'gzip';
    const stored = layer.blob ?? compress(tar, compression);
    const descriptor = await writeBlob(folderPath, stored, layer.mediaType ?? MEDIA_TYPES[compression]);
    layers.push({ ...descriptor, diffId: `sha256:${sha256(tar)}`, tar });
  }
  const config = {
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    config: { Env: spec.env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] },
    rootfs: { type: 'layers', diff_ids: layers.map((layer) => layer.diffId) },
  };
  const configDescriptor = await writeBlob(folderPath, Buffer.from(JSON.stringify(config)), 'application/vnd.oci.image.config.v1+json');
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: configDescriptor,
    layers: layers.map(({ mediaType, digest, size }) => ({ mediaType, digest, size })),
  };
  const manifestDescriptor = await writeBlob(folderPath, Buffer.from(JSON.stringify(manifest)), 'application/vnd.oci.image.manifest.v1+json');
  return { manifest: manifestDescriptor, config: configDescriptor, layers, platform };
}

/**
 * Writes an OCI image layout holding one image (`index.json` names its manifest) or, given several
 * platforms, an image index of them (`index.json` names the index), tagged `tag`.
 */
export async function writeOciLayout(folderPath: string, images: readonly ImageSpec[], options: { tag?: string } = {}): Promise<BuiltLayout> {
  const tag = options.tag ?? 'latest';
  await mkdir(folderPath, { recursive: true });
  await writeFile(join(folderPath, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const built: BuiltImage[] = [];
  for (const image of images) built.push(await writeImage(folderPath, image));
  const annotations = { 'org.opencontainers.image.ref.name': tag };
  let index: Descriptor | null = null;
  let top: Descriptor;
  if (built.length === 1) top = { ...built[0]!.manifest, annotations };
  else {
    const document = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: built.map((image) => ({ ...image.manifest, platform: image.platform })),
    };
    index = await writeBlob(folderPath, Buffer.from(JSON.stringify(document)), 'application/vnd.oci.image.index.v1+json');
    top = { ...index, annotations };
  }
  await writeFile(join(folderPath, 'index.json'), JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [top] }));
  return { folder: folderPath, index, images: built, tag };
}

export interface ArchiveMember {
  readonly name: string;
  readonly content?: Buffer;
  readonly type?: 'file' | 'symlink';
  readonly linkname?: string;
}

/** Writes a tar file of the given members. */
export async function writeTar(path: string, members: readonly ArchiveMember[]): Promise<string> {
  const packer = pack();
  for (const member of members) {
    if (member.type === 'symlink') packer.entry({ name: member.name, type: 'symlink', linkname: member.linkname, mtime: BUILT_AT });
    else packer.entry({ name: member.name, mode: 0o644, mtime: BUILT_AT }, member.content ?? Buffer.alloc(0));
  }
  packer.finalize();
  await pipeline(packer, createWriteStream(path));
  return path;
}

async function filesUnder(root: string, folderPath = root): Promise<string[]> {
  const found: string[] = [];
  for (const name of (await readdir(folderPath)).sort()) {
    const full = join(folderPath, name);
    if ((await stat(full)).isDirectory()) found.push(...(await filesUnder(root, full)));
    else found.push(relative(root, full).split('\\').join('/'));
  }
  return found;
}

/** The layout's files as tar members (an `oci-archive`, or the layout newer `docker save` writes). */
async function layoutMembers(layout: BuiltLayout): Promise<ArchiveMember[]> {
  const members: ArchiveMember[] = [];
  for (const name of await filesUnder(layout.folder)) members.push({ name, content: await readFile(join(layout.folder, name)) });
  return members;
}

/** `skopeo copy oci:… oci-archive:…` / `podman save --format oci-archive`: a layout in a tar. */
export async function writeOciArchive(layout: BuiltLayout, path: string): Promise<string> {
  return writeTar(path, await layoutMembers(layout));
}

/**
 * `docker save` of one image of the layout. `legacy` is the docker-archive format (Docker before 25,
 * `podman save`): `manifest.json`, `<hex>.json` config and `<id>/layer.tar` plain tars, a repeated
 * layer written as a symbolic link to the first. `oci` is Docker 25's: the layout plus a manifest.json.
 */
export async function writeDockerSave(
  layout: BuiltLayout,
  path: string,
  options: { format: 'legacy' | 'oci'; image?: number; repoTag?: string; /** legacy: several images of the layout, each with its tag. */ images?: ReadonlyArray<{ image: number; repoTag: string }> },
): Promise<string> {
  const saved = options.images ?? [{ image: options.image ?? 0, repoTag: options.repoTag ?? `example.test/data-science:${layout.tag}` }];
  if (options.format === 'oci') {
    const manifest = saved.map(({ image: position, repoTag }) => {
      const image = layout.images[position]!;
      return { Config: `blobs/sha256/${image.config.digest.slice(7)}`, RepoTags: [repoTag], Layers: image.layers.map((layer) => `blobs/sha256/${layer.digest.slice(7)}`) };
    });
    return writeTar(path, [...(await layoutMembers(layout)), { name: 'manifest.json', content: Buffer.from(JSON.stringify(manifest)) }]);
  }
  const members: ArchiveMember[] = [];
  const manifest: Array<{ Config: string; RepoTags: string[]; Layers: string[] }> = [];
  const firstPathOf = new Map<string, string>();
  for (const { image: position, repoTag } of saved) {
    const image = layout.images[position]!;
    const layerPaths: string[] = [];
    for (const [index, layer] of image.layers.entries()) {
      const id = sha256(Buffer.from(`${position}:${index}:${layer.diffId}`));
      const layerPath = `${id}/layer.tar`;
      const first = firstPathOf.get(layer.diffId);
      if (first) members.push({ name: layerPath, type: 'symlink', linkname: `../${first}` });
      else {
        firstPathOf.set(layer.diffId, layerPath);
        members.push({ name: `${id}/VERSION`, content: Buffer.from('1.0') }, { name: layerPath, content: layer.tar });
      }
      layerPaths.push(layerPath);
    }
    const configName = `${image.config.digest.slice(7)}.json`;
    members.push({ name: configName, content: await readFile(join(layout.folder, 'blobs', 'sha256', image.config.digest.slice(7))) });
    manifest.push({ Config: configName, RepoTags: [repoTag], Layers: layerPaths });
  }
  members.push({ name: 'manifest.json', content: Buffer.from(JSON.stringify(manifest)) });
  return writeTar(path, members);
}

/** Which files' contents the tests keep: the version files issue 12 names. */
export const holdsVersionForTests = (path: string): boolean => /\/(DESCRIPTION|patchlevel\.h|share\/version)$/.test(path);

/**
 * An image with installations in every home and on `PATH`, over four layers in each compression:
 * a base with `bin → usr/bin` and `python3` on `PATH` (gzip); two R versions with a hard-linked
 * `Rscript` (zstd); Python and Quarto (uncompressed); then a layer removing R 4.3.0 (whiteout) and
 * replacing `/opt/python` (opaque folder) with Python 3.11.9 (gzip).
 */
export function aDataScienceImage(overrides: { rVersion?: string; platform?: ImageSpec['platform'] } = {}): ImageSpec {
  const rVersion = overrides.rVersion ?? '4.4.1';
  return {
    platform: overrides.platform,
    env: ['PATH=/opt/quarto/bin:/usr/local/bin:/usr/bin:/bin', 'LANG=C.UTF-8'],
    layers: [
      {
        compression: 'gzip',
        entries: [folder('usr'), folder('usr/bin'), symlink('bin', 'usr/bin'), executable('usr/bin/python3.11'), symlink('usr/bin/python3', 'python3.11'), file('etc/os-release', 'ID=debian\n')],
      },
      {
        compression: 'zstd',
        entries: [folder('opt'), folder('opt/R'), ...rInstallation(`opt/R/${rVersion}`, rVersion), hardlink(`opt/R/${rVersion}/bin/Rscript`, `opt/R/${rVersion}/bin/R`), ...rInstallation('opt/R/4.3.0', '4.3.0')],
      },
      {
        compression: 'none',
        entries: [folder('opt/python'), ...pythonInstallation('opt/python/3.12.4', '3.12.4'), ...quartoInstallation('opt/quarto', '1.5.57')],
      },
      {
        compression: 'gzip',
        entries: [whiteout('opt/R/4.3.0'), ...pythonInstallation('opt/python/3.11.9', '3.11.9'), opaque('opt/python')],
      },
    ],
  };
}
