import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, linkSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HeaderLimitError, type TarEntryHeader, TarHeaderReader } from './tar-headers.js';
import { imageFolder } from './testing/inspect-for-tests.js';
import { file, folder, tarOfEntries } from './testing/image-builders.js';

const temp = imageFolder();
afterAll(() => temp.cleanup());

interface Read {
  readonly headers: TarEntryHeader[];
  readonly contents: Map<string, string>;
}

/** Reads `tar` fed in pieces of `piece` bytes, asking for the content of the entries `wanted` picks. */
function read(tar: Buffer, piece: number, wanted: (header: TarEntryHeader) => boolean = () => false, maxHeaderBytes = 1024 * 1024): Read {
  const headers: TarEntryHeader[] = [];
  const contents = new Map<string, string>();
  let asked = '';
  const reader = new TarHeaderReader(
    {
      entry(header) {
        headers.push(header);
        asked = header.name;
        return wanted(header);
      },
      content(data) {
        contents.set(asked, data.toString('utf8'));
      },
    },
    { maxHeaderBytes },
  );
  for (let offset = 0; offset < tar.length; offset += piece) reader.push(tar.subarray(offset, offset + piece));
  reader.end();
  return { headers, contents };
}

const LONG_FOLDER = `opt/${'long-folder-name/'.repeat(9)}`;
const LONG_TARGET = `../${'target/'.repeat(20)}python3.12`;

/** A tree with a name and a link target past ustar's 100 bytes, written by GNU tar in `format`. */
function gnuTar(format: 'gnu' | 'pax' | 'ustar'): Buffer {
  const root = temp.place(`tree-${format}`);
  mkdirSync(path.join(root, LONG_FOLDER, 'bin'), { recursive: true });
  writeFileSync(path.join(root, LONG_FOLDER, 'bin', 'python3'), '#!/bin/sh\n');
  chmodSync(path.join(root, LONG_FOLDER, 'bin', 'python3'), 0o755);
  writeFileSync(path.join(root, 'opt', 'patchlevel.h'), `#define PY_VERSION "3.12.4"\n${'/* pad */\n'.repeat(100)}`);
  linkSync(path.join(root, 'opt', 'patchlevel.h'), path.join(root, 'opt', 'zz-hard'));
  if (format !== 'ustar') symlinkSync(LONG_TARGET, path.join(root, 'opt', 'python'));
  return execFileSync('tar', ['-c', `--format=${format}`, '--sort=name', '--owner=0', '--group=0', '--mtime=2026-01-01', '-C', root, 'opt']);
}

const essentials = (headers: readonly TarEntryHeader[]) => headers.map(({ name, type, linkname, size }) => ({ name, type, linkname, size }));

describe('TarHeaderReader', () => {
  it.each(['gnu', 'pax'] as const)('reads %s long names and link targets, links, modes and sizes, however the stream is cut', (format) => {
    const tar = gnuTar(format);
    const whole = read(tar, tar.length, (header) => header.name.endsWith('patchlevel.h'));
    expect(essentials(whole.headers)).toEqual(
      expect.arrayContaining([
        { name: `${LONG_FOLDER}bin/python3`, type: 'file', linkname: null, size: 10 },
        { name: 'opt/python', type: 'symlink', linkname: LONG_TARGET, size: 0 },
        { name: 'opt/zz-hard', type: 'link', linkname: 'opt/patchlevel.h', size: 0 },
        { name: `${LONG_FOLDER}bin/`, type: 'directory', linkname: null, size: 0 },
      ]),
    );
    expect(whole.headers.find((header) => header.name.endsWith('python3'))!.mode & 0o777).toBe(0o755);
    expect(whole.contents.get('opt/patchlevel.h')).toMatch(/^#define PY_VERSION "3\.12\.4"\n/);
    for (const piece of [1, 7, 511, 512, 513, 4096]) expect(read(tar, piece, (header) => header.name.endsWith('patchlevel.h')), `${piece}-byte pieces`).toEqual(whole);
  });

  it('joins a ustar name prefix to its name', () => {
    const { headers } = read(gnuTar('ustar'), 1000);
    expect(headers.map((header) => header.name)).toContain(`${LONG_FOLDER}bin/python3`);
  });

  it('reads PAX paths and sizes as tar-stream wrote them, and passes zero blocks over', async () => {
    const name = `opt/${'x'.repeat(300)}/DESCRIPTION`;
    const tar = await tarOfEntries([folder('opt'), file(name, 'Version: 4.4.1\n'), file('after', 'a')]);
    const padded = Buffer.concat([Buffer.alloc(1024), tar]);
    const { headers, contents } = read(padded, 100, (header) => header.name === name);
    expect(headers.map((header) => [header.name, header.type, header.size])).toEqual([
      ['opt', 'directory', 0],
      [name, 'file', 15],
      ['after', 'file', 1],
    ]);
    expect(contents.get(name)).toBe('Version: 4.4.1\n');
  });

  it('takes a size in base-256, as GNU tar writes one past 8 GiB', async () => {
    const tar = await tarOfEntries([file('big', 'abc')]);
    const header = Buffer.from(tar.subarray(0, 512));
    header.fill(0, 124, 136);
    header[124] = 0x80;
    header[135] = 3;
    header.fill(0x20, 148, 156);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
    expect(read(Buffer.concat([header, tar.subarray(512)]), 512).headers[0]).toMatchObject({ name: 'big', size: 3 });
  });

  it('refuses a header whose checksum is wrong, and a stream ending inside a header or an entry’s data', async () => {
    const tar = await tarOfEntries([file('a', 'x'.repeat(2000)), file('b', 'y')]);
    const corrupt = Buffer.from(tar);
    corrupt[3] = 0x41;
    expect(() => read(corrupt, 512)).toThrow('Invalid tar header');
    expect(() => read(tar.subarray(0, 700), 512)).toThrow('Unexpected end of data');
    expect(() => read(tar.subarray(0, 2560 + 100), 512)).toThrow('Unexpected end of data');
    // Ending between two entries, without the end-of-archive blocks, is a whole archive.
    expect(read(tar.subarray(0, 2560), 512).headers.map((header) => header.name)).toEqual(['a']);
  });

  it('refuses a PAX record past the header limit before holding it', async () => {
    const tar = await tarOfEntries([file(`${'a/'.repeat(10_000)}x`, 'x')]);
    expect(() => read(tar, 65536, () => false, 8 * 1024)).toThrow(HeaderLimitError);
    expect(read(tar, 65536, () => false, 64 * 1024).headers).toHaveLength(1);
  });
});
