import { describe, expect, it } from 'vitest';
import { holdsVersion } from './holds-version.js';

describe('holdsVersion', () => {
  it.each([
    '/opt/R/4.4.1/lib/R/library/base/DESCRIPTION',
    '/opt/R/4.4.1/lib64/R/library/base/DESCRIPTION',
    '/usr/lib/R/library/base/DESCRIPTION',
    'opt/local/R/3.6.3/lib/R/library/base/DESCRIPTION',
    './usr/lib64/R/library/base/DESCRIPTION',
    '/opt/python/3.12.4/include/python3.12/patchlevel.h',
    '/usr/include/python2.7/patchlevel.h',
    '/opt/python/3.7.9/include/python3.7m/patchlevel.h',
    '/usr/local/include/python3.13t/patchlevel.h',
    '/opt/quarto/1.4.557/share/version',
    '/opt/quarto/share/version',
    '/usr/lib/rstudio-server/bin/quarto/share/version',
    '/usr/local/quarto-1.5.57/share/version',
    '/usr/local/share/version',
  ])('keeps %s', (path) => {
    expect(holdsVersion(path)).toBe(true);
  });

  it.each([
    '/opt/R/4.4.1/lib/R/library/stats/DESCRIPTION',
    '/usr/local/lib/R/site-library/base64enc/DESCRIPTION',
    '/opt/R/4.4.1/bin/R',
    '/opt/python/3.12.4/include/python3.12/Python.h',
    '/usr/include/patchlevel.h',
    '/usr/include/tcl8.6/patchlevel.h',
    '/opt/app/share/version',
    '/usr/share/doc/version',
  ])('skips %s', (path) => {
    expect(holdsVersion(path)).toBe(false);
  });
});
