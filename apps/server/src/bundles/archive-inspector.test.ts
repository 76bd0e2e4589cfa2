import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { type TarEntrySpec, tarGz, tarOf } from '../test/tar.js';
import { type ArchiveLimits, entryProblem, inspectArchive } from './archive-inspector.js';

const limits: ArchiveLimits = { maxExpandedBytes: 50_000_000, maxRatio: 200, ratioGraceBytes: 1024 * 1024, maxEntries: 1000, maxManifestBytes: 1000, maxHeaderBytes: 256 * 1024 };

/** Feeds the archive to an inspector in 16 KiB pieces, as an upload would arrive. */
async function inspect(archive: Buffer, overrides: Partial<ArchiveLimits> = {}) {
  const inspector = inspectArchive({ ...limits, ...overrides });
  try {
    for (let offset = 0; offset < archive.length; offset += 16 * 1024) await inspector.write(archive.subarray(offset, offset + 16 * 1024));
    return { ok: true as const, ...(await inspector.end()) };
  } catch (error) {
    return { ok: false as const, message: (error as Error).message };
  }
}
const read = (entries: TarEntrySpec[]) => inspect(tarGz(entries));
const manifest = { path: 'manifest.json', content: '{"version":1}' };

/** A .tar.gz written by tar-stream's own packer, which puts long names and link targets in PAX headers. */
async function packed(entries: Array<{ name: string; type?: 'file' | 'symlink' | 'link'; linkname?: string; content?: string }>) {
  const packer = pack();
  for (const entry of entries) packer.entry({ name: entry.name, type: entry.type ?? 'file', linkname: entry.linkname }, entry.content ?? '');
  packer.finalize();
  const pieces: Buffer[] = [];
  for await (const piece of packer) pieces.push(piece as Buffer);
  return gzipSync(Buffer.concat(pieces));
}

describe('inspectArchive', () => {
  it('reads the top-level manifest, whether named ./manifest.json or manifest.json, and counts files', async () => {
    const result = await read([{ path: './', type: 'directory' }, { path: './manifest.json', content: '{"version":1}' }, { path: './app/app.py', content: 'print(1)' }]);
    expect(result).toEqual({ ok: true, manifestText: '{"version":1}', fileCount: 2 });
  });

  it('reads names longer than 100 characters (GNU long names and PAX paths)', async () => {
    const deep = `${'folder/'.repeat(20)}file.txt`;
    expect((await read([manifest, { path: deep, content: 'x' }])).ok).toBe(true);
    expect((await inspect(await packed([{ name: 'manifest.json', content: '{}' }, { name: deep, content: 'x' }]))).ok).toBe(true);
  });

  it.each([
    ['an absolute path', { path: '/etc/passwd', content: 'x' }, 'absolute path'],
    ['a ".." segment', { path: 'app/../../outside.txt', content: 'x' }, '".." segment'],
    ['a PAX path escaping', { path: 'innocent.txt', content: 'x', pax: { path: '../../etc/cron.d/x' } }, '".." segment'],
    ['a PAX path with a NUL', { path: 'innocent.txt', content: 'x', pax: { path: 'a\0b' } }, 'NUL'],
    ['a GNU long name escaping', { path: `${'../'.repeat(40)}etc/passwd`, content: 'x' }, '".." segment'],
    ['a symlink to an absolute path', { path: 'link', type: 'symlink', target: '/etc/passwd' }, 'pointing outside'],
    ['a symlink climbing out of its folder', { path: 'a/b/link', type: 'symlink', target: '../../../secret' }, 'pointing outside'],
    ['a symlink whose PAX linkpath escapes', { path: 'link', type: 'symlink', target: 'fine.txt', pax: { linkpath: '../../etc/shadow' } }, 'pointing outside'],
    ['a symlink whose GNU long link (K) escapes', { path: 'link', type: 'symlink', target: `${'a/'.repeat(60)}${'../'.repeat(70)}etc` }, 'pointing outside'],
    ['a hard link outside the root', { path: 'a/b/hard', type: 'hardlink', target: '../x' }, 'pointing outside'],
    ['a hard link whose PAX linkpath is absolute', { path: 'hard', type: 'hardlink', target: 'x', pax: { linkpath: '/etc/passwd' } }, 'pointing outside'],
    ['a fifo', { path: 'pipe', type: 'fifo' }, 'may not contain'],
  ] as Array<[string, TarEntrySpec, string]>)('refuses %s', async (_label, entry, reason) => {
    const result = await read([manifest, entry]);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(reason);
  });

  it('refuses a symlink whose long target tar-stream itself writes as a PAX linkpath', async () => {
    const target = `${'x/'.repeat(40)}${'../'.repeat(50)}etc/passwd`;
    const result = await inspect(await packed([{ name: 'manifest.json', content: '{}' }, { name: 'link', type: 'symlink', linkname: target }]));
    expect(!result.ok && result.message).toContain('pointing outside the archive');
  });

  it('accepts links that stay inside: a symlink relative to its folder, a hard link relative to the root', async () => {
    expect((await read([manifest, { path: 'a/b/link', type: 'symlink', target: '../c.txt' }])).ok).toBe(true);
    expect((await read([manifest, { path: 'a/b/hard', type: 'hardlink', target: 'a/c.txt' }])).ok).toBe(true);
  });

  it.each([
    ['manifest.json twice', [manifest, manifest]],
    ['./manifest.json and manifest.json', [{ ...manifest, path: './manifest.json' }, manifest]],
  ])('refuses %s', async (_label, entries) => {
    const result = await read(entries);
    expect(!result.ok && result.message).toContain('two manifest.json entries');
  });

  it('refuses a manifest.json that is a link, or larger than its cap', async () => {
    expect(await read([{ path: 'manifest.json', type: 'symlink', target: 'other.json' }])).toMatchObject({ ok: false, message: 'manifest.json must be a regular file.' });
    const big = await read([{ path: 'manifest.json', content: ' '.repeat(2000) }]);
    expect(!big.ok && big.message).toContain('larger than 1000 bytes');
  });

  it('reads an old v7 tar, whose headers have no ustar magic', async () => {
    const tar = tarOf([manifest, { path: 'app.py', content: 'print(1)' }]);
    for (let offset = 0; offset + 512 <= tar.length && tar[offset] !== 0; offset += 1024) {
      const header = tar.subarray(offset, offset + 512);
      header.fill(0, 257, 265);
      header.write('        ', 148);
      let sum = 0;
      for (const byte of header) sum += byte;
      header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    }
    expect(await inspect(gzipSync(tar))).toMatchObject({ ok: true, manifestText: '{"version":1}', fileCount: 2 });
  });

  it('refuses what is not a .tar.gz', async () => {
    expect(await inspect(Buffer.from('plain text'))).toEqual({ ok: false, message: 'The bundle is not a gzip-compressed tar archive (.tar.gz).' });
    const notTar = await inspect(gzipSync(Buffer.from('not a tar'.repeat(100))));
    expect(!notTar.ok && notTar.message).toContain('is not a valid tar archive');
  });

  it('refuses a bomb by its ratio, and a large archive by its expanded size', async () => {
    const bomb = await read([manifest, { path: 'zeros', content: Buffer.alloc(20_000_000) }]);
    expect(!bomb.ok && bomb.message).toContain('more than 200 times its compressed size');
    const noise = tarGz([manifest, { path: 'noise', content: randomBytes(2_000_000) }]);
    expect((await inspect(noise)).ok).toBe(true);
    const capped = await inspect(noise, { maxExpandedBytes: 1_000_000 });
    expect(!capped.ok && capped.message).toContain('more than 1000000 bytes');
  });

  it('refuses a PAX record too large to hold, and keeps reading large files and many small ones', async () => {
    const comment = randomBytes(300 * 1024).toString('base64');
    const result = await read([manifest, { path: 'a.txt', content: 'x', pax: { comment } }]);
    expect(!result.ok && result.message).toContain('bytes of headers between two entries');
    expect((await read([manifest, { path: 'big', content: randomBytes(1024 * 1024) }])).ok).toBe(true);
    const small = Array.from({ length: 900 }, (_, i) => ({ path: `dir/f${i}.txt`, content: 'x'.repeat(600) }));
    expect((await read([manifest, ...small])).ok).toBe(true);
  });

  it('limits the number of entries', async () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ path: `f${i}`, content: 'x' }));
    const result = await inspect(tarGz(many), { maxEntries: 3 });
    expect(!result.ok && result.message).toContain('more than 3 entries');
  });
});

describe('entryProblem', () => {
  it.each([['C:/windows'], ['\\\\server\\share'], ['a\\..\\..\\b']])('refuses the path %s', (name) => {
    expect(entryProblem({ name, type: 'file' })).not.toBeNull();
  });
  it('accepts ordinary relative paths', () => {
    expect(entryProblem({ name: 'app/www/index.html', type: 'file' })).toBeNull();
  });
});
