import { describe, expect, it } from 'vitest';
import type { FoundInstallation, FoundInstallations } from './detect-installations.js';
import { diffInstallations } from './diff-installations.js';

const found = (path: string, version: string | null, aliases: string[] = []): FoundInstallation => ({
  path,
  version,
  version_source: version === null ? null : 'folder name',
  found_in: '/opt/python',
  aliases,
});
const none = { installations: [] };

describe('diffInstallations', () => {
  const image: FoundInstallations = {
    python: [
      found('/opt/python/3.11.9/bin/python3.11', '3.11.9', ['/opt/python/3.11.9/bin/python', '/opt/python/3.11.9/bin/python3']),
      found('/opt/python/3.12.4/bin/python3.12', '3.12.4'),
    ],
    quarto: [found('/opt/quarto/bin/quarto', '1.5.57')],
    r: [found('/opt/R/devel/bin/R', null)],
  };

  it('tells what the image holds that the environment lacks, and the reverse, per language', () => {
    const diff = diffInstallations(image, {
      python: { installations: [{ version: '3.10.14', path: '/opt/python/3.10.14/bin/python3' }] },
      quarto: none,
      r: { installations: [{ version: '4.5.0', path: '/opt/R/devel/bin/R' }] },
    });
    expect(diff.python.onlyInImage.map((installation) => installation.path)).toEqual([
      '/opt/python/3.11.9/bin/python3.11',
      '/opt/python/3.12.4/bin/python3.12',
    ]);
    expect(diff.python.onlyInEnvironment).toEqual([{ version: '3.10.14', path: '/opt/python/3.10.14/bin/python3' }]);
    expect(diff.quarto.onlyInImage.map((installation) => installation.path)).toEqual(['/opt/quarto/bin/quarto']);
    // An installation without a version matches by path and reports no change.
    expect(diff.r).toEqual({ onlyInImage: [], onlyInEnvironment: [], versionChanged: [] });
  });

  it('matches an environment path that is a link to the found interpreter (bin/python3), and reports a changed version', () => {
    const diff = diffInstallations(image, {
      python: {
        installations: [
          { version: '3.11.8', path: '/opt/python/3.11.9/bin/python3' },
          { version: '3.12.4', path: '/opt/python/3.12.4/bin/python3.12' },
        ],
      },
      quarto: { installations: [{ version: '1.5.57', path: '/opt/quarto/bin/quarto' }] },
      r: none,
    });
    expect(diff.python).toEqual({
      onlyInImage: [],
      onlyInEnvironment: [],
      versionChanged: [{ path: '/opt/python/3.11.9/bin/python3.11', environmentVersion: '3.11.8', imageVersion: '3.11.9' }],
    });
    expect(diff.quarto).toEqual({ onlyInImage: [], onlyInEnvironment: [], versionChanged: [] });
    expect(diff.r.onlyInImage.map((installation) => installation.path)).toEqual(['/opt/R/devel/bin/R']);
  });
});
