import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toYaml } from '../sync/environments-file-reader.js';

/** A temporary folder for declarative files, removed by `cleanup`. */
export function tempFolder() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'envdesk-files-'));
  return {
    dir,
    path: (name: string) => path.join(dir, name),
    /** Writes YAML (or raw text) atomically, as an editor or Helm would. */
    write(name: string, content: unknown) {
      const target = path.join(dir, name);
      const text = typeof content === 'string' ? content : toYaml(content);
      writeFileSync(`${target}.tmp`, text);
      renameSync(`${target}.tmp`, target);
      return target;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * The layout kubelet gives a ConfigMap volume: `file -> ..data/file`, `..data -> ..<version>`,
 * updated by writing a new version folder and renaming a new `..data` link over the old one.
 */
export function configMapVolume(root: string, fileName: string) {
  let version = 0;
  const publish = (text: string) => {
    version += 1;
    const folder = `..2026_11_23_${version}`;
    mkdirSync(path.join(root, folder), { recursive: true });
    writeFileSync(path.join(root, folder, fileName), text);
    symlinkSync(folder, path.join(root, '..data_tmp'));
    renameSync(path.join(root, '..data_tmp'), path.join(root, '..data'));
  };
  return {
    file: path.join(root, fileName),
    publish(content: unknown) {
      const first = version === 0;
      publish(typeof content === 'string' ? content : toYaml(content));
      if (first) symlinkSync(path.join('..data', fileName), path.join(root, fileName));
    },
  };
}

/**
 * The "billion laughs" YAML bomb, as one entry of the environments file: ten lists of ten aliases
 * of the one before, under 700 bytes, expanding to 10^10 strings.
 */
export function billionLaughs(): string {
  const levels = ['    l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let level = 1; level < 10; level++) levels.push(`    l${level}: &l${level} [${Array.from({ length: 10 }, () => `*l${level - 1}`).join(', ')}]`);
  return `executionEnvironments:\n  - name: ghcr.io/my-org/laughs:1\n${levels.join('\n')}\n`;
}
