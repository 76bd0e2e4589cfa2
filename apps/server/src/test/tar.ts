import { gzipSync } from 'node:zlib';

export interface TarEntrySpec {
  readonly path: string;
  readonly type?: 'file' | 'directory' | 'symlink';
  readonly content?: string | Buffer;
  readonly target?: string;
}

function header(name: string, size: number, typeflag: string, linkname = ''): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, 'utf8');
  block.write('0000644\0', 100);
  block.write('0000000\0', 108);
  block.write('0000000\0', 116);
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  block.write('00000000000\0', 136);
  block.write('        ', 148);
  block.write(typeflag, 156);
  block.write(linkname, 157, 100, 'utf8');
  block.write('ustar\0', 257);
  block.write('00', 263);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

const padded = (data: Buffer) => Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]);

/** Builds a .tar.gz in memory, as a client's bundler would (GNU long names for long paths). */
export function tarGz(entries: readonly TarEntrySpec[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const data = Buffer.from(entry.content ?? '');
    const typeflag = entry.type === 'directory' ? '5' : entry.type === 'symlink' ? '2' : '0';
    if (Buffer.byteLength(entry.path) > 100) {
      const name = Buffer.from(`${entry.path}\0`);
      blocks.push(header('././@LongLink', name.length, 'L'), padded(name));
    }
    blocks.push(header(entry.path.slice(0, 100), typeflag === '0' ? data.length : 0, typeflag, entry.target));
    if (typeflag === '0') blocks.push(padded(data));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}
