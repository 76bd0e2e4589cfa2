import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { createIncrementalYamlReader, splitEntries } from './incremental-yaml.js';

const full = (text: string) => yaml.load(text, { schema: yaml.CORE_SCHEMA });

const helmValues = `# Environments for the cluster
executionEnvironments:
  - name: ghcr.io/my-org/connect-runtime:r4.4-py3.11
    title: "R 4.4 / Python 3.11"
    matching: any
    python:
      installations:
        - version: "3.11.3"
          path: /opt/python/3.11.3/bin/python3

  # the previous runtime
  - name: ghcr.io/my-org/connect-runtime:r4.3-py3.10
    title: R 4.3 & Python 3.10
    description: |
      Kept for content
      that has not moved.
`;

describe('incremental YAML reading', () => {
  it.each([
    ['Helm values with comments and a block scalar', helmValues],
    ['a top-level list', '- name: a\n  title: b\n- name: c\n'],
    ['a list at column 0 under the key', 'executionEnvironments:\n- name: a\n- name: b\n'],
    ['an empty file', ''],
    ['anchors and aliases (falls back)', '- &base\n  name: a\n- name: b\n  python: *base\n'],
    ['other keys (falls back)', 'executionEnvironments:\n  - name: a\nother: 1\n'],
    ['flow style (falls back)', '[{name: a}, {name: b}]'],
    ['several documents (falls back)', '---\n- name: a\n'],
  ])('reads %s exactly as a full parse does', async (_label, text) => {
    expect(await createIncrementalYamlReader()(text)).toEqual(full(text) ?? undefined);
  });

  it('reads a large file item by item, pausing between items, exactly as a full parse does', async () => {
    const text = `executionEnvironments:\n${Array.from({ length: 3_000 }, (_, i) => `  - name: ghcr.io/org/runtime-${i}:1\n    title: Runtime ${i}\n`).join('')}`;
    let pauses = 0;
    expect(await createIncrementalYamlReader()(text, async () => void pauses++)).toEqual(full(text));
    // At least once an item (splitting the text pauses too).
    expect(pauses).toBeGreaterThanOrEqual(3_000);
  });

  it('splits only the plain layouts', () => {
    expect(splitEntries(helmValues)?.items).toHaveLength(2);
    expect(splitEntries('- &a\n  name: x\n')).toBeNull();
    expect(splitEntries('name: Kubernetes\nimages: []\n')).toBeNull();
  });

  it('gives the same answer after an edit as a fresh full parse, reusing untouched items', async () => {
    const read = createIncrementalYamlReader();
    const first = (await read(helmValues)) as { executionEnvironments: object[] };
    const edited = helmValues.replace('R 4.3 & Python 3.10', 'R 4.3 (old)');
    const second = (await read(edited)) as { executionEnvironments: object[] };
    expect(second).toEqual(full(edited));
    expect(second.executionEnvironments[0]).toBe(first.executionEnvironments[0]);
    expect(second.executionEnvironments[1]).not.toBe(first.executionEnvironments[1]);
  });
});
