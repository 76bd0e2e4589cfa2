import { readFile } from 'node:fs/promises';
import { canonicalRegistry } from './reference.js';

/** A user name and password (or token) for one registry. Never logged, never put in an error. */
export interface RegistryCredentials {
  readonly username: string;
  readonly password: string;
}

/** The credentials for a registry (`docker.io`, `ghcr.io`, `localhost:5000`), or undefined. */
export type CredentialLookup = (registry: string) => RegistryCredentials | undefined;

export const noCredentials: CredentialLookup = () => undefined;

/**
 * The registry a key of `auths` names: keys are written as `ghcr.io`, `https://ghcr.io`,
 * `https://index.docker.io/v1/` (Docker Hub, as `docker login` writes it) and so on.
 */
function registryOfKey(key: string): string {
  const withoutScheme = key.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const host = withoutScheme.split('/')[0] ?? '';
  return canonicalRegistry(host);
}

function credentialsOfEntry(entry: unknown): RegistryCredentials | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const fields = entry as Record<string, unknown>;
  if (typeof fields['auth'] === 'string' && fields['auth'] !== '') {
    const decoded = Buffer.from(fields['auth'], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (typeof fields['username'] === 'string' && typeof fields['password'] === 'string' && fields['username'] !== '') {
    return { username: fields['username'], password: fields['password'] };
  }
  if (typeof fields['identitytoken'] === 'string' && fields['identitytoken'] !== '') {
    // What `docker login` stores for registries using OAuth; sent as the password with a fixed user.
    return { username: '<token>', password: fields['identitytoken'] };
  }
  return undefined;
}

/**
 * Reads the `auths` of a Docker `config.json` (ENVDESK_REGISTRY_AUTH_FILE). A file that cannot be
 * read or parsed is an error naming the file, never quoting it: it holds secrets.
 */
export function parseDockerConfig(text: string, file: string): CredentialLookup {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`The registry credentials file ${file} is not JSON (a Docker config.json with "auths").`);
  }
  const auths = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)['auths'] : undefined;
  const byRegistry = new Map<string, RegistryCredentials>();
  if (typeof auths === 'object' && auths !== null) {
    for (const [key, entry] of Object.entries(auths)) {
      const credentials = credentialsOfEntry(entry);
      const registry = registryOfKey(key);
      // An exact key (`ghcr.io`) wins over a spelled-out one (`https://ghcr.io/v1/`) for the same host.
      if (credentials !== undefined && registry !== '' && (!byRegistry.has(registry) || key.toLowerCase() === registry)) {
        byRegistry.set(registry, credentials);
      }
    }
  }
  return (registry) => byRegistry.get(canonicalRegistry(registry));
}

/** The lookup for ENVDESK_REGISTRY_AUTH_FILE, read now; no file set means anonymous access only. */
export async function loadCredentials(file: string | undefined): Promise<CredentialLookup> {
  if (file === undefined) return noCredentials;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new Error(`The registry credentials file ${file} cannot be read (${code}).`, { cause: error });
  }
  return parseDockerConfig(text, file);
}
