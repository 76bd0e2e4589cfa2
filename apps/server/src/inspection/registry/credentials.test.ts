import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { tempFolder } from '../../test/files.js';
import { loadCredentials, parseDockerConfig } from './credentials.js';

const auth = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');

describe('registry credentials from a Docker config.json', () => {
  const files = tempFolder();
  afterAll(() => files.cleanup());

  it('finds Docker Hub credentials under the key docker login writes, for every name of Docker Hub', () => {
    const lookup = parseDockerConfig(JSON.stringify({ auths: { 'https://index.docker.io/v1/': { auth: auth('hubuser', 'pa:ss') } } }), 'config.json');
    for (const name of ['docker.io', 'index.docker.io', 'registry-1.docker.io']) expect(lookup(name)).toEqual({ username: 'hubuser', password: 'pa:ss' });
    expect(lookup('ghcr.io')).toBeUndefined();
  });

  it('reads auth, username/password and identity tokens; keys with a scheme, path or port', () => {
    const lookup = parseDockerConfig(
      JSON.stringify({
        auths: {
          'https://ghcr.io': { auth: auth('gh', 'token1') },
          'registry.internal:5000': { username: 'me', password: 'pw' },
          'quay.io': { identitytoken: 'idtoken' },
          'broken.io': { auth: '' },
        },
        credsStore: 'desktop',
      }),
      'config.json',
    );
    expect(lookup('ghcr.io')).toEqual({ username: 'gh', password: 'token1' });
    expect(lookup('registry.internal:5000')).toEqual({ username: 'me', password: 'pw' });
    expect(lookup('registry.internal')).toBeUndefined();
    expect(lookup('quay.io')).toEqual({ username: '<token>', password: 'idtoken' });
    expect(lookup('broken.io')).toBeUndefined();
  });

  it('names a file it cannot use without quoting what is in it', async () => {
    const file = files.write('bad.json', '{"auths": {"x.io": {"auth": "c2VjcmV0OnNlY3JldHBhc3M="}}, oops');
    const error = await loadCredentials(file).then(
      () => null,
      (thrown: Error) => thrown,
    );
    expect(error?.message).toContain(file);
    expect(error?.message).not.toContain('c2VjcmV0');
    await expect(loadCredentials(files.path('missing.json'))).rejects.toThrow(/cannot be read \(ENOENT\)/);
    writeFileSync(files.path('none.json'), '{}');
    expect((await loadCredentials(files.path('none.json')))('docker.io')).toBeUndefined();
    expect((await loadCredentials(undefined))('docker.io')).toBeUndefined();
  });
});
