import { describe, expect, it } from 'vitest';
import { parseManifest } from '../selection/manifest-schema.js';
import { summarizeManifest } from './bundle-manifest-summary.js';

const summaryOf = (manifest: unknown) => {
  const parsed = parseManifest(manifest);
  if (!parsed.ok) throw new Error(parsed.error);
  return summarizeManifest(parsed.value);
};

describe('summarizeManifest', () => {
  it.each([
    [
      'an R and Python Quarto document with constraints',
      {
        platform: '4.4.1',
        metadata: { appmode: 'quarto-static' },
        python: { version: '3.11.4' },
        quarto: { version: '1.4.557' },
        environment: { python: { requires: '>=3.11' }, r: { requires: '~=4.4' } },
      },
      { app_mode: 'quarto-static', r: '4.4.1', python: '3.11.4', quarto: '1.4.557', r_requires: '~=4.4', python_requires: '>=3.11' },
    ],
    [
      'a Python API',
      { metadata: { appmode: 'python-api' }, python: { version: '3.12.1' } },
      { app_mode: 'python-api', r: null, python: '3.12.1', quarto: null, r_requires: null, python_requires: null },
    ],
    [
      "rsconnect-python's stand-in Quarto version",
      { metadata: { appmode: 'quarto-shiny' }, quarto: { version: '99.9.9' } },
      { app_mode: 'quarto-shiny', r: null, python: null, quarto: null, r_requires: null, python_requires: null },
    ],
  ])('summarizes %s', (_case, manifest, expected) => {
    expect(summaryOf(manifest)).toEqual(expected);
  });
});
