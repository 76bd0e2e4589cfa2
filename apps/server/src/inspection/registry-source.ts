import type { BlobSource, Descriptor } from './blob-source.js';
import { MAX_DOCUMENT_BYTES } from './local-sources.js';
import { type RegistryImageReference, formatRegistryReference } from './registry/reference.js';
import { MANIFEST_ACCEPT, type RegistryClient } from './registry/registry-client.js';
import { registryFailureOf } from './registry/registry-errors.js';

const MANIFEST_TYPES = new Set(MANIFEST_ACCEPT);

/**
 * An image in a registry (OCI distribution API). The root is the manifest the reference names (its
 * digest when pinned, else its tag): an image index or a single manifest. An index's child manifests
 * are fetched by digest from `/manifests/`, since registries keep manifests apart from blobs;
 * configs and layers come from `/blobs/`, each checked against its descriptor's size and digest.
 */
export function registrySource(client: RegistryClient, reference: RegistryImageReference): BlobSource {
  const repository = client.repository(reference);
  const name = formatRegistryReference(reference);
  const readManifest = async (digest: string, signal: AbortSignal) => (await repository.getManifest(digest, { signal, accept: MANIFEST_ACCEPT })).bytes;
  return {
    describe: () => name,
    async readRoot(signal) {
      const manifest = await repository.getManifest(reference.digest ?? reference.tag ?? 'latest', { signal, accept: MANIFEST_ACCEPT });
      return { bytes: manifest.bytes, digest: manifest.digest };
    },
    async readBlob(descriptor: Descriptor, signal) {
      if (MANIFEST_TYPES.has(descriptor.mediaType)) return readManifest(descriptor.digest, signal);
      try {
        return await repository.readBlob(descriptor.digest, { signal, expectedSize: descriptor.size, maxBytes: MAX_DOCUMENT_BYTES });
      } catch (error) {
        // Early documents leave out media types: a child manifest without one is only found among manifests.
        if (descriptor.mediaType === '' && registryFailureOf(error) === 'not-found') return readManifest(descriptor.digest, signal);
        throw error;
      }
    },
    openBlob: (descriptor, signal) => repository.getBlob(descriptor.digest, { signal, expectedSize: descriptor.size }),
  };
}
