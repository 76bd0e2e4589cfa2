import { gunzipSync } from 'node:zlib';

export interface ArchiveEntry {
  /** Normalised relative path, without a leading `./`. */
  readonly path: string;
  readonly type: 'file' | 'directory' | 'link';
  readonly size: number;
  readonly data: Buffer;
}

export type ArchiveResult = { ok: true; entries: ArchiveEntry[] } | { ok: false; message: string };

export interface ArchiveLimits {
  /** Bytes after decompression: a small gzip can expand enormously. */
  readonly maxUnpackedBytes: number;
  readonly maxEntries: number;
}

const BLOCK = 512;

function text(block: Buffer, offset: number, length: number): string {
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? raw.length : end).toString('utf8');
}

function octal(block: Buffer, offset: number, length: number): number {
  const field = block.subarray(offset, offset + length);
  // GNU base-256 for large sizes: high bit of the first byte set.
  if ((field[0] ?? 0) & 0x80) {
    let value = 0;
    for (let i = 1; i < field.length; i++) value = value * 256 + (field[i] ?? 0);
    return value;
  }
  const digits = text(block, offset, length).trim();
  return digits ? Number.parseInt(digits, 8) : 0;
}

function checksumMatches(header: Buffer): boolean {
  const stored = octal(header, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (header[i] ?? 0);
  return sum === stored;
}

/** Why `path` may not be unpacked (absolute, escaping with `..`, or a drive path), or null. */
export function unsafePathReason(path: string): string | null {
  if (path.startsWith('/') || path.startsWith('\\')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(path)) return 'is a drive path';
  if (path.split(/[\\/]/).includes('..')) return 'contains a ".." segment';
  if (path.includes('\0')) return 'contains a NUL character';
  return null;
}

/** Whether following `target` from the folder `from` climbs above the archive's root. */
function escapes(from: string[], target: string): boolean {
  const stack = [...from];
  for (const part of target.split('/')) {
    if (part === '..') {
      if (stack.length === 0) return true;
      stack.pop();
    } else if (part !== '' && part !== '.') stack.push(part);
  }
  return false;
}

function normalise(path: string): string {
  return path.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
}

function paxPath(data: Buffer): string | null {
  // Records are "<length> <key>=<value>\n".
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space === -1) break;
    const length = Number(data.subarray(offset, space).toString());
    if (!Number.isFinite(length) || length <= 0) break;
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (record.slice(0, equals) === 'path') return record.slice(equals + 1);
    offset += length;
  }
  return null;
}

/**
 * Reads a gzip-compressed tar archive fully into memory, refusing what could escape the folder it
 * would be unpacked in: absolute paths, `..` segments, and links pointing out of the archive.
 */
export function readTarGz(archive: Buffer, limits: ArchiveLimits): ArchiveResult {
  let tar: Buffer;
  try {
    tar = gunzipSync(archive, { maxOutputLength: limits.maxUnpackedBytes });
  } catch (error) {
    const message = (error as Error).message;
    if (/Cannot create a Buffer larger|maxOutputLength|buffer/i.test(message) && archive.length > 2 && archive[0] === 0x1f) {
      return { ok: false, message: `the archive unpacks to more than ${limits.maxUnpackedBytes} bytes` };
    }
    return { ok: false, message: 'is not a gzip-compressed tar archive (.tar.gz)' };
  }

  const entries: ArchiveEntry[] = [];
  let offset = 0;
  let longName: string | null = null;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    if (!checksumMatches(header)) return { ok: false, message: `is not a valid tar archive (bad header at byte ${offset})` };
    const size = octal(header, 124, 12);
    const typeflag = String.fromCharCode(header[156] ?? 0x30);
    const dataStart = offset + BLOCK;
    const data = tar.subarray(dataStart, dataStart + size);
    if (data.length < size) return { ok: false, message: 'is truncated' };
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;

    if (typeflag === 'L' || typeflag === 'x') {
      longName = typeflag === 'L' ? text(data, 0, data.length) : (paxPath(data) ?? longName);
      continue;
    }
    if (typeflag === 'g') continue;
    const prefix = text(header, 345, 155);
    const rawPath = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    longName = null;
    const reason = unsafePathReason(rawPath);
    if (reason) return { ok: false, message: `holds the entry "${rawPath}", which ${reason}` };
    const path = normalise(rawPath);
    if (path === '' || path === '.') continue;

    if (typeflag === '1' || typeflag === '2') {
      // Hard links name archive paths; symbolic links are relative to the link's own folder.
      const target = text(header, 157, 100);
      const start = typeflag === '2' ? path.split('/').slice(0, -1) : [];
      if (target.startsWith('/') || escapes(start, target)) {
        return { ok: false, message: `holds the link "${path}" pointing outside the archive (${target})` };
      }
      entries.push({ path, type: 'link', size: 0, data: Buffer.alloc(0) });
    } else if (typeflag === '5') {
      entries.push({ path, type: 'directory', size: 0, data: Buffer.alloc(0) });
    } else if (typeflag === '0' || typeflag === '\0' || typeflag === '7') {
      entries.push({ path, type: 'file', size, data });
    } else {
      return { ok: false, message: `holds "${path}", an entry of a kind bundles may not contain (device, fifo)` };
    }
    if (entries.length > limits.maxEntries) return { ok: false, message: `holds more than ${limits.maxEntries} entries` };
  }
  return { ok: true, entries };
}
