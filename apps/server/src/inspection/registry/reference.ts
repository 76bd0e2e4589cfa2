import { imageReferenceProblem } from '@envdesk/domain';

/** Where an image lives and which of its manifests is meant. */
export interface RegistryImageReference {
  /** The registry as users name it: `docker.io`, `ghcr.io`, `localhost:5000` (lower case). */
  readonly registry: string;
  /** The host (and port) the distribution API answers on: `registry-1.docker.io` for Docker Hub. */
  readonly apiHost: string;
  /** The repository inside the registry: `library/debian`, `org/image`. */
  readonly repository: string;
  /** The tag, `latest` when neither tag nor digest is given; kept beside a digest only for display. */
  readonly tag: string | null;
  /** `sha256:…` when the reference pins one; it wins over the tag. */
  readonly digest: string | null;
}

export const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_API = 'registry-1.docker.io';
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/** `index.docker.io` and the other names of Docker Hub become `docker.io`; other hosts are lower-cased. */
export function canonicalRegistry(host: string): string {
  const lower = host.toLowerCase();
  return DOCKER_HUB_ALIASES.has(lower) ? DOCKER_HUB : lower;
}

/**
 * Parses an image reference the way Docker and Kubernetes do: a first component with a `.` or `:`,
 * or `localhost`, names the registry; otherwise the image is on Docker Hub, where a one-part name is
 * an official image (`debian` → `library/debian`). Returns why it is not a reference, as a string.
 */
export function parseRegistryReference(reference: string): RegistryImageReference | string {
  const problem = imageReferenceProblem(reference);
  if (problem !== null) return `The image reference ${problem}.`;
  const [named, digest = null] = reference.split('@') as [string, string | undefined];
  const lastSlash = named.lastIndexOf('/');
  const tagColon = named.indexOf(':', lastSlash + 1);
  const name = tagColon === -1 ? named : named.slice(0, tagColon);
  const tag = tagColon === -1 ? null : named.slice(tagColon + 1);
  const firstSlash = name.indexOf('/');
  const first = firstSlash === -1 ? '' : name.slice(0, firstSlash);
  const hasRegistry = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? canonicalRegistry(first) : DOCKER_HUB;
  let repository = hasRegistry ? name.slice(firstSlash + 1) : name;
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  return {
    registry,
    apiHost: registry === DOCKER_HUB ? DOCKER_HUB_API : registry,
    repository,
    tag: tag ?? (digest === null ? 'latest' : null),
    digest,
  };
}

/** The reference for messages: `docker.io/library/debian:12`. */
export function formatRegistryReference(ref: RegistryImageReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag === null ? '' : `:${ref.tag}`}${ref.digest === null ? '' : `@${ref.digest}`}`;
}

const HOST_AND_PORT = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * ENVDESK_INSECURE_REGISTRIES: comma-separated `host` or `host:port` reached over plain http
 * (a host without a port covers all its ports). Answers the list, or why it is not one.
 */
export function parseInsecureRegistries(value: string): string[] | { problem: string } {
  const entries = value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  for (const entry of entries) {
    if (!HOST_AND_PORT.test(entry)) return { problem: `"${entry}" is not a host or host:port (write localhost:5000, not http://localhost:5000)` };
  }
  return entries.map((entry) => entry.toLowerCase());
}
