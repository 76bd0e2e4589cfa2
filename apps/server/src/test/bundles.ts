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

/**
 * A .tar.gz of one entry holding `zeroBytes` of zeros: under a megabyte of gzip per 800 MiB.
 * Compressed as a stream, so the zeros are never in memory at once.
 */
export async function gzipBomb(zeroBytes = 800 * 1024 * 1024): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on('data', (piece: Buffer) => out.push(piece));
  const done = new Promise((resolve) => gzip.on('end', resolve));
  const header = tarOf([{ path: 'zeros.bin', content: '' }]).subarray(0, 512);
  header.write(`${zeroBytes.toString(8).padStart(11, '0')}\0`, 124);
  header.write('        ', 148);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  gzip.write(header);
  const zeros = Buffer.alloc(1024 * 1024);
  for (let written = 0; written < zeroBytes; written += zeros.length) {
    if (!gzip.write(zeros.subarray(0, Math.min(zeros.length, zeroBytes - written)))) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end(Buffer.alloc(1024));
  await done;
  return Buffer.concat(out);
}
