import { describe, expect, it } from 'vitest';
import { anImageTree, directory, executable, file, symlink } from '../testing/image-trees.js';
import { FOLDER_NAME_SOURCE, type FoundInstallations, detectInstallations } from './detect-installations.js';
import type { ImageTreeEntry } from './image-tree.js';

type Entries = Record<string, ImageTreeEntry>;

function detect(entries: Entries, options: { path?: string | null; pathLookups?: boolean } = {}): FoundInstallations {
  return detectInstallations(anImageTree(entries), { path: options.path === undefined ? '/usr/local/bin:/usr/bin:/bin' : options.path }, {
    pathLookups: options.pathLookups ?? true,
  });
}

/** What the scripts print: `language:version:path` (plus where the version came from). */
const lines = (found: FoundInstallations): string[] =>
  (['python', 'quarto', 'r'] as const).flatMap((language) =>
    found[language].map((installation) => `${language}:${installation.version}:${installation.path} (${installation.version_source})`),
  );

const description = (version: string) => file(`Package: base\nVersion: ${version}\nPriority: base\nTitle: The R Base Package\n`);
const patchlevel = (version: string) => file(`/* Python version identification scheme. */\n#define PY_MAJOR_VERSION 3\n#define PY_VERSION      "${version}"\n`);

const rIn = (prefix: string, version: string): Entries => ({
  [`${prefix}/bin/R`]: executable,
  [`${prefix}/lib/R/library/base/DESCRIPTION`]: description(version),
});
const pythonIn = (prefix: string, version: string): Entries => {
  const minor = version.split('.').slice(0, 2).join('.');
  return {
    [`${prefix}/bin/python${minor}`]: executable,
    [`${prefix}/bin/python3`]: symlink(`python${minor}`),
    [`${prefix}/bin/python`]: symlink(`python${minor}`),
    [`${prefix}/include/python${minor}/patchlevel.h`]: patchlevel(version),
  };
};
const quartoIn = (prefix: string, version: string): Entries => ({
  [`${prefix}/bin/quarto`]: executable,
  [`${prefix}/share/version`]: file(`${version}\n`),
});

describe('detectInstallations: the homes', () => {
  it('finds R in each sub-folder of /opt/R and /opt/local/R, its version from base/DESCRIPTION (lib or lib64)', () => {
    const found = detect({
      ...rIn('/opt/R/4.4.1', '4.4.1'),
      '/opt/local/R/3.6.3/bin/R': executable,
      '/opt/local/R/3.6.3/lib64/R/library/base/DESCRIPTION': description('3.6.3'),
    });
    expect(lines(found)).toEqual([
      'r:3.6.3:/opt/local/R/3.6.3/bin/R (/opt/local/R/3.6.3/lib64/R/library/base/DESCRIPTION)',
      'r:4.4.1:/opt/R/4.4.1/bin/R (/opt/R/4.4.1/lib/R/library/base/DESCRIPTION)',
    ]);
    expect(found.r[1]?.found_in).toBe('/opt/R');
  });

  it('finds Python in /opt/python and /opt/local/python, printing the canonical interpreter bin/python leads to', () => {
    const found = detect({ ...pythonIn('/opt/python/3.12.4', '3.12.4+'), ...pythonIn('/opt/local/python/3.9.19', '3.9.19') });
    expect(lines(found)).toEqual([
      'python:3.9.19:/opt/local/python/3.9.19/bin/python3.9 (/opt/local/python/3.9.19/include/python3.9/patchlevel.h)',
      'python:3.12.4:/opt/python/3.12.4/bin/python3.12 (/opt/python/3.12.4/include/python3.12/patchlevel.h)',
    ]);
    expect(found.python[1]?.aliases).toEqual(['/opt/python/3.12.4/bin/python', '/opt/python/3.12.4/bin/python3']);
  });

  it('finds each Quarto in the sub-folders of /opt/quarto and /opt/local/quarto when the home has no bin/', () => {
    const found = detect({ ...quartoIn('/opt/quarto/1.4.557', '1.4.557'), ...quartoIn('/opt/local/quarto/1.5.57', '1.5.57') });
    expect(lines(found)).toEqual([
      'quarto:1.4.557:/opt/quarto/1.4.557/bin/quarto (/opt/quarto/1.4.557/share/version)',
      'quarto:1.5.57:/opt/local/quarto/1.5.57/bin/quarto (/opt/local/quarto/1.5.57/share/version)',
    ]);
  });

  it('takes a Quarto home with its own bin/ as the one installation, ignoring its sub-folders', () => {
    const found = detect({ ...quartoIn('/opt/quarto', '1.6.39'), ...quartoIn('/opt/quarto/1.4.557', '1.4.557') });
    expect(lines(found)).toEqual(['quarto:1.6.39:/opt/quarto/bin/quarto (/opt/quarto/share/version)']);
  });

  it('passes over sub-folders without the executable, with a non-executable one, or hidden', () => {
    const found = detect({
      '/opt/R/4.4.1/lib/R/library/base/DESCRIPTION': description('4.4.1'),
      '/opt/R/4.3.0/bin/R': file(),
      '/opt/R/.4.2.0/bin/R': executable,
      '/opt/R/README': file(),
      '/opt/python/3.12.4/bin/python3': executable,
      '/opt/quarto/1.4.557/bin': directory,
    }, { pathLookups: false });
    expect(found).toEqual({ python: [], quarto: [], r: [] });
  });

  it('passes over an installation whose executable is a dangling link', () => {
    expect(detect({ '/opt/R/4.4.1/bin/R': symlink('../lib/R/bin/R') }).r).toEqual([]);
  });
});

describe('detectInstallations: links and duplicates', () => {
  it('resolves a linked installation folder to its canonical path and reports it once', () => {
    const found = detect({ ...rIn('/opt/R/4.4.1', '4.4.1'), '/opt/R/4.4': symlink('4.4.1'), '/opt/R/current': symlink('/opt/R/4.4.1') });
    expect(lines(found)).toEqual(['r:4.4.1:/opt/R/4.4.1/bin/R (/opt/R/4.4.1/lib/R/library/base/DESCRIPTION)']);
    expect(found.r[0]?.aliases).toEqual(['/opt/R/4.4/bin/R', '/opt/R/current/bin/R']);
  });

  it('drops the duplicate when two homes resolve to the same place', () => {
    const found = detect({ ...pythonIn('/opt/python/3.11.9', '3.11.9'), '/opt/local/python': symlink('../python') });
    expect(lines(found)).toEqual(['python:3.11.9:/opt/python/3.11.9/bin/python3.11 (/opt/python/3.11.9/include/python3.11/patchlevel.h)']);
    expect(found.python[0]?.found_in).toBe('/opt/python');
  });

  it('follows a linked home, and a home reached through a linked /opt', () => {
    const found = detect({ ...rIn('/srv/R/4.3.2', '4.3.2'), '/opt': symlink('/srv') });
    expect(lines(found)).toEqual(['r:4.3.2:/srv/R/4.3.2/bin/R (/srv/R/4.3.2/lib/R/library/base/DESCRIPTION)']);
  });

  it('skips links that loop and still reports the rest', () => {
    const found = detect({
      ...rIn('/opt/R/4.4.1', '4.4.1'),
      '/opt/R/loop': symlink('loop2'),
      '/opt/R/loop2': symlink('loop'),
      '/opt/R/4.4.0/bin/R': symlink('R'),
      '/usr/bin/python3': symlink('/usr/bin/python3'),
    });
    expect(lines(found)).toEqual(['r:4.4.1:/opt/R/4.4.1/bin/R (/opt/R/4.4.1/lib/R/library/base/DESCRIPTION)']);
  });
});

describe('detectInstallations: PATH lookups', () => {
  const debianPython = {
    '/usr/bin/python3.11': executable,
    '/usr/bin/python3': symlink('python3.11'),
    '/usr/include/python3.11/patchlevel.h': patchlevel('3.11.2'),
  };

  it('looks a language up on PATH when its homes hold none, canonicalising what it finds', () => {
    const found = detect({ ...debianPython, '/bin': symlink('usr/bin') }, { path: '/bin:/usr/bin' });
    expect(lines(found)).toEqual(['python:3.11.2:/usr/bin/python3.11 (/usr/include/python3.11/patchlevel.h)']);
    expect(found.python[0]).toMatchObject({ found_in: 'PATH', aliases: ['/bin/python3', '/usr/bin/python3'] });
  });

  it('does not look on PATH for a language that has an installation in its homes, but does for the others', () => {
    const found = detect({
      ...debianPython,
      ...rIn('/opt/R/4.4.1', '4.4.1'),
      '/usr/bin/R': executable,
      '/usr/lib/R/library/base/DESCRIPTION': description('4.2.2'),
    });
    expect(lines(found)).toEqual([
      'python:3.11.2:/usr/bin/python3.11 (/usr/include/python3.11/patchlevel.h)',
      'r:4.4.1:/opt/R/4.4.1/bin/R (/opt/R/4.4.1/lib/R/library/base/DESCRIPTION)',
    ]);
  });

  it('does not look on PATH at all with --no-path-lookups', () => {
    expect(detect(debianPython, { pathLookups: false })).toEqual({ python: [], quarto: [], r: [] });
  });

  it('looks up python, python2 and python3, reporting each interpreter they reach once', () => {
    const found = detect({
      ...debianPython,
      '/usr/bin/python2.7': executable,
      '/usr/bin/python2': symlink('python2.7'),
      '/usr/bin/python': symlink('python2'),
      '/usr/include/python2.7/patchlevel.h': patchlevel('2.7.18'),
    });
    expect(lines(found)).toEqual([
      'python:2.7.18:/usr/bin/python2.7 (/usr/include/python2.7/patchlevel.h)',
      'python:3.11.2:/usr/bin/python3.11 (/usr/include/python3.11/patchlevel.h)',
    ]);
    expect(found.python[0]?.aliases).toEqual(['/usr/bin/python', '/usr/bin/python2']);
  });

  it('finds python2 on PATH when no python is there', () => {
    const found = detect({
      '/usr/bin/python2': symlink('python2.7'),
      '/usr/bin/python2.7': executable,
      '/usr/include/python2.7/patchlevel.h': patchlevel('2.7.18'),
    });
    expect(lines(found)).toEqual(['python:2.7.18:/usr/bin/python2.7 (/usr/include/python2.7/patchlevel.h)']);
  });

  it('searches the folders of the image config’s PATH, in order', () => {
    const entries = { ...pythonIn('/usr/local', '3.12.4'), '/venv/bin/python': executable };
    expect(lines(detect(entries, { path: '/usr/local/bin' }))).toEqual([
      'python:3.12.4:/usr/local/bin/python3.12 (/usr/local/include/python3.12/patchlevel.h)',
    ]);
    expect(detect(entries, { path: '/venv/bin:/usr/local/bin' }).python.map((found) => found.path)).toEqual([
      '/usr/local/bin/python3.12',
      '/venv/bin/python',
    ]);
    // Relative entries name the working folder, which an image does not fix.
    expect(detect(entries, { path: 'venv/bin::/nowhere' }).python).toEqual([]);
  });

  it('uses the PATH a container gets by default when the image config sets none', () => {
    expect(detect({ '/usr/local/sbin/quarto': executable }, { path: null }).quarto.map((found) => found.path)).toEqual(['/usr/local/sbin/quarto']);
    expect(detect({ '/usr/local/sbin/quarto': executable }, { path: '/usr/bin' }).quarto).toEqual([]);
  });

  it('reads R on PATH from its R home (/usr/lib/R, /usr/lib64/R, or the home its bin/R sits in)', () => {
    expect(lines(detect({ '/usr/bin/R': executable, '/usr/lib/R/library/base/DESCRIPTION': description('4.2.2') }))).toEqual([
      'r:4.2.2:/usr/bin/R (/usr/lib/R/library/base/DESCRIPTION)',
    ]);
    expect(lines(detect({ '/usr/bin/R': executable, '/usr/lib64/R/library/base/DESCRIPTION': description('4.3.3') }))).toEqual([
      'r:4.3.3:/usr/bin/R (/usr/lib64/R/library/base/DESCRIPTION)',
    ]);
    expect(lines(detect({ '/usr/local/bin/R': symlink('/usr/lib/R/bin/R'), '/usr/lib/R/bin/R': executable, '/usr/lib/R/library/base/DESCRIPTION': description('4.1.2') }))).toEqual([
      'r:4.1.2:/usr/lib/R/bin/R (/usr/lib/R/library/base/DESCRIPTION)',
    ]);
  });

  it('reads Quarto on PATH from the share/version of the installation its link reaches', () => {
    const found = detect({
      '/usr/local/bin/quarto': symlink('/usr/lib/rstudio-server/bin/quarto/bin/quarto'),
      ...quartoIn('/usr/lib/rstudio-server/bin/quarto', '1.4.549'),
    });
    expect(lines(found)).toEqual(['quarto:1.4.549:/usr/lib/rstudio-server/bin/quarto/bin/quarto (/usr/lib/rstudio-server/bin/quarto/share/version)']);
  });
});

describe('detectInstallations: versions', () => {
  it('reads the pythonX.Ym headers of Python 3.7 and older, whichever name the interpreter has', () => {
    const headers = { '/opt/python/3.7.9/include/python3.7m/patchlevel.h': patchlevel('3.7.9') };
    const plain = detect({
      '/opt/python/3.7.9/bin/python': symlink('python3.7'),
      '/opt/python/3.7.9/bin/python3.7': executable,
      ...headers,
    });
    expect(lines(plain)).toEqual(['python:3.7.9:/opt/python/3.7.9/bin/python3.7 (/opt/python/3.7.9/include/python3.7m/patchlevel.h)']);
    const named = detect({
      '/opt/python/3.6.15/bin/python': symlink('python3.6m'),
      '/opt/python/3.6.15/bin/python3.6m': executable,
      '/opt/python/3.6.15/include/python3.6m/patchlevel.h': patchlevel('3.6.15'),
    });
    expect(lines(named)).toEqual(['python:3.6.15:/opt/python/3.6.15/bin/python3.6m (/opt/python/3.6.15/include/python3.6m/patchlevel.h)']);
  });

  it('reads an interpreter named without its minor version from the one include/pythonX.Y beside it, never guessing between several', () => {
    const one = { '/opt/python/py3/bin/python': executable, '/opt/python/py3/include/python3.10/patchlevel.h': patchlevel('3.10.14') };
    expect(lines(detect(one))).toEqual(['python:3.10.14:/opt/python/py3/bin/python (/opt/python/py3/include/python3.10/patchlevel.h)']);
    const two = { ...one, '/opt/python/py3/include/python3.11/patchlevel.h': patchlevel('3.11.9') };
    expect(lines(detect(two))).toEqual(['python:null:/opt/python/py3/bin/python (null)']);
  });

  it.each([
    ['no version file', {}],
    ['a DESCRIPTION without Version:', { '/opt/R/4.3.2/lib/R/library/base/DESCRIPTION': file('Package: base\n') }],
    ['a DESCRIPTION with a Version: that is not one', { '/opt/R/4.3.2/lib/R/library/base/DESCRIPTION': file('Version: banana split\n') }],
    ['a DESCRIPTION the reader did not keep', { '/opt/R/4.3.2/lib/R/library/base/DESCRIPTION': file() }],
    ['a DESCRIPTION that is a folder', { '/opt/R/4.3.2/lib/R/library/base/DESCRIPTION': directory }],
  ])('falls back to the folder name, saying so, for R with %s', (_label, entries: Entries) => {
    expect(lines(detect({ '/opt/R/4.3.2/bin/R': executable, ...entries }))).toEqual([`r:4.3.2:/opt/R/4.3.2/bin/R (${FOLDER_NAME_SOURCE})`]);
  });

  it.each([
    ['a patchlevel.h without PY_VERSION', file('#define PY_MAJOR_VERSION 3\n')],
    ['a patchlevel.h with an empty PY_VERSION', file('#define PY_VERSION ""\n')],
  ])('falls back to the folder name for Python with %s', (_label, header) => {
    const found = detect({
      '/opt/python/3.8.20/bin/python': symlink('python3.8'),
      '/opt/python/3.8.20/bin/python3.8': executable,
      '/opt/python/3.8.20/include/python3.8/patchlevel.h': header,
    });
    expect(lines(found)).toEqual([`python:3.8.20:/opt/python/3.8.20/bin/python3.8 (${FOLDER_NAME_SOURCE})`]);
  });

  it('falls back to the folder name for Quarto with a malformed share/version', () => {
    const found = detect({
      '/opt/quarto/quarto-1.3.450/bin/quarto': executable,
      '/opt/quarto/quarto-1.3.450/share/version': file('<html>not found</html>\n'),
    });
    expect(lines(found)).toEqual([`quarto:1.3.450:/opt/quarto/quarto-1.3.450/bin/quarto (${FOLDER_NAME_SOURCE})`]);
  });

  it('prefers the canonical folder’s name to the linked one, and reads names like cpython-3.12.4-linux-x86_64-gnu', () => {
    const found = detect({
      '/opt/python/3.12': symlink('cpython-3.12.4-linux-x86_64-gnu'),
      '/opt/python/cpython-3.12.4-linux-x86_64-gnu/bin/python': executable,
    });
    expect(lines(found)).toEqual([`python:3.12.4:/opt/python/cpython-3.12.4-linux-x86_64-gnu/bin/python (${FOLDER_NAME_SOURCE})`]);
    expect(lines(detect({ '/opt/R/4.4': symlink('/srv/r-build'), '/srv/r-build/bin/R': executable }))).toEqual([`r:4.4:/srv/r-build/bin/R (${FOLDER_NAME_SOURCE})`]);
  });

  it('reports an installation with no version anywhere with version null, listed after the versioned ones', () => {
    const found = detect({ '/opt/R/devel/bin/R': executable, ...rIn('/opt/R/4.4.1', '4.4.1') });
    expect(lines(found)).toEqual(['r:4.4.1:/opt/R/4.4.1/bin/R (/opt/R/4.4.1/lib/R/library/base/DESCRIPTION)', 'r:null:/opt/R/devel/bin/R (null)']);
  });

  it('lists installations oldest version first, comparing numbers (3.9 before 3.10)', () => {
    const found = detect({
      ...pythonIn('/opt/python/3.10.14', '3.10.14'),
      ...pythonIn('/opt/python/3.9.19', '3.9.19'),
      ...pythonIn('/opt/python/3.13.0rc1', '3.13.0rc1'),
      ...pythonIn('/opt/python/3.13.0', '3.13.0'),
    });
    expect(found.python.map((installation) => installation.version)).toEqual(['3.9.19', '3.10.14', '3.13.0rc1', '3.13.0']);
  });
});
