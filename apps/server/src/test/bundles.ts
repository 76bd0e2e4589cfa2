import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { tarGz, tarOf } from './tar.js';

/** The manifest rsconnect writes for the cookbook's reticulated image classifier (Shiny + Python). */
export function cookbookManifest(overrides: Record<string, unknown> = {}) {
  return {
    version: 1,
    locale: 'en_US',
    platform: '4.2.3',
    metadata: { appmode: 'shiny', primary_rmd: null, primary_html: null, content_category: null, has_parameters: false },
    python: { version: '3.9.14', package_manager: { name: 'pip', version: '22.2.2', package_file: 'requirements.txt' } },
    packages: { shiny: { Source: 'CRAN', Repository: 'https://cran.rstudio.com/', description: { Package: 'shiny', Version: '1.7.4' } } },
    files: { 'app.R': { checksum: '6b1e' }, 'requirements.txt': { checksum: '9f2c' } },
    ...overrides,
  };
}

/** A bundle as `tar czvf bundle.tar.gz -C ./app ./` makes it. */
export function bundleArchive(manifest: unknown = cookbookManifest()): Buffer {
  return tarGz([
    { path: './', type: 'directory' },
    { path: './manifest.json', content: JSON.stringify(manifest, null, 2) },
    { path: './app.R', content: 'library(shiny)\nlibrary(reticulate)\n' },
    { path: './requirements.txt', content: 'tensorflow==2.12.0\n' },
  ]);
}

/** A tar of the cookbook manifest and one file of `size` bytes repeating `fill`, as a stream. */
async function* tarStream(size: number, fill: Buffer): AsyncGenerator<Buffer> {
  const head = tarOf([{ path: 'manifest.json', content: JSON.stringify(cookbookManifest()) }, { path: 'data.bin', content: '' }]);
  const header = head.subarray(head.length - 1536, head.length - 1024);
  header.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  header.write('        ', 148);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  yield head.subarray(0, head.length - 1024);
  for (let sent = 0; sent < size; sent += fill.length) yield fill.subarray(0, Math.min(fill.length, size - sent));
  yield Buffer.alloc((512 - (size % 512)) % 512);
  yield Buffer.alloc(1024);
}

/**
 * A .tar.gz of about `bytes` that is never in memory whole: one random MiB repeated, gzip-ed at
 * level 0 (stored blocks), so it costs no compression and does not look like a bomb.
 */
export const bundleStream = (bytes: number): Readable =>
  Readable.from(tarStream(bytes - 64 * 1024, randomBytes(1024 * 1024))).pipe(createGzip({ level: 0 }));

/**
 * A .tar.gz holding `zeroBytes` of zeros: under a megabyte of gzip per 800 MiB, compressed as a
 * stream, so the zeros are never in memory at once.
 */
export async function gzipBomb(zeroBytes = 800 * 1024 * 1024): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for await (const piece of Readable.from(tarStream(zeroBytes, Buffer.alloc(1024 * 1024))).pipe(createGzip({ level: 9 }))) pieces.push(piece as Buffer);
  return Buffer.concat(pieces);
}
