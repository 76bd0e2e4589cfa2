import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type TarEntrySpec, tarGz } from '../test/tar.js';
import { readTarGz, unsafePathReason } from './tar-archive.js';

const limits = { maxUnpackedBytes: 10_000_000, maxEntries: 1000 };
const read = (entries: TarEntrySpec[]) => readTarGz(tarGz(entries), limits);

describe('readTarGz', () => {
  it('reads files and folders, dropping a leading ./', () => {
    const result = read([
      { path: './', type: 'directory' },
      { path: './manifest.json', content: '{"version":1}' },
      { path: './app/app.py', content: 'print(1)' },
    ]);
    expect(result.ok && result.entries.map((entry) => [entry.path, entry.type, entry.data.toString()])).toEqual([
      ['manifest.json', 'file', '{"version":1}'],
      ['app/app.py', 'file', 'print(1)'],
    ]);
  });

  it('reads names longer than 100 characters (ustar prefix and GNU long names)', () => {
    const deep = `${'folder/'.repeat(20)}file.txt`;
    const result = read([{ path: deep, content: 'x' }]);
    expect(result.ok && result.entries[0]?.path).toBe(deep);
  });

  it.each([
    ['/etc/passwd', 'absolute path'],
    ['../outside.txt', '".." segment'],
    ['app/../../outside.txt', '".." segment'],
  ])('refuses the entry %s', (path, reason) => {
    const result = read([{ path, content: 'x' }]);
    expect(!result.ok && result.message).toContain(reason);
  });

  it.each([
    ['/etc/passwd'],
    ['../../secret'],
    ['../x'],
  ])('refuses a symbolic link to %s', (target) => {
    const result = read([{ path: 'link', type: 'symlink', target }]);
    expect(!result.ok && result.message).toContain('pointing outside the archive');
  });

  it('accepts a link that stays inside', () => {
    expect(read([{ path: 'a/b/link', type: 'symlink', target: '../c.txt' }]).ok).toBe(true);
  });

  it('refuses what is not a tar.gz, and a bomb that unpacks beyond the limit', () => {
    expect(readTarGz(Buffer.from('plain text'), limits)).toEqual({ ok: false, message: 'is not a gzip-compressed tar archive (.tar.gz)' });
    expect(readTarGz(gzipSync(Buffer.from('not a tar'.repeat(100))), limits).ok).toBe(false);
    const bomb = tarGz([{ path: 'zeros', content: Buffer.alloc(2_000_000) }]);
    const result = readTarGz(bomb, { ...limits, maxUnpackedBytes: 1_000_000 });
    expect(!result.ok && result.message).toContain('more than 1000000 bytes');
  });

  it('limits the number of entries', () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ path: `f${i}`, content: 'x' }));
    const result = readTarGz(tarGz(many), { ...limits, maxEntries: 3 });
    expect(!result.ok && result.message).toContain('more than 3 entries');
  });
});

describe('unsafePathReason', () => {
  it.each([['C:/windows'], ['\\\\server\\share']])('refuses %s', (path) => {
    expect(unsafePathReason(path)).not.toBeNull();
  });
  it('accepts ordinary relative paths', () => {
    expect(unsafePathReason('app/www/index.html')).toBeNull();
  });
});
