import { gzipSync } from 'node:zlib';

/**
 * Bundles for the e2e journeys, built in memory (no binary fixtures in the repository): a tiny
 * ustar writer for regular files, gzipped, as a publishing client would upload them.
 */

function tarHeader(path: string, size: number): Buffer {
  const block = Buffer.alloc(512);
  block.write(path, 0, 100, 'utf8');
  block.write('0000644\0', 100);
  block.write('0000000\0', 108);
  block.write('0000000\0', 116);
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  block.write(`${Math.floor(Date.now() / 1000).toString(8).padStart(11, '0')}\0`, 136);
  block.write('        ', 148);
  block.write('0', 156);
  block.write('ustar\0', 257);
  block.write('00', 263);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

/** A .tar.gz holding `files` (path → text) at its top. */
export function tarGz(files: Record<string, string>): Buffer {
  const blocks: Buffer[] = [];
  for (const [path, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    blocks.push(tarHeader(path, data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

/** A Python API bundle made with `pythonVersion` (spec/connect-api-reference.md §8, the minimal manifest). */
export function pythonApiBundle(pythonVersion: string): Buffer {
  const manifest = {
    version: 1,
    metadata: { appmode: 'python-api', entrypoint: 'app' },
    python: { version: pythonVersion, package_manager: { name: 'pip', version: '23.0', package_file: 'requirements.txt' } },
    files: { 'app.py': { checksum: '0' }, 'requirements.txt': { checksum: '0' } },
  };
  return tarGz({
    'manifest.json': JSON.stringify(manifest, null, 2),
    'app.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n',
    'requirements.txt': 'fastapi\n',
  });
}
