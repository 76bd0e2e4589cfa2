import { createHash } from 'node:crypto';
import {
  DEFAULT_PLATFORM,
  type ImageConfigFacts,
  type ImageTree,
  type OciDescriptor,
  type OciImageConfig,
  OciImageConfigSchema,
  OciIndexSchema,
  type OciManifest,
  OciManifestSchema,
  type OciPlatform,
  formatPlatform,
  imageEntries,
  parsePlatform,
  pathFromConfig,
  pickPlatform,
  platformMatches,
} from '@envdesk/domain';
import { type BlobSource, imageProblem, parseDigest, shortDigest } from './blob-source.js';
import type { LayerCache } from './layer-cache.js';
import { DEFAULT_LAYER_LIMITS, type LayerLimits, type ReadBudget, formatMegabytes, readLayer, stoppedError } from './layer-reader.js';
import { MAX_DOCUMENT_BYTES } from './local-sources.js';
import { MergedTree } from './merged-tree.js';

export interface InspectImageOptions {
  /** `linux/arm64`, `linux/arm/v7`; an image index otherwise gives `linux/amd64`. */
  readonly platform?: string;
  /** Which files' contents the tree keeps (the detection rules' `holdsVersion`). */
  readonly holdsVersion: (path: string) => boolean;
  /** Stops the inspection: a timeout (`AbortSignal.timeout`) or the caller giving up. */
  readonly signal?: AbortSignal;
  /** One line per step: the manifest read, each layer with its size. */
  readonly onProgress?: (line: string) => void;
  /** Layers remembered between inspections; none when absent. */
  readonly layerCache?: LayerCache;
  /** ENVDESK_INSPECT_MAX_BYTES: the most stored bytes read from the source. */
  readonly maxBytes: number;
  /** Entries across the image's layers; a default generous for any real image. */
  readonly maxEntries?: number;
  readonly layerLimits?: LayerLimits;
}

export interface InspectedImage {
  readonly tree: ImageTree;
  readonly config: ImageConfigFacts;
  /** Every platform the image offers (`linux/amd64`, `linux/arm64/v8`), in the index's order. */
  readonly platforms: readonly string[];
  /** The platform read. */
  readonly platform: string;
  /** The digest of the manifest read (the chosen platform's); for a docker-archive, the image ID (its config's digest). */
  readonly digest: string;
  /** The reference a saved image gives itself (see `BlobSource.imageName`), or null. */
  readonly imageName: string | null;
}

export const DEFAULT_MAX_ENTRIES = 2_000_000;
/** Indexes pointing at indexes: one level is common (a layout's index.json naming an image index). */
const MAX_INDEX_DEPTH = 4;

const isIndex = (document: Record<string, unknown>) => Array.isArray(document.manifests);

function parseDocument(bytes: Buffer, what: string): Record<string, unknown> {
  let document: unknown;
  try {
    document = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw imageProblem(`The ${what} is not JSON.`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw imageProblem(`The ${what} is not a JSON object.`);
  return document as Record<string, unknown>;
}

/** A blob checked against its descriptor: an index, manifest or config that is not what was asked for is refused. */
async function readVerified(source: BlobSource, descriptor: OciDescriptor, what: string, signal: AbortSignal): Promise<Buffer> {
  const { algorithm, hex } = parseDigest(descriptor.digest);
  if (descriptor.size > MAX_DOCUMENT_BYTES) throw imageProblem(`The ${what} ${shortDigest(descriptor.digest)} is ${descriptor.size} bytes, more than an image's ${what} has.`);
  const bytes = await source.readBlob(descriptor, signal);
  if (bytes.length !== descriptor.size || createHash(algorithm).update(bytes).digest('hex') !== hex) {
    throw imageProblem(`The ${what} ${shortDigest(descriptor.digest)} in ${source.describe()} does not match its digest (corrupt or tampered with).`);
  }
  return bytes;
}

interface ChosenManifest {
  readonly manifest: OciManifest;
  readonly digest: string;
  readonly config: OciImageConfig;
  readonly platform: OciPlatform;
  readonly platforms: readonly string[];
}

/** Walks from the root document down to one platform's manifest (issue 12 § Platforms). */
async function chooseManifest(source: BlobSource, wanted: OciPlatform | null, signal: AbortSignal): Promise<ChosenManifest> {
  const root = await source.readRoot(signal);
  if (root.digest !== null) {
    const { algorithm, hex } = parseDigest(root.digest);
    if (createHash(algorithm).update(root.bytes).digest('hex') !== hex) throw imageProblem(`The manifest of ${source.describe()} does not match its digest ${root.digest}.`);
  }
  let bytes = root.bytes;
  let digest = root.digest;
  let platforms: string[] | null = null;
  for (let depth = 0; ; depth += 1) {
    const document = parseDocument(bytes, 'image manifest');
    if (!isIndex(document)) break;
    if (depth >= MAX_INDEX_DEPTH) throw imageProblem(`${source.describe()} nests image indexes more than ${MAX_INDEX_DEPTH} deep.`);
    const index = OciIndexSchema.safeParse(document);
    if (!index.success) throw imageProblem(`The image index of ${source.describe()} is not valid: ${index.error.issues[0]?.message ?? ''}.`);
    const entries = imageEntries(index.data.manifests);
    let next: OciDescriptor | null;
    if (entries.length === 1 && !entries[0]!.platform) next = entries[0]!;
    else {
      const offered = entries.flatMap((entry) => (entry.platform ? [formatPlatform(entry.platform)] : []));
      if (offered.length === 0) throw imageProblem(`The image index of ${source.describe()} lists no image for any platform.`);
      platforms = offered;
      next = pickPlatform(entries, wanted ?? DEFAULT_PLATFORM);
      if (!next) {
        throw imageProblem(`The image has no ${formatPlatform(wanted ?? DEFAULT_PLATFORM)} variant; its platforms are ${offered.join(', ')}.`);
      }
    }
    bytes = await readVerified(source, next, 'image manifest', signal);
    digest = next.digest;
  }
  const manifest = OciManifestSchema.safeParse(parseDocument(bytes, 'image manifest'));
  if (!manifest.success) throw imageProblem(`The image manifest of ${source.describe()} is not valid: ${manifest.error.issues[0]?.message ?? ''}.`);
  const configBytes = await readVerified(source, manifest.data.config, 'image config', signal);
  const config = OciImageConfigSchema.safeParse(parseDocument(configBytes, 'image config'));
  if (!config.success) throw imageProblem(`The image config of ${source.describe()} is not valid: ${config.error.issues[0]?.message ?? ''}.`);
  const platform: OciPlatform = {
    os: config.data.os ?? 'linux',
    architecture: config.data.architecture ?? 'amd64',
    ...(config.data.variant ? { variant: config.data.variant } : {}),
  };
  // A single-platform image offers what its config says; asked for another, it has none to give.
  if (platforms === null) {
    platforms = [formatPlatform(platform)];
    if (wanted && !platformMatches(wanted, platform)) {
      throw imageProblem(`The image has no ${formatPlatform(wanted)} variant; its platforms are ${platforms.join(', ')}.`);
    }
  }
  return {
    manifest: manifest.data,
    // A docker-archive's manifest.json is no blob: its image ID (the config's digest) names it instead.
    digest: digest ?? manifest.data.config.digest,
    config: config.data,
    platform,
    platforms,
  };
}

/**
 * Reads an image's file system without running it (issue 12): picks the platform's manifest, then
 * streams its layers in order onto one tree. Layers remembered in `layerCache` are not read again.
 */
export async function inspectImage(source: BlobSource, options: InspectImageOptions): Promise<InspectedImage> {
  const signal = options.signal ?? new AbortController().signal;
  const onProgress = options.onProgress ?? (() => undefined);
  let wanted: OciPlatform | null = null;
  if (options.platform !== undefined && options.platform.trim() !== '') {
    wanted = parsePlatform(options.platform);
    if (!wanted) throw imageProblem(`"${options.platform}" is not a platform; write it as os/architecture[/variant], for example linux/arm64.`);
  }
  const budget: ReadBudget = {
    bytesLeft: options.maxBytes,
    maxBytes: options.maxBytes,
    entriesLeft: options.maxEntries ?? DEFAULT_MAX_ENTRIES,
    maxEntries: options.maxEntries ?? DEFAULT_MAX_ENTRIES,
  };
  const checkStopped = () => {
    if (signal.aborted) throw stoppedError(signal);
  };

  checkStopped();
  const chosen = await chooseManifest(source, wanted, signal);
  const platform = formatPlatform(chosen.platform);
  onProgress(`manifest ${chosen.digest} (${platform})`);

  const tree = new MergedTree();
  const layers = chosen.manifest.layers;
  for (const [index, descriptor] of layers.entries()) {
    checkStopped();
    const position = `layer ${index + 1}/${layers.length} ${shortDigest(descriptor.digest)} ${formatMegabytes(descriptor.size)}`;
    const remembered = options.layerCache?.get(descriptor.digest);
    if (remembered) {
      budget.entriesLeft -= remembered.length;
      onProgress(`${position} (already read)`);
      tree.apply(remembered);
      continue;
    }
    onProgress(position);
    parseDigest(descriptor.digest);
    const blob = await source.openBlob(descriptor, signal);
    const changes = await readLayer(blob, descriptor, { holdsVersion: options.holdsVersion, signal, budget, limits: options.layerLimits ?? DEFAULT_LAYER_LIMITS });
    options.layerCache?.set(descriptor.digest, changes);
    tree.apply(changes);
  }
  return {
    tree,
    config: { path: pathFromConfig(chosen.config) },
    platforms: chosen.platforms,
    platform,
    digest: chosen.digest,
    imageName: source.imageName?.() ?? null,
  };
}
