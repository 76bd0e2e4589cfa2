import { describe, expect, it } from 'vitest';
import { parseManifest } from '../selection/manifest-schema.js';
import { buildTagOf, cachesOfBuild, packagesOfBuild, parseRequirements, renderTagOf } from './build-records.js';
import { DeleteRuntimeCacheInputSchema, PackagesQuerySchema } from './runtime-schemas.js';

const manifestOf = (fields: Record<string, unknown>) => {
  const parsed = parseManifest({ version: 1, metadata: { appmode: 'python-api' }, ...fields });
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
};

const built = { image_name: 'ghcr.io/org/runtime:1', r_version: '4.3.3', py_version: '3.11.3', r_environment_management: true, py_environment_management: true };

describe('cachesOfBuild', () => {
  it('uses one cache per language whose packages the build restores', () => {
    expect(cachesOfBuild(built)).toEqual([
      { language: 'R', version: '4.3.3', image_name: 'ghcr.io/org/runtime:1' },
      { language: 'Python', version: '3.11.3', image_name: 'ghcr.io/org/runtime:1' },
    ]);
    expect(cachesOfBuild({ ...built, r_environment_management: false, py_version: null })).toEqual([]);
    expect(cachesOfBuild({ ...built, image_name: null })).toEqual([]);
  });
});

describe('parseRequirements', () => {
  it('reads pinned and loose requirements under their normalized names, skipping what is no package', () => {
    const text = [
      '# the app',
      'Flask==3.0.3',
      'Flask_Login === 0.6.3  # pinned',
      'pandas>=2.0,<3',
      'requests[socks]==2.32.3 ; python_version >= "3.8"',
      '-r other.txt',
      '--index-url https://pypi.example.org/simple',
      'git+https://github.com/org/pkg.git',
      '',
      'numpy',
    ].join('\r\n');
    expect(parseRequirements(text)).toEqual([
      { name: 'flask', version: '3.0.3' },
      { name: 'flask-login', version: '0.6.3' },
      { name: 'pandas', version: '>=2.0,<3' },
      { name: 'requests', version: '2.32.3' },
      { name: 'numpy', version: '' },
    ]);
  });
});

describe('packagesOfBuild', () => {
  const manifest = manifestOf({
    platform: '4.3.3',
    python: { version: '3.11.3' },
    packages: { shiny: { Source: 'CRAN', description: { Package: 'shiny', Version: '1.8.0' } }, odd: 'not an object' },
  });

  it("lists R's manifest packages and Python's requirements with the versions built with", () => {
    const packages = packagesOfBuild(manifest, built, 'Flask==3.0.3\n');
    expect(packages).toEqual([
      { language: 'r', language_version: '4.3.3', name: 'shiny', version: '1.8.0', hash: expect.stringMatching(/^[0-9a-f]{16}$/) },
      { language: 'r', language_version: '4.3.3', name: 'odd', version: '', hash: null },
      { language: 'python', language_version: '3.11.3', name: 'flask', version: '3.0.3', hash: null },
    ]);
    // The same description hashes the same.
    expect(packagesOfBuild(manifest, built, null)[0]!.hash).toBe(packages[0]!.hash);
  });

  it('lists nothing for a language whose packages the build does not restore', () => {
    expect(packagesOfBuild(manifest, { ...built, r_environment_management: false, py_environment_management: false }, 'Flask==3.0.3\n')).toEqual([]);
  });
});

describe('job tags', () => {
  it.each([
    [{ python: { version: '3.11.3' } }, 'python_restore', 'build_report'],
    [{ platform: '4.3.3', metadata: { appmode: 'shiny' } }, 'packrat_restore', 'build_report'],
    [{ metadata: { appmode: 'quarto-static', content_category: 'site' } }, 'build_site', 'build_site'],
    [{ metadata: { appmode: 'quarto-static' } }, 'build_report', 'build_report'],
    [{ metadata: { appmode: 'jupyter-static' } }, 'build_jupyter', 'build_jupyter'],
    [{ metadata: { appmode: 'static' } }, 'unknown', 'build_report'],
  ])('%j builds as %s and renders as %s', (fields, build, render) => {
    expect(buildTagOf(manifestOf(fields))).toBe(build);
    expect(renderTagOf(manifestOf(fields))).toBe(render);
  });
});

describe('DeleteRuntimeCacheInputSchema', () => {
  it("takes the language in either case, writes it as Connect does, and dry_run defaults to false", () => {
    expect(DeleteRuntimeCacheInputSchema.parse({ language: ' python ', version: '3.11.3', image_name: 'Local' })).toEqual({
      language: 'Python',
      version: '3.11.3',
      image_name: 'Local',
      dry_run: false,
    });
  });

  it.each([
    [{ language: 'Julia', version: '1', image_name: 'Local' }, 'language'],
    [{ language: 'R', version: '4.3.3', image_name: 'Local', dry_run: 'true' }, 'dry_run'],
    [{ language: 'R', version: '', image_name: 'Local' }, 'version'],
    [{ language: 'R', version: '4.3.3' }, 'image_name'],
  ])('refuses %j at %s', (input, field) => {
    const parsed = DeleteRuntimeCacheInputSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual([field]);
  });
});

describe('PackagesQuerySchema', () => {
  it('cuts a page larger than the largest to it, as posit-sdk asks for a million', () => {
    expect(PackagesQuerySchema.parse({ page_size: '1000000' })).toMatchObject({ page_size: 1000, page_number: 1 });
    expect(PackagesQuerySchema.parse({ language: 'R' }).language).toBe('r');
  });
});
