import * as z from 'zod/mini';
import { compareVersions, parseVersion } from '../versions/version.js';
import type { ImageConfigFacts, ImageTree } from './image-tree.js';
import {
  basename,
  canonicalPath,
  dirname,
  globChildren,
  isDirectory,
  isExecutableFile,
  joinPath,
  resolvedEntry,
} from './resolve-path.js';

/** The languages the inspection scripts look for, in the order their output lists them. */
export const INSPECTED_LANGUAGES = ['python', 'quarto', 'r'] as const;
export type InspectedLanguage = (typeof INSPECTED_LANGUAGES)[number];

/** Where a version was taken from when no file in the image names it. */
export const FOLDER_NAME_SOURCE = 'folder name';

export const FoundInstallationSchema = z.object({
  /** Canonical path of the executable (links resolved), exactly as `examine-image.sh` prints it. */
  path: z.string(),
  /** Null when neither a version file nor the folder's name gives one. */
  version: z.nullable(z.string()),
  /** The file the version was read from, `folder name` when only the installation's folder name gave it, null without a version. */
  version_source: z.nullable(z.string()),
  /** The home it was found in (`/opt/python`), or `PATH`. */
  found_in: z.string(),
  /** Other paths in the image that lead to the same executable: the one probed, and links beside it (`bin/python3`). */
  aliases: z.array(z.string()),
});
export type FoundInstallation = z.infer<typeof FoundInstallationSchema>;

export const FoundInstallationsSchema = z.object({
  python: z.array(FoundInstallationSchema),
  quarto: z.array(FoundInstallationSchema),
  r: z.array(FoundInstallationSchema),
});
export type FoundInstallations = z.infer<typeof FoundInstallationsSchema>;

export interface DetectOptions {
  /** False for `--no-path-lookups`: never look on `PATH`, even for a language with no installation in its homes. */
  readonly pathLookups: boolean;
}

/** The `PATH` Docker and containerd give a container whose image sets none. */
export const DEFAULT_CONTAINER_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

interface LanguageRules {
  /** Well-known folders holding one installation per sub-folder. */
  readonly homes: readonly string[];
  /** The executable inside an installation. */
  readonly executable: string;
  /** Quarto: a home with its own `bin/` is itself the installation. */
  readonly homeWithBinIsInstallation: boolean;
  /** Names looked up on `PATH` when the homes hold none, in the scripts' order. */
  readonly pathNames: readonly string[];
  /** Files that may name the version of the installation whose canonical executable is given, best first. */
  readonly versionFiles: (tree: ImageTree, executable: string) => readonly string[];
  /** The version a version file's content names, or null when it is malformed. */
  readonly readVersion: (content: string) => string | null;
}

/** `/opt/R/4.4.1/bin/R` → `/opt/R/4.4.1`. */
const prefixOf = (executable: string): string => dirname(dirname(executable));

const RULES: Record<InspectedLanguage, LanguageRules> = {
  r: {
    homes: ['/opt/R', '/opt/local/R'],
    executable: 'bin/R',
    homeWithBinIsInstallation: false,
    pathNames: ['R'],
    versionFiles: (_tree, executable) => {
      const prefix = prefixOf(executable);
      return [
        joinPath(prefix, 'lib/R/library/base/DESCRIPTION'),
        joinPath(prefix, 'lib64/R/library/base/DESCRIPTION'),
        // The executable inside R_HOME itself (`/usr/lib/R/bin/R`).
        joinPath(prefix, 'library/base/DESCRIPTION'),
      ];
    },
    readVersion: (content) => checkedVersion(/^Version:[ \t]*(\S+)[ \t]*$/m.exec(content)?.[1]),
  },
  python: {
    homes: ['/opt/python', '/opt/local/python'],
    executable: 'bin/python',
    homeWithBinIsInstallation: false,
    pathNames: ['python', 'python2', 'python3'],
    versionFiles: pythonHeaders,
    readVersion: (content) =>
      checkedVersion(/^[ \t]*#[ \t]*define[ \t]+PY_VERSION[ \t]+"([^"\n]*)"/m.exec(content)?.[1]?.replace(/\+$/, '')),
  },
  quarto: {
    homes: ['/opt/quarto', '/opt/local/quarto'],
    executable: 'bin/quarto',
    homeWithBinIsInstallation: true,
    pathNames: ['quarto'],
    versionFiles: (_tree, executable) => [joinPath(prefixOf(executable), 'share/version')],
    readVersion: (content) => checkedVersion(content.split('\n', 1)[0]),
  },
};

function checkedVersion(text: string | undefined): string | null {
  const version = text?.trim();
  return version && version.length <= 64 && parseVersion(version) !== null ? version : null;
}

/**
 * `PREFIX/include/python3.12/patchlevel.h` for `PREFIX/bin/python3.12` (also `python3.7m`,
 * `python2.7`); an executable named without its minor version (`python`, `python3`) uses the one
 * `include/python*` folder of its major version, and none when there are several to choose from.
 */
function pythonHeaders(tree: ImageTree, executable: string): string[] {
  const include = joinPath(prefixOf(executable), 'include');
  const name = basename(executable);
  const versioned = /^python(\d+)\.\d+/.exec(name);
  if (versioned) {
    const bare = versioned[0];
    return [...new Set([name, bare, `${bare}m`])].map((folder) => joinPath(include, folder, 'patchlevel.h'));
  }
  const major = /^python(\d*)/.exec(name)?.[1] ?? '';
  const folders = globChildren(tree, include).filter((folder) => new RegExp(`^python${major || '\\d'}\\d*\\.\\d+[a-z]*$`).test(folder));
  return folders.length === 1 ? [joinPath(include, folders[0] as string, 'patchlevel.h')] : [];
}

/** The version a folder's name gives: `4.4.1`, `R-4.4.1`, `quarto-1.4.557`, `cpython-3.12.4-linux-x86_64-gnu`. */
function versionInName(name: string): string | null {
  const whole = checkedVersion(name.replace(/^v(?=\d)/, ''));
  if (whole !== null) return whole;
  const embedded = /(?:^|[-_])v?(\d+(?:\.\d+){1,3})(?=$|[-_+])/.exec(name)?.[1];
  return checkedVersion(embedded);
}

function versionOf(
  tree: ImageTree,
  rules: LanguageRules,
  executable: string,
  folders: readonly string[],
): Pick<FoundInstallation, 'version' | 'version_source'> {
  for (const candidate of rules.versionFiles(tree, executable)) {
    const found = resolvedEntry(tree, candidate);
    if (found?.entry.kind !== 'file' || found.entry.content === undefined) continue;
    const version = rules.readVersion(found.entry.content);
    if (version !== null) return { version, version_source: found.path };
  }
  for (const folder of folders) {
    const version = versionInName(basename(folder));
    if (version !== null) return { version, version_source: FOLDER_NAME_SOURCE };
  }
  return { version: null, version_source: null };
}

/** Other names in the executable's folder (and the probed path's) that are links to the same file. */
function aliasesOf(tree: ImageTree, canonical: string, probed: string): string[] {
  const aliases = new Set<string>();
  if (probed !== canonical) aliases.add(probed);
  for (const folder of new Set([dirname(canonical), dirname(probed)])) {
    for (const name of tree.children(folder)) {
      const sibling = joinPath(folder, name);
      if (sibling !== canonical && tree.entry(sibling)?.kind === 'symlink' && canonicalPath(tree, sibling) === canonical) {
        aliases.add(sibling);
      }
    }
  }
  return [...aliases].sort();
}

/** `which NAME` with the image's `PATH`: the first executable file named so in its folders. */
function which(tree: ImageTree, searchPath: string, name: string): string | null {
  for (const folder of searchPath.split(':')) {
    // An empty entry means the working folder, which an image has no fixed idea of.
    if (!folder.startsWith('/')) continue;
    const candidate = joinPath(folder.replace(/\/+$/, '') || '/', name);
    if (isExecutableFile(tree, candidate)) return candidate;
  }
  return null;
}

function detectLanguage(
  tree: ImageTree,
  config: ImageConfigFacts,
  options: DetectOptions,
  rules: LanguageRules,
): FoundInstallation[] {
  const found = new Map<string, FoundInstallation>();
  const record = (probed: string, foundIn: string, folders: readonly string[]): void => {
    const canonical = canonicalPath(tree, probed);
    if (canonical === null) return;
    const aliases = aliasesOf(tree, canonical, probed);
    const earlier = found.get(canonical);
    if (earlier) {
      // Two homes (or PATH names) reaching the same executable: reported once, as the scripts' `uniq` does.
      found.set(canonical, { ...earlier, aliases: [...new Set([...earlier.aliases, ...aliases])].sort() });
      return;
    }
    found.set(canonical, {
      path: canonical,
      ...versionOf(tree, rules, canonical, [prefixOf(canonical), ...folders]),
      found_in: foundIn,
      aliases,
    });
  };
  const probeInstallation = (installation: string, home: string): void => {
    const executable = joinPath(installation, rules.executable);
    if (isExecutableFile(tree, executable)) record(executable, home, [installation]);
  };

  for (const home of rules.homes) {
    if (!isDirectory(tree, home)) continue;
    if (rules.homeWithBinIsInstallation && isDirectory(tree, joinPath(home, 'bin'))) {
      probeInstallation(home, home);
    } else {
      for (const name of globChildren(tree, home)) probeInstallation(joinPath(home, name), home);
    }
  }

  if (found.size === 0 && options.pathLookups) {
    const searchPath = config.path ?? DEFAULT_CONTAINER_PATH;
    for (const name of rules.pathNames) {
      const executable = which(tree, searchPath, name);
      if (executable !== null) record(executable, 'PATH', []);
    }
  }
  return [...found.values()].sort(byVersionThenPath);
}

function byVersionThenPath(a: FoundInstallation, b: FoundInstallation): number {
  const [left, right] = [a.version === null ? null : parseVersion(a.version), b.version === null ? null : parseVersion(b.version)];
  if (left && right) {
    const order = compareVersions(left, right);
    if (order !== 0) return order;
  } else if (left || right) {
    return left ? -1 : 1;
  }
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/**
 * The R, Python and Quarto installations in an image, by the rules of `examine-image.sh` in
 * rstudio/rstudio-docker-products: each sub-folder of the language's homes with its executable
 * (`bin/R`, `bin/python`, `bin/quarto`; a Quarto home with its own `bin/` is itself the
 * installation); only for a language with none there, `R`, `python`, `python2`, `python3`,
 * `quarto` looked up on the image's `PATH` (unless `pathLookups` is false). Paths are canonical and
 * each appears once. Versions come from files in the image (R's `base/DESCRIPTION`, Python's
 * `patchlevel.h`, Quarto's `share/version`), else from the installation's folder name. Listed
 * oldest version first, as the scripts' sorted output.
 */
export function detectInstallations(tree: ImageTree, config: ImageConfigFacts, options: DetectOptions): FoundInstallations {
  return {
    python: detectLanguage(tree, config, options, RULES.python),
    quarto: detectLanguage(tree, config, options, RULES.quarto),
    r: detectLanguage(tree, config, options, RULES.r),
  };
}
