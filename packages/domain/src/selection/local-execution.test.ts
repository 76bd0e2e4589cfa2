import { describe, expect, it } from 'vitest';
import { aManifest, anActor, anEnvironment } from '../testing/builders.js';
import { buildInstallationIndex } from './installation-index.js';
import { LOCAL_FALLBACK_LINE, type LocalInstallations, localExecution, parseLocalInstallations, selectWithLocalExecution } from './local-execution.js';
import type { SelectionInput } from './select-environment.js';
import { DEFAULT_VERSION_MATCHING } from './version-matching.js';

describe('parseLocalInstallations', () => {
  it('reads versions at their well-known homes, or at the path given', () => {
    expect(parseLocalInstallations('python', '3.12.4, 3.11.9=/usr/local/bin/python3.11')).toEqual({
      ok: true,
      value: [
        { version: '3.12.4', path: '/opt/python/3.12.4/bin/python' },
        { version: '3.11.9', path: '/usr/local/bin/python3.11' },
      ],
    });
    expect(parseLocalInstallations('r', '4.4.1')).toEqual({ ok: true, value: [{ version: '4.4.1', path: '/opt/R/4.4.1/bin/R' }] });
    expect(parseLocalInstallations('quarto', '1.5.57')).toEqual({ ok: true, value: [{ version: '1.5.57', path: '/opt/quarto/1.5.57/bin/quarto' }] });
    expect(parseLocalInstallations('python', '')).toEqual({ ok: true, value: [] });
  });

  it.each([
    ['3.12.4,,3.11.9', /entry 2 is empty/],
    ['latest', /"latest" is not a version \(expected e\.g\. 3\.12\.4\)/],
    ['3.12; rm -rf /', /is not a version/],
    ['3.12.4=python3', /path of Python 3\.12\.4 must be an absolute path/],
    ['3.12.4=/opt/../etc/passwd', /must not contain "\.\." segments/],
    ['3.12.4=/opt/py\nthon', /path of Python 3\.12\.4/],
    ['3.12.4,3.12.4=/usr/bin/python3', /3\.12\.4 is listed twice/],
    [Array.from({ length: 101 }, (_, i) => `3.${i}.0`).join(','), /more than 100/],
  ])('refuses %#: %j', (text, problem) => {
    const parsed = parseLocalInstallations('python', text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(problem);
  });
});

describe('selectWithLocalExecution', () => {
  const installations: LocalInstallations = { python: [{ version: '3.12.4', path: '/opt/python/3.12.4/bin/python' }], r: [], quarto: [] };
  const local = localExecution(installations);
  const input = (overrides: Partial<SelectionInput> = {}): SelectionInput => {
    const environments = overrides.environments ?? [];
    return {
      manifest: aManifest({ python: { version: '3.12.2' } }),
      content: { default_environment_guid: null, default_image_name: null, default_r_environment_management: null, default_py_environment_management: null },
      owner: anActor(),
      readBy: anActor(),
      matching: DEFAULT_VERSION_MATCHING,
      ...overrides,
      environments,
      index: buildInstallationIndex(environments),
    };
  };

  it('is off when the host declares no installation', () => {
    expect(localExecution({ python: [], r: [], quarto: [] })).toBeNull();
    const result = selectWithLocalExecution(input(), null);
    expect(result.selected).toBeNull();
    expect(result.failure).toMatch(/there are no environments/);
  });

  it('selects Local when no environment qualifies, saying so in the log', () => {
    const old = anEnvironment({ name: 'ghcr.io/org/py39:1', python: { installations: [{ version: '3.9.14', path: '/opt/python/bin/python' }] } });
    const result = selectWithLocalExecution(input({ environments: [{ environment: old, grants: [] }] }), local);
    expect(result.selected?.environment).toMatchObject({ cluster_name: 'Local', name: 'Local' });
    expect(result.selected?.installations).toEqual([{ language: 'python', version: '3.12.4', path: '/opt/python/3.12.4/bin/python' }]);
    expect(result.failure).toBeNull();
    expect(result.candidates.map((candidate) => [candidate.environment.name, candidate.accepted])).toEqual([
      ['Local', true],
      ['ghcr.io/org/py39:1', false],
    ]);
    expect(result.log).toContain(LOCAL_FALLBACK_LINE);
    expect(result.log[result.log.indexOf(LOCAL_FALLBACK_LINE) + 1]).toMatch(/^Bundle created with Python version 3\.12\.2 is compatible with environment Local with Python version 3\.12\.4/);
  });

  it('prefers an environment that qualifies', () => {
    const good = anEnvironment({ name: 'ghcr.io/org/py312:1', python: { installations: [{ version: '3.12.7', path: '/opt/python/bin/python' }] } });
    const result = selectWithLocalExecution(input({ environments: [{ environment: good, grants: [] }] }), local);
    expect(result.selected?.environment.name).toBe('ghcr.io/org/py312:1');
    expect(result.log).not.toContain(LOCAL_FALLBACK_LINE);
  });

  it('never falls back when the manifest or the content asks for an image', () => {
    const byManifest = selectWithLocalExecution(input({ manifest: aManifest({ python: { version: '3.12.2' }, environment: { image: 'ghcr.io/org/x:1' } }) }), local);
    expect(byManifest.selected).toBeNull();
    const byContent = selectWithLocalExecution(
      input({ content: { default_environment_guid: null, default_image_name: 'ghcr.io/org/x:1', default_r_environment_management: null, default_py_environment_management: null } }),
      local,
    );
    expect(byContent.selected).toBeNull();
    expect(byContent.candidates).toEqual([]);
  });

  it('fails, naming what Local lacks, when the local installations do not match either', () => {
    const result = selectWithLocalExecution(input({ manifest: aManifest({ platform: '4.4.1', python: null }) }), local);
    expect(result.selected).toBeNull();
    expect(result.failure).toMatch(/there are no environments/);
    expect(result.log.at(-1)).toMatch(/^The server's own installations \(local execution\) do not qualify either: .*R/);
  });
});
