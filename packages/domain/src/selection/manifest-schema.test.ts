import { describe, expect, it } from 'vitest';
import { err } from '../errors.js';
import { ManifestSchema, parseManifest } from './manifest-schema.js';

/** rsconnect-python's `tests/testdata/pyshiny_with_manifest/manifest.json`, with an environment section added. */
const pyshinyManifest = {
  version: 1,
  locale: 'en_US.UTF-8',
  metadata: { appmode: 'python-shiny', entrypoint: 'app5' },
  python: {
    version: '3.8.12',
    package_manager: { name: 'pip', version: '23.0.1', package_file: 'requirements.txt' },
  },
  files: {
    'requirements.txt': { checksum: 'c82f1a9894e5510b2f0c16fa63aaa004' },
    'README.md': { checksum: '7d083dbcdd4731d91bcb470e746b3a38' },
    'app5.py': { checksum: 'f7e4b3b7ff0ada525ec388d037ff6c6a' },
    'data.csv': { checksum: 'aabd9d1210246c69403532a6a9d24286' },
  },
  environment: {
    python: { requires: '>=3.8' },
    image: 'rstudio/connect:bionic',
    environment_management: { python: false, r: false },
  },
};

describe('ManifestSchema', () => {
  it('reads a manifest written by rsconnect-python', () => {
    const parsed = parseManifest(pyshinyManifest);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.python?.version).toBe('3.8.12');
    expect(parsed.value.environment).toMatchObject({
      image: 'rstudio/connect:bionic',
      python: { requires: '>=3.8' },
      environment_management: { python: false, r: false },
    });
  });

  it("reads the R client's shape: platform, r.requires with spaces, nulls for absent values", () => {
    const parsed = parseManifest({
      version: 1,
      locale: 'en_US',
      platform: '4.3.1',
      metadata: { appmode: 'api', primary_rmd: null, primary_html: null, content_category: null, has_parameters: false },
      environment: { r: { requires: '>=4.2.0, <5.0' } },
      packages: { plumber: { Source: 'CRAN', description: { Package: 'plumber', Version: '1.2.1' } } },
      users: null,
    });
    expect(parsed).toMatchObject({ ok: true, value: { platform: '4.3.1', environment: { r: { requires: '>=4.2.0, <5.0' } } } });
  });

  it('keeps keys it does not know (jupyter, node, users, allow_uv)', () => {
    const parsed = ManifestSchema.parse({
      metadata: { appmode: 'jupyter-static', entrypoint: 'dummy.ipynb' },
      jupyter: { hide_all_input: true },
      python: { version: '3.11.9', package_manager: { name: 'uv', allow_uv: true } },
      environment: { environment_management: { node: false } },
    });
    expect(parsed).toMatchObject({ jupyter: { hide_all_input: true }, python: { package_manager: { allow_uv: true } } });
  });

  it('reads an old static manifest with null packages and no languages', () => {
    const parsed = parseManifest({
      metadata: { appmode: 'static', primary_rmd: null, primary_html: 'index.html', content_category: null, has_parameters: false },
      packages: null,
      files: { 'index.html': { checksum: 'b7fffcb24c6883ea12b6e80c129daceb' } },
      users: null,
    });
    expect(parsed.ok).toBe(true);
  });

  it.each([
    [{ ...pyshinyManifest, python: { version: '3.x' } }, 'python.version: "3.x" is not a version'],
    [{ ...pyshinyManifest, platform: 'R 4.3' }, 'platform: "R 4.3" is not a version'],
    [{ ...pyshinyManifest, quarto: { version: 'latest', engines: ['markdown'] } }, 'quarto.version: "latest" is not a version'],
    [{ ...pyshinyManifest, environment: { python: { requires: '~=3' } } }, 'environment.python.requires: "~=3" is not a version constraint'],
    [{ ...pyshinyManifest, environment: { r: { requires: '4.2' } } }, 'environment.r.requires: "4.2" is not a version constraint: "4.2" has no operator'],
    [{ ...pyshinyManifest, environment: { image: '' } }, 'environment.image: must not be empty'],
    [{ ...pyshinyManifest, metadata: {} }, 'metadata.appmode: is required'],
    [{ ...pyshinyManifest, version: 'one' }, 'version:'],
  ])('names the wrong field (%#): %s', (input, message) => {
    const parsed = parseManifest(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(message);
  });

  it('names every wrong field in one message', () => {
    const parsed = parseManifest({ ...pyshinyManifest, platform: 'x', python: { version: 'y' } });
    expect(parsed).toEqual({
      ok: false,
      error:
        'manifest.json is not valid: platform: "x" is not a version (expected e.g. 4.3.1 or 3.11.9); python.version: "y" is not a version (expected e.g. 4.3.1 or 3.11.9).',
    });
  });
});

describe('a hostile manifest', () => {
  it('is refused as one problem when it is wrong in more ways than can be gathered', () => {
    const quarto = { version: '1.4.0', engines: Array.from({ length: 200_000 }, () => 7) };
    expect(parseManifest({ metadata: { appmode: 'quarto-static' }, quarto })).toEqual(err('manifest.json is not valid: holds too many wrong values to list.'));
  });
});
