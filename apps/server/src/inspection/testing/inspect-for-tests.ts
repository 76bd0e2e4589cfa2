import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiError } from '@envdesk/domain';
import type { BlobSource } from '../blob-source.js';
import { type InspectImageOptions, inspectImage } from '../inspect-image.js';
import { localImageSource } from '../local-sources.js';
import { holdsVersionForTests } from './image-builders.js';

/** A temporary folder for built images; `place(name)` gives a fresh path in it. */
export function imageFolder() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'envdesk-inspect-'));
  let counter = 0;
  return {
    place: (name: string) => path.join(root, `${(counter += 1)}-${name}`),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Inspects a source (or a local path) keeping the test version files, with the progress lines. */
export async function inspectForTest(source: BlobSource | string, options: Partial<InspectImageOptions> = {}) {
  const lines: string[] = [];
  const blobSource = typeof source === 'string' ? await localImageSource(source) : source;
  const image = await inspectImage(blobSource, { holdsVersion: holdsVersionForTests, maxBytes: 1024 * 1024 * 1024, onProgress: (line) => lines.push(line), ...options });
  return { ...image, lines };
}

/** The message an inspection fails with; the test fails if it succeeds or fails with anything but a clear 400. */
export async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 400) throw new Error(`expected a clear 400, got ${String(error)}`, { cause: error });
    return error.message;
  }
  throw new Error('expected the inspection to fail');
}
