import type { OciDescriptor, OciPlatform } from './oci-documents.js';

/** `linux/amd64`, `linux/arm64/v8`: how people write a platform (`docker --platform`). */
export const formatPlatform = (platform: OciPlatform): string =>
  [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');

/** Reads `os/architecture[/variant]`, or null when the text is not one. */
export function parsePlatform(text: string): OciPlatform | null {
  const parts = text.trim().toLowerCase().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((part) => !/^[a-z0-9._-]+$/.test(part))) return null;
  const [os, architecture, variant] = parts as [string, string, string | undefined];
  return variant ? { os, architecture, variant } : { os, architecture };
}

/** What an image index picks when no platform is asked for (issue 12: the scripts' default). */
export const DEFAULT_PLATFORM: OciPlatform = { os: 'linux', architecture: 'amd64' };

/** arm64's only variant is v8, and builders write it or leave it out: both name the same platform. */
const variantOf = (platform: OciPlatform) => platform.variant ?? (platform.architecture === 'arm64' ? 'v8' : undefined);

/** Whether an image built for `offered` runs as `wanted`; a wanted platform without a variant takes any. */
export function platformMatches(wanted: OciPlatform, offered: OciPlatform): boolean {
  if (wanted.os !== offered.os || wanted.architecture !== offered.architecture) return false;
  return wanted.variant === undefined || variantOf(wanted) === variantOf(offered);
}

/**
 * An image index's entries that are images: BuildKit adds attestation manifests (platform
 * `unknown/unknown`, annotated `vnd.docker.reference.type`) that hold no file system.
 */
export function imageEntries(manifests: readonly OciDescriptor[]): OciDescriptor[] {
  return manifests.filter(
    (entry) => entry.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest' && entry.platform?.os !== 'unknown',
  );
}

/**
 * The index entry to read for `wanted`, or null. Several entries may match a platform without a
 * variant (`linux/arm` with v6 and v7): the first in the index wins, as the index orders them.
 */
export function pickPlatform(entries: readonly OciDescriptor[], wanted: OciPlatform): OciDescriptor | null {
  return entries.find((entry) => entry.platform && platformMatches(wanted, entry.platform)) ?? null;
}
