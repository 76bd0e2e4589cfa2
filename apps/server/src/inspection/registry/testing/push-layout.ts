import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuiltLayout, Descriptor } from '../../testing/image-builders.js';
import { type PushTarget, pushBlob } from './push-image.js';

const blobBytes = (layout: BuiltLayout, descriptor: Descriptor) => readFile(join(layout.folder, 'blobs', 'sha256', descriptor.digest.slice('sha256:'.length)));

/** PUT /v2/<name>/manifests/<reference> with the manifest's bytes as stored, so its digest stays the layout's. */
async function putManifest(target: PushTarget, reference: string, descriptor: Descriptor, bytes: Buffer): Promise<void> {
  const response = await fetch(`http://${target.host}/v2/${target.repository}/manifests/${reference}`, {
    method: 'PUT',
    headers: { 'Content-Type': descriptor.mediaType },
    // A plain Uint8Array: the e2e journeys compile these helpers against the DOM's fetch, which takes no Buffer.
    body: new Uint8Array(bytes),
  });
  if (response.status !== 201) throw new Error(`manifest upload: ${response.status} ${await response.text()}`);
}

/**
 * Pushes an image the insplayers builders wrote (`writeOciLayout`) to an anonymous registry as
 * `tag`, byte for byte: every layer and config, each platform's manifest, then the index when the
 * layout holds several platforms. The registry then serves the same digests the layout has.
 */
export async function pushLayout(target: PushTarget, layout: BuiltLayout, tag: string): Promise<void> {
  for (const image of layout.images) {
    for (const layer of image.layers) await pushBlob(target, await blobBytes(layout, layer), layer.mediaType);
    await pushBlob(target, await blobBytes(layout, image.config), image.config.mediaType);
    await putManifest(target, layout.index ? image.manifest.digest : tag, image.manifest, await blobBytes(layout, image.manifest));
  }
  if (layout.index) await putManifest(target, tag, layout.index, await blobBytes(layout, layout.index));
}
