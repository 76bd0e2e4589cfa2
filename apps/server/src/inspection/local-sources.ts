import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { type DockerArchiveManifest, DockerArchiveManifestSchema, type OciDescriptor, OciImageConfigSchema, OciIndexSchema, imageReferenceProblem } from '@envdesk/domain';
import { type BlobSource, type Descriptor, imageProblem, parseDigest } from './blob-source.js';
import { type TarMember, findMember, indexTar } from './tar-index.js';

/** An index, manifest or config larger than this is not one. */
export const MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;

/** Layers are read in large pieces: each piece is a round trip to the inflating thread, and 64 kB ones cost a tenth of inflating. */
const READ_CHUNK_BYTES = 1024 * 1024;

/** The files of a saved image, wherever they sit: a folder, or members of a tar. */
interface ImageFiles {
  readonly name: string;
  /** The file's size, or null when there is none. */
  size(path: string): Promise<number | null>;
  read(path: string): Promise<Buffer>;
  open(path: string): Promise<Readable>;
}

function folderFiles(folder: string): ImageFiles {
  const full = (path: string) => join(folder, ...path.split('/'));
  return {
    name: `the OCI layout ${basename(folder)}`,
    async size(path) {
      try {
        const info = await stat(full(path));
        return info.isFile() ? info.size : null;
      } catch {
        return null;
      }
    },
    read: (path) => readFile(full(path)),
    async open(path) {
      const stream = createReadStream(full(path), { highWaterMark: READ_CHUNK_BYTES });
      await new Promise<void>((resolve, reject) => {
        stream.once('open', () => resolve());
        stream.once('error', reject);
      });
      return stream;
    },
  };
}

async function tarFiles(file: string, name: string): Promise<ImageFiles> {
  const handle = await open(file, 'r');
  let members: Map<string, TarMember>;
  try {
    members = await indexTar(handle, (await handle.stat()).size, name);
  } finally {
    await handle.close();
  }
  return {
    name,
    size: async (path) => findMember(members, path)?.size ?? null,
    async read(path) {
      const member = findMember(members, path);
      if (!member) throw imageProblem(`${name} has no ${path}.`);
      const reader = await open(file, 'r');
      try {
        const data = Buffer.alloc(member.size);
        await reader.read(data, 0, member.size, member.offset);
        return data;
      } finally {
        await reader.close();
      }
    },
    async open(path) {
      const member = findMember(members, path);
      if (!member) throw imageProblem(`${name} has no ${path}.`);
      if (member.size === 0) return Readable.from([]);
      return createReadStream(file, { start: member.offset, end: member.offset + member.size - 1, highWaterMark: READ_CHUNK_BYTES });
    },
  };
}

async function readDocument(files: ImageFiles, path: string, what: string): Promise<Buffer> {
  const size = await files.size(path);
  if (size === null) throw imageProblem(`${files.name} has no ${what} (${path}).`);
  if (size > MAX_DOCUMENT_BYTES) throw imageProblem(`${files.name} has a ${what} of ${size} bytes, more than ${MAX_DOCUMENT_BYTES} (${path}).`);
  return files.read(path);
}

function parseJson(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw imageProblem(`${what} is not JSON.`);
  }
}

const blobPath = (descriptor: Descriptor) => {
  const { algorithm, hex } = parseDigest(descriptor.digest);
  return `blobs/${algorithm}/${hex}`;
};

/** The names a layout's index gives an entry: a tag (`4.4`) or a whole reference (`docker.io/rstudio/r:4.4`). */
const namesOf = (entry: OciDescriptor) =>
  [entry.annotations?.['org.opencontainers.image.ref.name'], entry.annotations?.['io.containerd.image.name']].filter((name): name is string => !!name);
const nameMatches = (names: readonly string[], tag: string) => names.some((name) => name === tag || name.endsWith(`:${tag}`));

/**
 * The first of `names` that is a whole image reference (`ghcr.io/org/image:4.4`, `ubuntu:24.04`),
 * or null. Tools often annotate a layout's image with its tag alone (`latest`, `4.4`), which names
 * no image, so a name with neither a registry path nor a tag is not taken for one.
 */
const wholeReference = (names: readonly string[]): string | null =>
  names.find((name) => /[/:]/.test(name) && imageReferenceProblem(name) === null) ?? null;

/** The docker-archive image `tag` picks, or the only one; undefined when there is no telling. */
const savedImage = (saved: DockerArchiveManifest, tag: string | undefined) =>
  tag !== undefined ? saved.find((candidate) => nameMatches(candidate.RepoTags ?? [], tag)) : saved.length === 1 ? saved[0] : undefined;

/** An OCI image layout (image-spec `image-layout.md`): `oci-layout`, `index.json` and `blobs/<alg>/<hex>`. */
function layoutSource(files: ImageFiles, tag: string | undefined): BlobSource {
  let imageName: string | null = null;
  const source: BlobSource = {
    describe: () => files.name,
    imageName: () => imageName,
    async readRoot(signal) {
      if ((await files.size('oci-layout')) === null) throw imageProblem(`${files.name} is not an OCI image layout (it has no oci-layout file).`);
      const bytes = await readDocument(files, 'index.json', 'index');
      const parsed = OciIndexSchema.safeParse(parseJson(bytes, `The index.json of ${files.name}`));
      if (!parsed.success) throw imageProblem(`The index.json of ${files.name} is not an OCI image index.`);
      const entries = parsed.data.manifests;
      const named = [...new Set(entries.flatMap(namesOf))];
      let chosen: OciDescriptor | undefined;
      if (tag !== undefined) {
        chosen = entries.find((entry) => nameMatches(namesOf(entry), tag));
        if (!chosen) throw imageProblem(`${files.name} has no image tagged "${tag}"; it has ${named.length ? named.join(', ') : 'no tagged images'}.`);
      } else if (named.length > 1 && entries.every((entry) => !entry.platform)) {
        throw imageProblem(`${files.name} holds several images (${named.join(', ')}); name one with a tag.`);
      } else if (entries.length === 1) {
        chosen = entries[0];
      }
      imageName = wholeReference(chosen ? namesOf(chosen) : named.length === 1 ? named : []) ?? (await repoTagOf(files, tag));
      if (!chosen) return { bytes, digest: null };
      return { bytes: await source.readBlob(chosen, signal), digest: chosen.digest };
    },
    async readBlob(descriptor) {
      return readDocument(files, blobPath(descriptor), `blob ${descriptor.digest}`);
    },
    async openBlob(descriptor) {
      const path = blobPath(descriptor);
      if ((await files.size(path)) === null) throw imageProblem(`${files.name} has no blob ${descriptor.digest} (the image is incomplete).`);
      return files.open(path);
    },
  };
  return source;
}

/** Docker 25's `docker save` writes a layout whose index names the image by tag alone, and a manifest.json with its `RepoTags`. */
async function repoTagOf(files: ImageFiles, tag: string | undefined): Promise<string | null> {
  if ((await files.size('manifest.json')) === null) return null;
  let document: unknown;
  try {
    document = parseJson(await readDocument(files, 'manifest.json', 'manifest.json'), `The manifest.json of ${files.name}`);
  } catch {
    // The layout is what is read; a manifest.json beside it that cannot be read only names nothing.
    return null;
  }
  const parsed = DockerArchiveManifestSchema.safeParse(document);
  if (!parsed.success) return null;
  return wholeReference(savedImage(parsed.data, tag)?.RepoTags ?? []);
}

/**
 * A `docker save` / `podman save` archive in the docker-archive format: `manifest.json` names each
 * image's config and its layers (`<id>/layer.tar`, uncompressed). The layers have no descriptors
 * there, so they are named by the config's `rootfs.diff_ids` (an uncompressed layer's digest is its
 * diff ID) and checked against them like any blob.
 */
function dockerArchiveSource(files: ImageFiles, tag: string | undefined): BlobSource {
  const pathByDigest = new Map<string, string>();
  let imageName: string | null = null;
  return {
    describe: () => files.name,
    imageName: () => imageName,
    async readRoot() {
      const parsed = DockerArchiveManifestSchema.safeParse(parseJson(await readDocument(files, 'manifest.json', 'manifest.json'), `The manifest.json of ${files.name}`));
      if (!parsed.success || parsed.data.length === 0) throw imageProblem(`The manifest.json of ${files.name} does not list saved images.`);
      const tags = parsed.data.flatMap((image) => image.RepoTags ?? []);
      const image = savedImage(parsed.data, tag);
      if (!image) {
        throw imageProblem(
          tag !== undefined
            ? `${files.name} has no image tagged "${tag}"; it has ${tags.join(', ') || 'no tagged images'}.`
            : `${files.name} holds several images (${tags.join(', ')}); name one with a tag.`,
        );
      }
      imageName = wholeReference(image.RepoTags ?? []);
      const configBytes = await readDocument(files, image.Config, 'image config');
      const config = OciImageConfigSchema.safeParse(parseJson(configBytes, `The image config of ${files.name}`));
      const diffIds = config.success ? (config.data.rootfs?.diff_ids ?? []) : [];
      if (diffIds.length !== image.Layers.length) {
        throw imageProblem(`The image config of ${files.name} lists ${diffIds.length} layer digests for ${image.Layers.length} layers.`);
      }
      const configDigest = `sha256:${createHash('sha256').update(configBytes).digest('hex')}`;
      pathByDigest.set(configDigest, image.Config);
      const layers: Descriptor[] = [];
      for (const [index, path] of image.Layers.entries()) {
        const blob = /(?:^|\/)blobs\/sha256\/([a-f0-9]{64})$/.exec(path);
        const digest = blob ? `sha256:${blob[1]}` : diffIds[index]!;
        const size = await files.size(path);
        if (size === null) throw imageProblem(`${files.name} has no layer ${path} (the archive is incomplete).`);
        pathByDigest.set(digest, path);
        layers.push({ mediaType: 'application/vnd.docker.image.rootfs.diff.tar', digest, size });
      }
      const manifest = {
        schemaVersion: 2,
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: configDigest, size: configBytes.length },
        layers,
      };
      return { bytes: Buffer.from(JSON.stringify(manifest)), digest: null };
    },
    async readBlob(descriptor) {
      const path = pathByDigest.get(descriptor.digest);
      if (!path) throw imageProblem(`${files.name} has no blob ${descriptor.digest}.`);
      return readDocument(files, path, `blob ${descriptor.digest}`);
    },
    async openBlob(descriptor) {
      const path = pathByDigest.get(descriptor.digest);
      if (!path || (await files.size(path)) === null) throw imageProblem(`${files.name} has no blob ${descriptor.digest} (the archive is incomplete).`);
      return files.open(path);
    },
  };
}

/**
 * An image saved on this machine: an OCI layout folder, an `oci-archive` (a layout in a tar), or a
 * `docker save` / `podman save` tarball (newer Docker writes a layout inside, which is read as one).
 * `tag` picks one image when the source holds several.
 */
export async function localImageSource(path: string, options: { tag?: string } = {}): Promise<BlobSource> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw imageProblem(`There is no file or folder ${basename(path)} to inspect.`);
  }
  if (info.isDirectory()) return layoutSource(folderFiles(path), options.tag);
  const files = await tarFiles(path, `the image archive ${basename(path)}`);
  if ((await files.size('oci-layout')) !== null && (await files.size('index.json')) !== null) return layoutSource(files, options.tag);
  if ((await files.size('manifest.json')) !== null) return dockerArchiveSource(files, options.tag);
  throw imageProblem(`${files.name} is neither a docker save archive (no manifest.json) nor an OCI archive (no oci-layout and index.json).`);
}
