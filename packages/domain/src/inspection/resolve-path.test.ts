import { describe, expect, it } from 'vitest';
import { anImageTree, executable, symlink } from '../testing/image-trees.js';
import { MAX_SYMLINKS, canonicalPath, isDirectory, isExecutableFile } from './resolve-path.js';

const tree = anImageTree({
  '/usr/bin/python3.11': executable,
  '/usr/bin/python3': symlink('python3.11'),
  '/usr/bin/python': symlink('/usr/bin/python3'),
  '/usr/local/bin/py': symlink('../../bin/python'),
  '/bin': symlink('usr/bin'),
  '/opt/R/current': symlink('/opt/R/4.4.1'),
  '/opt/R/4.4.1/bin/R': executable,
  '/opt/R/latest': symlink('./current/'),
  '/loop/a': symlink('b'),
  '/loop/b': symlink('a'),
  '/loop/self': symlink('self/x'),
  '/dangling': symlink('/nowhere'),
  '/empty-target': symlink(''),
});

describe('canonicalPath', () => {
  it.each([
    ['a plain path', '/usr/bin/python3.11', '/usr/bin/python3.11'],
    ['a relative link', '/usr/bin/python3', '/usr/bin/python3.11'],
    ['an absolute link to a link (a chain)', '/usr/bin/python', '/usr/bin/python3.11'],
    ['a relative target climbing with ..', '/usr/local/bin/py', '/usr/bin/python3.11'],
    ['a link in an intermediate folder', '/bin/python3', '/usr/bin/python3.11'],
    ['a linked home folder', '/opt/R/current/bin/R', '/opt/R/4.4.1/bin/R'],
    ['a link to a link of a folder, with . and a trailing slash', '/opt/R/latest/bin/R', '/opt/R/4.4.1/bin/R'],
    ['.. after a linked folder (physical, as readlink -f)', '/bin/../bin/python3.11', '/usr/bin/python3.11'],
    ['.. above the root', '/../../usr/bin/python3.11', '/usr/bin/python3.11'],
    ['the root', '/', '/'],
  ])('resolves %s', (_label, path, canonical) => {
    expect(canonicalPath(tree, path)).toBe(canonical);
  });

  it.each([
    ['a missing entry', '/usr/bin/python9'],
    ['a dangling link', '/dangling'],
    ['a link with an empty target', '/empty-target'],
    ['two links pointing at each other', '/loop/a'],
    ['a link through itself', '/loop/self'],
    ['a file used as a folder', '/usr/bin/python3.11/bin'],
    ['.. after a file', '/usr/bin/python3.11/..'],
  ])('gives up on %s', (_label, path) => {
    expect(canonicalPath(tree, path)).toBeNull();
  });

  it(`follows a chain of ${MAX_SYMLINKS} links but not one more`, () => {
    const chain = (length: number) =>
      anImageTree({
        '/target': executable,
        ...Object.fromEntries(Array.from({ length }, (_, i) => [`/link${i}`, symlink(i === length - 1 ? '/target' : `/link${i + 1}`)])),
      });
    expect(canonicalPath(chain(MAX_SYMLINKS), '/link0')).toBe('/target');
    expect(canonicalPath(chain(MAX_SYMLINKS + 1), '/link0')).toBeNull();
  });

  it('tells folders from executable files through links', () => {
    expect(isDirectory(tree, '/bin')).toBe(true);
    expect(isDirectory(tree, '/bin/python3')).toBe(false);
    expect(isExecutableFile(tree, '/bin/python3')).toBe(true);
    expect(isExecutableFile(tree, '/opt/R/current/bin')).toBe(false);
  });
});
