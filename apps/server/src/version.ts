import { readFileSync } from 'node:fs';

/** envdesk's own version, from the server package. */
export const ENVDESK_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
