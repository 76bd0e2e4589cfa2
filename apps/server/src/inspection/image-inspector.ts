import { type FoundInstallations, detectInstallations, holdsVersion, inspectionWarnings } from '@envdesk/domain';
import { openImageSource } from './image-source.js';
import { inspectImage } from './inspect-image.js';
import { type LayerCache, createLayerCache } from './layer-cache.js';
import type { RegistryClient } from './registry/registry-client.js';

export interface ImageInspectorDeps {
  readonly registry: RegistryClient;
  /** Only the command line may name files on this machine (see `openImageSource`). */
  readonly allowLocalPaths: boolean;
  readonly maxBytes: number;
  readonly timeoutMs: number;
}

export interface InspectRequest {
  /** An image reference, or (command line only) a saved image on disk. */
  readonly name: string;
  readonly platform?: string | undefined;
  /** False for `--no-path-lookups`. */
  readonly pathLookups: boolean;
  readonly onProgress?: (line: string) => void;
  readonly signal?: AbortSignal;
}

export interface ImageInspection {
  readonly name: string;
  readonly digest: string;
  readonly platform: string;
  readonly platforms: readonly string[];
  readonly installations: FoundInstallations;
  /** Installations found that an environment cannot take as they are (no version): each says what to type in. */
  readonly warnings: readonly string[];
  /** The reference a saved image gives itself (`docker save`'s RepoTags); null for a registry reference. */
  readonly imageName: string | null;
}

/**
 * Finds an image's installations: reads it (registry or disk), merges its layers, then applies the
 * detection rules. One inspector keeps one layer cache, so images sharing a base read only their
 * own layers; the cache's contents depend on `holdsVersion`, which is why it lives here with it.
 */
export function createImageInspector(deps: ImageInspectorDeps, layerCache: LayerCache = createLayerCache()) {
  return {
    async inspect(request: InspectRequest): Promise<ImageInspection> {
      const timeout = AbortSignal.timeout(deps.timeoutMs);
      const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
      const source = await openImageSource(request.name, { registry: deps.registry, allowLocalPaths: deps.allowLocalPaths });
      const image = await inspectImage(source, {
        platform: request.platform,
        holdsVersion,
        signal,
        onProgress: request.onProgress,
        layerCache,
        maxBytes: deps.maxBytes,
      });
      const installations = detectInstallations(image.tree, image.config, { pathLookups: request.pathLookups });
      return {
        name: request.name,
        digest: image.digest,
        platform: image.platform,
        platforms: image.platforms,
        installations,
        warnings: inspectionWarnings(installations),
        imageName: image.imageName,
      };
    },
  };
}
export type ImageInspector = ReturnType<typeof createImageInspector>;
