import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { type Header, extract } from 'tar-stream';
import { segmentsOf } from './archive-inspector.js';

/**
 * The text of one top-level file of a stored .tar.gz (`requirements.txt` finds `./requirements.txt`
 * too), or null when the archive has no such regular file. The archive was checked when it was
 * uploaded; `maxBytes` still bounds what is held in memory. Reading stops at the file.
 */
export async function readArchiveFile(archive: AsyncIterable<Buffer>, name: string, maxBytes: number): Promise<string | null> {
  let found: string | null = null;
  const tar = extract({ allowUnknownFormat: true } as Parameters<typeof extract>[0]);
  tar.on('entry', (header: Header, stream, next) => {
    const wanted = segmentsOf(header.name).join('/') === name && (header.type === 'file' || header.type === 'contiguous-file');
    if (!wanted || (header.size ?? 0) > maxBytes) {
      stream.on('end', () => next());
      stream.resume();
      return;
    }
    const pieces: Buffer[] = [];
    stream.on('data', (piece: unknown) => pieces.push(piece as Buffer));
    stream.on('end', () => {
      found = Buffer.concat(pieces).toString('utf8');
      // Nothing after the file is needed: stop reading the archive.
      tar.destroy();
    });
  });
  try {
    await pipeline(Readable.from(archive), createGunzip(), tar);
  } catch (error) {
    if (found === null) throw error;
  }
  return found;
}
