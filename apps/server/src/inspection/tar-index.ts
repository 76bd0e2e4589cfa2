import type { FileHandle } from 'node:fs/promises';
import { imageProblem } from './blob-source.js';

/** Where a member's data sits in the tar file, or the member a link names. */
export type TarMember = { readonly offset: number; readonly size: number } | { readonly link: string };

const BLOCK = 512;
/** A saved image holds a few files per layer; more members than this is not one. */
const MAX_MEMBERS = 200_000;
/** GNU long names and PAX records are read whole; a name is never this long. */
const MAX_RECORD_BYTES = 64 * 1024;

const text = (block: Buffer, start: number, length: number) => {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? length : end).toString('utf8');
};

/** A header's size: octal digits, or GNU's base-256 for sizes past 8 GiB. */
function sizeOf(block: Buffer): number {
  const field = block.subarray(124, 136);
  if ((field[0]! & 0x80) !== 0) {
    let size = 0;
    for (let index = 1; index < field.length; index += 1) size = size * 256 + field[index]!;
    return size;
  }
  const digits = text(block, 124, 12).trim();
  return digits === '' ? 0 : Number.parseInt(digits, 8);
}

function checksumMatches(block: Buffer): boolean {
  let sum = 0;
  for (let index = 0; index < BLOCK; index += 1) sum += index >= 148 && index < 156 ? 32 : block[index]!;
  return Number.parseInt(text(block, 148, 8).trim(), 8) === sum;
}

/** PAX records: `<length> <key>=<value>\n`. */
function paxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    const length = Number.parseInt(data.subarray(offset, space).toString('ascii'), 10);
    if (space === -1 || !Number.isFinite(length) || length <= 0) break;
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (equals > 0) records.set(record.slice(0, equals), record.slice(equals + 1));
    offset += length;
  }
  return records;
}

/** `./blobs//sha256/x` and `blobs/sha256/x` are the same member. */
export const memberPath = (name: string) => name.split('/').filter((part) => part !== '' && part !== '.').join('/');

/**
 * Lists a saved image's tar members by reading only their headers: each blob is then read in place
 * (a layer streamed from its offset), so a many-gigabyte archive is never read through to find one.
 * Symbolic and hard links are kept as links (old `docker save` links repeated layers to the first).
 */
export async function indexTar(file: FileHandle, fileSize: number, describe: string): Promise<Map<string, TarMember>> {
  const members = new Map<string, TarMember>();
  const block = Buffer.alloc(BLOCK);
  let offset = 0;
  let longName: string | null = null;
  let longLink: string | null = null;
  let pax = new Map<string, string>();

  const readRecord = async (start: number, size: number) => {
    if (size > MAX_RECORD_BYTES) throw imageProblem(`${describe} holds a tar header record of ${size} bytes, more than a saved image has.`);
    const data = Buffer.alloc(size);
    await file.read(data, 0, size, start);
    return data;
  };

  for (;;) {
    if (offset + BLOCK > fileSize) throw imageProblem(`${describe} ends in the middle of a tar header (the file is truncated).`);
    await file.read(block, 0, BLOCK, offset);
    if (block.every((byte) => byte === 0)) break;
    if (offset === 0 && block[0] === 0x1f && block[1] === 0x8b) {
      throw imageProblem(`${describe} is gzip-compressed; decompress it first (gunzip), then inspect the .tar.`);
    }
    if (!checksumMatches(block)) throw imageProblem(`${describe} is not a tar archive (a header's checksum is wrong at byte ${offset}).`);
    const size = sizeOf(block);
    const type = String.fromCharCode(block[156]!);
    const dataStart = offset + BLOCK;
    if (dataStart + size > fileSize) throw imageProblem(`${describe} is truncated: a member's data runs past the end of the file.`);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;

    if (type === 'L') longName = (await readRecord(dataStart, size)).toString('utf8').replace(/\0+$/, '');
    else if (type === 'K') longLink = (await readRecord(dataStart, size)).toString('utf8').replace(/\0+$/, '');
    else if (type === 'x') pax = paxRecords(await readRecord(dataStart, size));
    else if (type === 'g') continue;
    else {
      const ustarPrefix = text(block, 257, 6) === 'ustar' ? text(block, 345, 155) : '';
      const name = pax.get('path') ?? longName ?? (ustarPrefix ? `${ustarPrefix}/${text(block, 0, 100)}` : text(block, 0, 100));
      const linkname = pax.get('linkpath') ?? longLink ?? text(block, 157, 100);
      const memberSize = pax.has('size') ? Number(pax.get('size')) : size;
      longName = null;
      longLink = null;
      pax = new Map();
      const path = memberPath(name);
      if (type === '0' || type === '\0' || type === '7') members.set(path, { offset: dataStart, size: memberSize });
      else if (type === '1') members.set(path, { link: memberPath(linkname) });
      else if (type === '2') {
        const folder = path.split('/').slice(0, -1);
        const resolved = linkname.startsWith('/') ? linkname : [...folder, linkname].join('/');
        members.set(path, { link: normalise(resolved) });
      }
      if (members.size > MAX_MEMBERS) throw imageProblem(`${describe} holds more than ${MAX_MEMBERS} members, more than a saved image has.`);
    }
  }
  return members;
}

/** `a/b/../c` → `a/c`; climbing above the archive's top stays at the top. */
function normalise(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '' && part !== '.') parts.push(part);
  }
  return parts.join('/');
}

/** Follows links to the member holding data, or null (missing, or a loop). */
export function findMember(members: ReadonlyMap<string, TarMember>, path: string): { offset: number; size: number } | null {
  let current = memberPath(path);
  for (let hops = 0; hops < 16; hops += 1) {
    const member = members.get(current);
    if (!member) return null;
    if (!('link' in member)) return member;
    current = member.link;
  }
  return null;
}
