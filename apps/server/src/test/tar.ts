import { gzipSync } from 'node:zlib';

/**
 * A small tar writer for tests, the e2e journeys and the benches (no binary fixtures in the
 * repository): bundles built in memory as a publishing client's bundler would, including the odd
 * entries (long names, links, PAX headers) the server must read or refuse.
 */

export interface TarEntrySpec {
  readonly path: string;
  readonly type?: 'file' | 'directory' | 'symlink' | 'hardlink' | 'fifo';
  readonly content?: string | Buffer;
  /** A link's target; one over 100 bytes is written as a GNU long-link (`K`) entry. */
  readonly target?: string;
  /** PAX records (`path`, `linkpath`, …) written in an `x` header before the entry, overriding its own fields. */
  readonly pax?: Record<string, string>;
}

const TYPEFLAGS = { file: '0', hardlink: '1', symlink: '2', directory: '5', fifo: '6' } as const;

/** PAX records: "<length> <key>=<value>\n", the length counting itself. */
function paxRecords(records: Record<string, string>): Buffer {
  const lines = Object.entries(records).map(([key, value]) => {
    const body = ` ${key}=${value}\n`;
    let length = Buffer.byteLength(body) + 1;
    while (String(length).length + Buffer.byteLength(body) !== length) length += 1;
    return `${length}${body}`;
  });
  return Buffer.from(lines.join(''));
}

/** A ustar header block; `size` is the data that follows (0 for anything but a regular file). */
export function tarHeader(name: string, size: number, typeflag = '0', linkname = ''): Buffer {
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

/** The zeros that fill an entry's data of `size` bytes up to the next 512-byte block. */
export const tarPadding = (size: number): Buffer => Buffer.alloc((512 - (size % 512)) % 512);

/** Two zero blocks: the end of the archive. */
export const TAR_END = Buffer.alloc(1024);

const padded = (data: Buffer) => Buffer.concat([data, tarPadding(data.length)]);

/** Builds a .tar.gz in memory, as a client's bundler would (GNU long names for long paths). */
export function tarGz(entries: readonly TarEntrySpec[]): Buffer {
  return gzipSync(tarOf(entries));
}

/** The uncompressed tar, for tests that compress it their own way. */
export function tarOf(entries: readonly TarEntrySpec[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const data = Buffer.from(entry.content ?? '');
    const typeflag = TYPEFLAGS[entry.type ?? 'file'];
    if (entry.pax) {
      const records = paxRecords(entry.pax);
      blocks.push(tarHeader('PaxHeader', records.length, 'x'), padded(records));
    }
    if (Buffer.byteLength(entry.path) > 100) {
      const name = Buffer.from(`${entry.path}\0`);
      blocks.push(tarHeader('././@LongLink', name.length, 'L'), padded(name));
    }
    if (entry.target && Buffer.byteLength(entry.target) > 100) {
      const target = Buffer.from(`${entry.target}\0`);
      blocks.push(tarHeader('././@LongLink', target.length, 'K'), padded(target));
    }
    blocks.push(tarHeader(entry.path.slice(0, 100), typeflag === '0' ? data.length : 0, typeflag, entry.target?.slice(0, 100)));
    if (typeflag === '0') blocks.push(padded(data));
  }
  blocks.push(TAR_END);
  return Buffer.concat(blocks);
}
