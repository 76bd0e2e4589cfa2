/**
 * The container image reference grammar of the distribution project (`[host[:port]/]path[:tag][@digest]`),
 * which is what Kubernetes accepts in a pod's `image`. An environment's `name` is such a reference.
 */
const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const host = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[[a-fA-F0-9:]+\\])`;
const domainAndPort = `${host}(?::[0-9]+)?`;
const repository = `(?:${domainAndPort}/)?${pathComponent}(?:/${pathComponent})*`;
const tag = '[\\w][\\w.-]{0,127}';
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}';

const IMAGE_REFERENCE = new RegExp(`^${repository}(?::${tag})?(?:@${digest})?$`);
const MAX_REPOSITORY_LENGTH = 255;

/** Why `reference` is not a valid image reference, or null when it is. */
export function imageReferenceProblem(reference: string): string | null {
  if (reference.length === 0) return 'is empty';
  if (/\s/.test(reference)) return 'must not contain whitespace';
  if (!IMAGE_REFERENCE.test(reference)) {
    return 'is not a container image reference (expected e.g. ghcr.io/org/image:tag; repository names are lower case)';
  }
  const repositoryPart = reference.split('@')[0]!.replace(/:[\w][\w.-]{0,127}$/, '');
  if (repositoryPart.length > MAX_REPOSITORY_LENGTH) return `repository name is longer than ${MAX_REPOSITORY_LENGTH} characters`;
  return null;
}
