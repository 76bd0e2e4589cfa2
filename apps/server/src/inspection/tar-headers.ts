/**
 * Reads a tar stream's headers as its chunks arrive, skipping the data of the entries without
 * copying it: inspecting a layer needs each entry's name, type, mode and size, and the bytes of a
 * handful of small files. It is fed the decompressed layer a chunk at a time and works on each
 * synchronously, so an entry costs one header decode and no stream, event or buffer of its own
 * (most of a layer's entries are small files, and a general-purpose extractor's per-entry stream
 * cost more than inflating them).
 *
 * It reads what tar-stream's extractor read before it: ustar (with its name prefix), GNU (long
 * names and link names, base-256 sizes) and PAX (`path`, `linkpath`, `size`; a global header's
 * records are the defaults of the next entry's own), a checksum checked on every header, zero
 * blocks passed over, and a stream ending inside a header or an entry's data refused.
 */

export type TarEntryType = 'file' | 'link' | 'symlink' | 'character-device' | 'block-device' | 'directory' | 'fifo' | 'contiguous-file';

export interface TarEntryHeader {
  readonly name: string;
  /** Null for a type flag inspection does not know (a GNU sparse file, a volume label). */
  readonly type: TarEntryType | null;
  /** Null when the header names none. */
  readonly linkname: string | null;
  readonly mode: number;
  readonly size: number;
}

export interface TarHeaderHandler {
  /** One entry; answers true to be handed its data (`content`), false to have it skipped. */
  entry(header: TarEntryHeader): boolean;
  /** The data of the entry last answered true for, whole. */
  content(data: Buffer): void;
}

export interface TarHeaderLimits {
  /** Bytes of headers and PAX / GNU long-name records between two entries; a record is refused before it is held. */
  readonly maxHeaderBytes: number;
}

const BLOCK = 512;
const TYPES: ReadonlyArray<TarEntryType | null> = ['file', 'link', 'symlink', 'character-device', 'block-device', 'directory', 'fifo', 'contiguous-file'];
const PAX = 'x'.charCodeAt(0);
const PAX_GLOBAL = 'g'.charCodeAt(0);
const GNU_LONG_LINK = 'K'.charCodeAt(0);
const GNU_LONG_NAME = 'L'.charCodeAt(0);
const GNU_LONG_NAME_OLD = 'N'.charCodeAt(0);
const USTAR_MAGIC = [0x75, 0x73, 0x74, 0x61, 0x72, 0x00]; // "ustar\0"

/** A NUL-ended text field (UTF-8). */
function text(block: Buffer, start: number, length: number): string {
  let end = start;
  const limit = start + length;
  while (end < limit && block[end] !== 0) end += 1;
  return block.toString('utf8', start, end);
}

/** A number field: octal digits (leading spaces or zeros, ended by a space or NUL), or GNU's base-256 past 8 GiB. */
function numeric(block: Buffer, start: number, length: number): number {
  const limit = start + length;
  if ((block[start]! & 0x80) !== 0) {
    let value = block[start]! & 0x7f;
    for (let index = start + 1; index < limit; index += 1) value = value * 256 + block[index]!;
    return value;
  }
  let index = start;
  while (index < limit && (block[index] === 0x20 || block[index] === 0x30)) index += 1;
  let value = 0;
  for (; index < limit; index += 1) {
    const digit = block[index]! - 0x30;
    if (digit < 0 || digit > 7) break;
    value = value * 8 + digit;
  }
  return value;
}

/** PAX records: `<length> <key>=<value>\n`, read until one is malformed. */
function paxRecords(data: Buffer, into: Map<string, string>): Map<string, string> {
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space === -1) break;
    const length = Number.parseInt(data.toString('ascii', offset, space), 10);
    if (!Number.isFinite(length) || length <= 0 || offset + length > data.length) break;
    const record = data.toString('utf8', space + 1, offset + length - 1);
    const equals = record.indexOf('=');
    if (equals === -1) break;
    into.set(record.slice(0, equals), record.slice(equals + 1));
    offset += length;
  }
  return into;
}

type RecordKind = 'pax' | 'pax-global' | 'long-name' | 'long-link' | 'content';

export class TarHeaderReader {
  private readonly header = Buffer.alloc(BLOCK);
  private headerFill = 0;
  /** Bytes still to pass over: an entry's data and padding. */
  private skip = 0;
  /** Data being collected whole: a PAX or long-name record, or a file's content. */
  private record: Buffer | null = null;
  private recordFill = 0;
  private recordKind: RecordKind = 'content';
  private padding = 0;
  private headerBytes = 0;
  private longName: string | null = null;
  private longLink: string | null = null;
  private pax: Map<string, string> | null = null;
  private paxGlobal: Map<string, string> | null = null;

  constructor(
    private readonly handler: TarHeaderHandler,
    private readonly limits: TarHeaderLimits,
  ) {}

  /** Reads one chunk of the tar; throws on a header that is not one, or a record past the limit. */
  push(chunk: Buffer): void {
    const length = chunk.length;
    let offset = 0;
    while (offset < length) {
      if (this.skip > 0) {
        const taken = Math.min(this.skip, length - offset);
        this.skip -= taken;
        offset += taken;
      } else if (this.record !== null) {
        const taken = Math.min(this.record.length - this.recordFill, length - offset);
        chunk.copy(this.record, this.recordFill, offset, offset + taken);
        this.recordFill += taken;
        offset += taken;
        if (this.recordFill === this.record.length) this.endRecord();
      } else if (this.headerFill === 0 && length - offset >= BLOCK) {
        this.readHeader(chunk, offset);
        offset += BLOCK;
      } else {
        const taken = Math.min(BLOCK - this.headerFill, length - offset);
        chunk.copy(this.header, this.headerFill, offset, offset + taken);
        this.headerFill += taken;
        offset += taken;
        if (this.headerFill === BLOCK) {
          this.headerFill = 0;
          this.readHeader(this.header, 0);
        }
      }
    }
  }

  /** The stream ended: refused when it ends inside a header or an entry's data. */
  end(): void {
    if (this.headerFill > 0 || this.skip > 0 || this.record !== null) throw new Error('Unexpected end of data');
  }

  private readHeader(block: Buffer, start: number): void {
    this.headerBytes += BLOCK;
    let sum = 0;
    for (let index = start; index < start + 148; index += 1) sum += block[index]!;
    for (let index = start + 156; index < start + BLOCK; index += 1) sum += block[index]!;
    // The checksum field itself counts as eight spaces; a block of zeros sums to just that.
    sum += 8 * 0x20;
    if (sum === 8 * 0x20) return;
    if (numeric(block, start + 148, 8) !== sum) throw new Error('Invalid tar header. Maybe the tar is corrupted or it needs to be gunzipped?');

    const flag = block[start + 156]!;
    let size = numeric(block, start + 124, 12);
    if (flag === PAX || flag === PAX_GLOBAL || flag === GNU_LONG_LINK || flag === GNU_LONG_NAME || flag === GNU_LONG_NAME_OLD) {
      if (this.headerBytes + size > this.limits.maxHeaderBytes) throw new HeaderLimitError(this.limits.maxHeaderBytes);
      this.headerBytes += size;
      const kind: RecordKind = flag === PAX ? 'pax' : flag === PAX_GLOBAL ? 'pax-global' : flag === GNU_LONG_LINK ? 'long-link' : 'long-name';
      this.collect(kind, size);
      return;
    }

    const typeflag = flag === 0 ? 0 : flag - 0x30;
    let name = text(block, start, 100);
    let isUstar = true;
    for (let index = 0; index < USTAR_MAGIC.length; index += 1) {
      if (block[start + 257 + index] !== USTAR_MAGIC[index]) {
        isUstar = false;
        break;
      }
    }
    if (isUstar && block[start + 345] !== 0) name = `${text(block, start + 345, 155)}/${name}`;
    // Old tars mark a folder by a trailing slash on a file's name.
    const type = typeflag === 0 && name.endsWith('/') ? 'directory' : (TYPES[typeflag] ?? null);
    let linkname = block[start + 157] === 0 ? null : text(block, start + 157, 100);
    if (this.longName !== null) name = this.longName;
    if (this.longLink !== null) linkname = this.longLink;
    if (this.pax !== null) {
      const path = this.pax.get('path');
      const linkpath = this.pax.get('linkpath');
      const paxSize = this.pax.get('size');
      if (path) name = path;
      if (linkpath) linkname = linkpath;
      if (paxSize) size = Number.parseInt(paxSize, 10);
    }
    this.longName = null;
    this.longLink = null;
    this.pax = null;
    this.headerBytes = 0;
    const mode = numeric(block, start + 100, 8);

    const wanted = this.handler.entry({ name, type, linkname, mode, size });
    // A folder's size is not data that follows it (tar-stream read it so).
    if (type === 'directory' || !(size > 0)) return;
    if (wanted) this.collect('content', size);
    else this.skip = size + ((BLOCK - (size % BLOCK)) % BLOCK);
  }

  private collect(kind: RecordKind, size: number): void {
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    this.recordKind = kind;
    this.recordFill = 0;
    this.record = Buffer.allocUnsafe(size);
    if (size === 0) this.endRecord();
  }

  private endRecord(): void {
    const data = this.record!;
    this.record = null;
    this.skip = this.padding;
    switch (this.recordKind) {
      case 'content':
        this.handler.content(data);
        break;
      case 'long-name':
        this.longName = text(data, 0, data.length);
        break;
      case 'long-link':
        this.longLink = text(data, 0, data.length);
        break;
      case 'pax-global':
        this.paxGlobal = paxRecords(data, new Map());
        break;
      case 'pax':
        this.pax = paxRecords(data, new Map(this.paxGlobal ?? []));
        break;
    }
  }
}

/** PAX or long-name records past `maxHeaderBytes` between two entries. */
export class HeaderLimitError extends Error {
  constructor(readonly maxHeaderBytes: number) {
    super(`more than ${maxHeaderBytes} bytes of tar headers between two entries`);
  }
}
