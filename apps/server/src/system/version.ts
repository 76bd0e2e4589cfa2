import { readFileSync } from 'node:fs';

/**
 * envdesk's own version, from the server package. Found two folders up from this file, which holds
 * for src/system (tsx), dist/system (tsc) and the bundle in dist/bundle alike.
 */
export const ENVDESK_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
