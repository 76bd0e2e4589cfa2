import { createHash } from 'node:crypto';
import { type TarEntrySpec, tarGz } from '../../../test/tar.js';
import { MediaType } from '../registry-client.js';

/** How a test reaches a registry to push: its `host:port` and, behind basic auth, a user. */
export interface PushTarget {
  readonly host: string;
  readonly repository: string;
  readonly username?: string;
  readonly password?: string;
  /** A ready `Authorization` header (a bearer token), instead of a user. */
  readonly authorization?: string;
}

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly platform?: { readonly architecture: string; readonly os: string };
}

export const sha256 = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

function authHeaders(target: PushTarget): Record<string, string> {
  if (target.authorization !== undefined) return { Authorization: target.authorization };
  if (target.username === undefined) return {};
  return { Authorization: `Basic ${Buffer.from(`${target.username}:${target.password ?? ''}`).toString('base64')}` };
}

async function expectStatus(response: Response, status: number, what: string): Promise<void> {
  if (response.status !== status) throw new Error(`${what}: ${response.status} ${await response.text()}`);
}

/** A monolithic blob upload through the distribution API: POST for an upload URL, then one PUT with the digest. */
export async function pushBlob(target: PushTarget, bytes: Buffer, mediaType = 'application/octet-stream'): Promise<Descriptor> {
  const base = `http://${target.host}/v2/${target.repository}/blobs/uploads/`;
  const started = await fetch(base, { method: 'POST', headers: authHeaders(target) });
  await expectStatus(started, 202, 'blob upload start');
  const location = new URL(started.headers.get('location') ?? '', base);
  const digest = sha256(bytes);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    headers: { ...authHeaders(target), 'Content-Type': 'application/octet-stream', 'Content-Length': String(bytes.length) },
    // A plain Uint8Array: the e2e journeys compile these helpers against the DOM's fetch, which takes no Buffer.
    body: new Uint8Array(bytes),
  });
  await expectStatus(put, 201, 'blob upload');
  return { mediaType, digest, size: bytes.length };
}

/** PUT /v2/<name>/manifests/<reference>; answers the manifest's descriptor. */
export async function pushManifest(target: PushTarget, reference: string, mediaType: string, manifest: unknown): Promise<Descriptor> {
  const bytes = Buffer.from(JSON.stringify(manifest));
  const response = await fetch(`http://${target.host}/v2/${target.repository}/manifests/${reference}`, {
    method: 'PUT',
    headers: { ...authHeaders(target), 'Content-Type': mediaType },
    body: bytes,
  });
  await expectStatus(response, 201, 'manifest upload');
  return { mediaType, digest: sha256(bytes), size: bytes.length };
}

export interface PushedPlatform {
  readonly platform: { readonly os: string; readonly architecture: string };
  readonly manifest: Descriptor;
  readonly config: Descriptor;
  readonly configBytes: Buffer;
  readonly layers: ReadonlyArray<Descriptor & { readonly bytes: Buffer }>;
}

export interface PushedImage {
  readonly index: Descriptor;
  readonly platforms: readonly PushedPlatform[];
}

/**
 * Pushes a tiny multi-platform image: per platform a config, gzip tar layers (the files given, plus
 * one naming the platform) and a manifest, then an index (OCI, or Docker's manifest list) under `tag`.
 */
export async function pushTestImage(
  target: PushTarget,
  tag: string,
  options: { readonly docker?: boolean; readonly files?: readonly TarEntrySpec[]; readonly architectures?: readonly string[] } = {},
): Promise<PushedImage> {
  const docker = options.docker ?? false;
  const types = docker
    ? { index: MediaType.dockerManifestList, manifest: MediaType.dockerManifest, config: 'application/vnd.docker.container.image.v1+json', layer: 'application/vnd.docker.image.rootfs.diff.tar.gzip' }
    : { index: MediaType.ociIndex, manifest: MediaType.ociManifest, config: 'application/vnd.oci.image.config.v1+json', layer: 'application/vnd.oci.image.layer.v1.tar+gzip' };
  const platforms: PushedPlatform[] = [];
  for (const architecture of options.architectures ?? ['amd64', 'arm64']) {
    const layerBytes = [
      tarGz(options.files ?? [{ path: 'opt/', type: 'directory' }]),
      tarGz([{ path: 'etc/', type: 'directory' }, { path: 'etc/platform', content: `linux/${architecture}\n` }]),
    ];
    const layers = [];
    for (const bytes of layerBytes) layers.push({ ...(await pushBlob(target, bytes, types.layer)), bytes });
    const configBytes = Buffer.from(
      JSON.stringify({
        architecture,
        os: 'linux',
        config: { Env: ['PATH=/usr/local/bin:/usr/bin:/bin'] },
        rootfs: { type: 'layers', diff_ids: layerBytes.map(() => `sha256:${'0'.repeat(64)}`) },
      }),
    );
    const config = await pushBlob(target, configBytes, types.config);
    const manifest = await pushManifest(target, `${tag}-${architecture}`, types.manifest, {
      schemaVersion: 2,
      mediaType: types.manifest,
      config: { mediaType: config.mediaType, digest: config.digest, size: config.size },
      layers: layers.map(({ mediaType, digest, size }) => ({ mediaType, digest, size })),
    });
    platforms.push({ platform: { os: 'linux', architecture }, manifest, config, configBytes, layers });
  }
  const index = await pushManifest(target, tag, types.index, {
    schemaVersion: 2,
    mediaType: types.index,
    manifests: platforms.map(({ manifest, platform }) => ({ mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.size, platform })),
  });
  return { index, platforms };
}
