import { namesAFile } from '@envdesk/domain';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type BlobSource, imageProblem } from './blob-source.js';
import { localImageSource } from './local-sources.js';
import { parseRegistryReference } from './registry/reference.js';
import type { RegistryClient } from './registry/registry-client.js';
import { registrySource } from './registry-source.js';

export interface ImageSourceDeps {
  /** Reads images named by reference (`ghcr.io/org/image:tag`). */
  readonly registry: RegistryClient;
  /**
   * Whether what is typed may name files on this machine. Only the command line allows it: through
   * the API, a caller must never make the server read (or probe for) its files.
   */
  readonly allowLocalPaths: boolean;
}

/** skopeo's transport prefixes for images saved on disk. */
const TRANSPORTS = ['oci:', 'oci-archive:', 'docker-archive:'] as const;
type Transport = (typeof TRANSPORTS)[number];
const ARCHIVE = /\.(tar|tar\.gz|tgz)$/i;
const TAG = /^\w[\w.-]{0,127}$/;

async function kindOf(path: string): Promise<'folder' | 'file' | null> {
  try {
    const info = await stat(path);
    return info.isDirectory() ? 'folder' : info.isFile() ? 'file' : null;
  } catch {
    return null;
  }
}

/** `path[:tag]` as skopeo writes it: a path that exists whole wins over one with a tag split off. */
async function pathAndTag(rest: string): Promise<{ path: string; tag?: string }> {
  const colon = rest.lastIndexOf(':');
  if (colon <= rest.lastIndexOf('/') || (await kindOf(rest)) !== null) return { path: rest };
  const tag = rest.slice(colon + 1);
  return TAG.test(tag) ? { path: rest.slice(0, colon), tag } : { path: rest };
}

async function transportSource(transport: Transport, rest: string): Promise<BlobSource> {
  const { path, tag } = transport === 'docker-archive:' ? { path: rest, tag: undefined } : await pathAndTag(rest);
  if (path === '') throw imageProblem(`${transport} needs a path after it, for example ${transport}./image${transport === 'oci:' ? '' : '.tar'}.`);
  const kind = await kindOf(path);
  if (kind === null) throw imageProblem(`There is no file or folder ${path} to inspect.`);
  if (transport === 'oci:' && kind !== 'folder') throw imageProblem(`${path} is a file, not an OCI layout folder; write oci-archive:${path} for a layout in a tar.`);
  if (transport !== 'oci:' && kind !== 'file') throw imageProblem(`${path} is a folder, not an archive; write oci:${path} for an OCI layout folder.`);
  return localImageSource(path, tag === undefined ? {} : { tag });
}

/**
 * The source of the image the user names (issue 12): `oci:<path>[:tag]` or a folder holding an
 * `oci-layout` file is an OCI layout; `oci-archive:<path>[:tag]` an OCI archive;
 * `docker-archive:<path>`, or an existing `.tar` / `.tar.gz`, a `docker save` tarball; anything
 * else an image reference read from its registry. Paths only when `allowLocalPaths`.
 */
export async function openImageSource(text: string, deps: ImageSourceDeps): Promise<BlobSource> {
  const name = text.trim();
  if (name === '') throw imageProblem('Name the image to inspect: an image reference such as ghcr.io/org/image:tag.');
  if (namesAFile(name) && !deps.allowLocalPaths) {
    throw imageProblem(
      `"${name.slice(0, 200)}" names a file, and the server reads images only from registries (write a reference such as ghcr.io/org/image:tag). Saved images are inspected from the command line.`,
    );
  }
  if (deps.allowLocalPaths) {
    const transport = TRANSPORTS.find((prefix) => name.startsWith(prefix));
    if (transport) return transportSource(transport, name.slice(transport.length));
    const kind = await kindOf(name);
    if (kind === 'folder' && (await kindOf(join(name, 'oci-layout'))) === 'file') return localImageSource(name);
    if (kind === 'file' && ARCHIVE.test(name)) return localImageSource(name);
    if (namesAFile(name)) {
      throw imageProblem(
        kind === null
          ? `There is no file or folder ${name} to inspect.`
          : `${name} is neither an OCI layout folder (it has no oci-layout file) nor a .tar archive; name the format, for example oci-archive:${name}.`,
      );
    }
  }
  const reference = parseRegistryReference(name);
  if (typeof reference === 'string') throw imageProblem(reference);
  return registrySource(deps.registry, reference);
}
