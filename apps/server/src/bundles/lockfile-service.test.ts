import { parseManifest } from '@envdesk/domain';
import { describe, expect, it } from 'vitest';
import { cookbookManifest } from '../test/bundles.js';
import { type TarEntrySpec, tarGz } from '../test/tar.js';
import { readArchiveFile } from './archive-file.js';
import { lockfileSourceOf } from './lockfile-service.js';

const manifestOf = (overrides: Record<string, unknown>) => {
  const parsed = parseManifest(cookbookManifest(overrides));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
};

describe('lockfileSourceOf', () => {
  const built = { py_version: '3.9.14', r_version: '4.2.3' };
  it.each([
    ['Python and R (reticulate): Python wins, as Connect serves Python lockfiles', {}, 'requirements.txt', 'requirements.txt.lock', 'envdesk; python=3.9.14'],
    [
      'a package file the manifest names',
      { python: { version: '3.11.4', package_manager: { name: 'pip', package_file: 'requirements-prod.txt' } } },
      'requirements-prod.txt',
      'requirements-prod.txt.lock',
      'envdesk; python=3.9.14',
    ],
    ['Python without a package manager', { python: { version: '3.11.4' } }, 'requirements.txt', 'requirements.txt.lock', 'envdesk; python=3.9.14'],
    ['R only', { python: null }, 'renv.lock', 'renv.lock', 'envdesk; r=4.2.3'],
  ])('%s', (_label, overrides, file, downloadSuffix, generatedBy) => {
    expect(lockfileSourceOf(manifestOf(overrides), built)).toEqual({ file, downloadSuffix, generatedBy });
  });

  it('names the manifest version when the bundle was never built', () => {
    expect(lockfileSourceOf(manifestOf({}), { py_version: null, r_version: null })?.generatedBy).toBe('envdesk; python=3.9.14');
  });

  it('finds none for content with neither language (static HTML)', () => {
    expect(lockfileSourceOf(manifestOf({ python: null, platform: null, metadata: { appmode: 'static' } }), built)).toBeNull();
  });
});

describe('readArchiveFile', () => {
  async function* piecesOf(archive: Buffer): AsyncGenerator<Buffer> {
    for (let at = 0; at < archive.length; at += 7) yield archive.subarray(at, at + 7);
  }
  const read = (entries: TarEntrySpec[], name = 'requirements.txt', maxBytes = 1024) => readArchiveFile(piecesOf(tarGz(entries)), name, maxBytes);

  it('reads a top-level file written with or without "./"', async () => {
    expect(await read([{ path: 'app.py', content: 'x' }, { path: './requirements.txt', content: 'a==1\n' }, { path: 'z', content: 'z' }])).toBe('a==1\n');
    expect(await read([{ path: 'requirements.txt', content: 'b==2\n' }])).toBe('b==2\n');
  });

  it('finds nothing in a folder, in a link of that name, or past the size bound', async () => {
    expect(await read([{ path: 'sub/requirements.txt', content: 'a==1\n' }])).toBeNull();
    expect(await read([{ path: 'requirements.txt', type: 'symlink', target: 'other.txt' }])).toBeNull();
    expect(await read([{ path: 'requirements.txt', content: 'a==1\n' }], 'requirements.txt', 3)).toBeNull();
  });
});
