import { describe, expect, it } from 'vitest';
import { parseInsecureRegistries, parseRegistryReference } from './reference.js';

describe('parseRegistryReference', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  it.each([
    ['debian', { registry: 'docker.io', apiHost: 'registry-1.docker.io', repository: 'library/debian', tag: 'latest', digest: null }],
    ['debian:12', { registry: 'docker.io', repository: 'library/debian', tag: '12' }],
    ['rstudio/content-base:r4.4.1-py3.12.4', { registry: 'docker.io', apiHost: 'registry-1.docker.io', repository: 'rstudio/content-base', tag: 'r4.4.1-py3.12.4' }],
    ['docker.io/library/debian:12', { registry: 'docker.io', repository: 'library/debian', tag: '12' }],
    ['index.docker.io/debian', { registry: 'docker.io', repository: 'library/debian' }],
    ['ghcr.io/org/team/image:v1', { registry: 'ghcr.io', apiHost: 'ghcr.io', repository: 'org/team/image', tag: 'v1' }],
    ['localhost/image', { registry: 'localhost', repository: 'image', tag: 'latest' }],
    ['localhost:5000/image:1.0', { registry: 'localhost:5000', apiHost: 'localhost:5000', repository: 'image', tag: '1.0' }],
    [`registry.internal:5000/a/b@${digest}`, { registry: 'registry.internal:5000', repository: 'a/b', tag: null, digest }],
    [`quay.io/a/b:v2@${digest}`, { registry: 'quay.io', repository: 'a/b', tag: 'v2', digest }],
  ])('%s', (reference, expected) => {
    expect(parseRegistryReference(reference)).toMatchObject(expected);
  });
  it('says why a reference is not one', () => {
    expect(parseRegistryReference('Debian:12')).toMatch(/not a container image reference/);
    expect(parseRegistryReference('')).toMatch(/empty/);
  });
});

describe('parseInsecureRegistries', () => {
  it('reads hosts and host:port, refusing URLs', () => {
    expect(parseInsecureRegistries('')).toEqual([]);
    expect(parseInsecureRegistries('localhost:5000,10.0.0.5, reg.local')).toEqual(['localhost:5000', '10.0.0.5', 'reg.local']);
    expect(parseInsecureRegistries('https://reg.local')).toMatchObject({ problem: expect.stringContaining('https://reg.local') });
  });
});
