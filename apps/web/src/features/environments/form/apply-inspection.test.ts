import type { FoundInstallation, FoundInstallations } from '@envdesk/domain';
import { describe, expect, it } from 'vitest';
import { addFoundInstallations, foundEntries, rowsMatchingImage } from './apply-inspection';
import { type InstallationRow, emptyInstallation } from './environment-form-values';

const found = (path: string, version: string | null, aliases: string[] = []): FoundInstallation => ({
  path,
  version,
  version_source: version === null ? null : 'folder name',
  found_in: '/opt',
  aliases,
});
const image: FoundInstallations = {
  python: [found('/opt/python/3.12.4/bin/python3.12', '3.12.4', ['/opt/python/3.12.4/bin/python3'])],
  quarto: [],
  r: [found('/opt/R/4.4.1/bin/R', '4.4.1'), found('/opt/R/devel/bin/R', null)],
};
const row = (language: InstallationRow['language'], version: string, path: string): InstallationRow => ({ ...emptyInstallation(language), version, path });
const plain = (rows: readonly InstallationRow[]) => rows.map(({ language, version, path }) => ({ language, version, path }));

describe('adding ticked installations to the add form', () => {
  it('replaces the blank rows, and leaves a version the image does not name blank to be typed', () => {
    const { rows, applied } = addFoundInstallations([emptyInstallation('python'), emptyInstallation('r')], foundEntries(image));
    expect(applied).toBe(3);
    expect(plain(rows)).toEqual([
      { language: 'python', version: '3.12.4', path: '/opt/python/3.12.4/bin/python3.12' },
      { language: 'r', version: '4.4.1', path: '/opt/R/4.4.1/bin/R' },
      { language: 'r', version: '', path: '/opt/R/devel/bin/R' },
    ]);
  });

  it('does not duplicate a row naming the installation by an alias, but fills its blank version', () => {
    const typed = row('python', '', '/opt/python/3.12.4/bin/python3');
    const { rows, applied } = addFoundInstallations([typed], foundEntries(image).slice(0, 1));
    expect(applied).toBe(1);
    expect(plain(rows)).toEqual([{ language: 'python', version: '3.12.4', path: '/opt/python/3.12.4/bin/python3' }]);
    expect(rows[0]?.key).toBe(typed.key);
  });

  it('changes nothing, blank rows included, when everything ticked is listed already', () => {
    const before = [row('r', '4.4.1', '/opt/R/4.4.1/bin/R'), emptyInstallation('python')];
    const { rows, applied } = addFoundInstallations(before, foundEntries(image).filter((entry) => entry.installation.version === '4.4.1'));
    expect(applied).toBe(0);
    expect(rows).toEqual(before);
  });

  it('does not take an installation of another language for the same path', () => {
    const { rows } = addFoundInstallations([row('quarto', '1.0.0', '/opt/R/4.4.1/bin/R')], foundEntries(image).filter((entry) => entry.language === 'r'));
    expect(rows.filter((each) => each.path === '/opt/R/4.4.1/bin/R')).toHaveLength(2);
  });
});

describe("Re-inspect's use of the image's installations", () => {
  it('makes the inspected languages match the image, keeping aliases typed by hand and the other languages', () => {
    const rows = rowsMatchingImage(
      [
        row('python', '3.12.3', '/opt/python/3.12.4/bin/python3'),
        row('python', '3.10.4', '/opt/python/3.10.4/bin/python3'),
        row('nodejs', '20.11.1', '/usr/local/bin/node'),
        row('r', '4.5.0', '/opt/R/devel/bin/R'),
        emptyInstallation('quarto'),
      ],
      image,
    );
    expect(plain(rows)).toEqual([
      { language: 'python', version: '3.12.4', path: '/opt/python/3.12.4/bin/python3' },
      { language: 'r', version: '4.4.1', path: '/opt/R/4.4.1/bin/R' },
      // The image names no version for it: the one typed stays.
      { language: 'r', version: '4.5.0', path: '/opt/R/devel/bin/R' },
      { language: 'nodejs', version: '20.11.1', path: '/usr/local/bin/node' },
    ]);
  });
});
