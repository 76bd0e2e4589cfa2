import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { billionLaughs, tempFolder } from '../test/files.js';
import { parseDocument, readEnvironmentsFileText } from './environments-file-reader.js';
import { createIncrementalYamlReader } from './incremental-yaml.js';

describe('reading a hostile environments file', () => {
  let folder: ReturnType<typeof tempFolder> | undefined;
  afterEach(() => folder?.cleanup());

  it('refuses the billion laughs bomb, naming the alias limit, in well under a second', async () => {
    const bomb = billionLaughs();
    expect(bomb.length).toBeLessThan(700);
    const started = performance.now();
    const parsed = parseDocument(bomb);
    const sliced = await createIncrementalYamlReader()(bomb).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(parsed).toEqual({ ok: false, message: expect.stringContaining('aliases expand it by more than 1000000 values') });
    expect(sliced).toContain('aliases expand it by more than 1000000 values');
  });

  it('refuses an alias that contains itself, which no tree can hold', () => {
    expect(parseDocument('- name: ghcr.io/org/loop:1\n  volume_mounts: &loop [*loop]\n')).toEqual({
      ok: false,
      message: expect.stringContaining('a YAML alias refers to a node that contains it'),
    });
  });

  it('keeps honest aliases: one installations list shared by 10,000 entries', () => {
    const shared = '  python: &py\n    installations:\n      - version: "3.11.3"\n        path: /opt/python/3.11.3/bin/python3\n';
    const rest = Array.from({ length: 9_999 }, (_, i) => `- name: ghcr.io/org/runtime-${i}:1\n  python: *py\n`).join('');
    const parsed = parseDocument(`- name: ghcr.io/org/first:1\n${shared}${rest}`);
    expect(parsed.ok && (parsed.document as unknown[]).length).toBe(10_000);
  });

  it('refuses a file over the size limit from its size, naming the limit and its setting', async () => {
    folder = tempFolder();
    const file = folder.path('environments.yaml');
    writeFileSync(file, `- name: ghcr.io/org/a:1\n${'# padding\n'.repeat(200)}`);
    const read = await readEnvironmentsFileText(file, 1_024);
    expect(read).toEqual({ kind: 'unreadable', message: expect.stringContaining('over the limit of 1024 bytes (ENVDESK_ENVIRONMENTS_MAX_BYTES)') });
    expect((await readEnvironmentsFileText(file, 4_096)).kind).toBe('read');
  });

  it('refuses what is not a regular file, such as a device that never ends, without reading it', async () => {
    const read = await readEnvironmentsFileText('/dev/zero', 1_024);
    expect(read).toEqual({ kind: 'unreadable', message: expect.stringContaining('is not a regular file') });
  });
});
