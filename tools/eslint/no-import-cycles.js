import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Forbids import cycles, `import type` included. import-x/no-cycle skips type-only imports by
 * design, but a type-only cycle still ties two modules together (neither can move or be read
 * alone), so this rule builds the graph itself with the TypeScript compiler's own scanner and
 * resolver: every `import`, `import type`, `export … from` and `import()` of our own files.
 */

const compilerOptions = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowJs: true,
  // The workspaces' exports point this condition at their sources, so cross-package edges resolve to files we lint.
  customConditions: ['@envdesk/source'],
};
// Lives as long as the process: right for one `eslint` run; an editor's long-lived server may need a
// restart to see a newly created file that an earlier lookup missed.
const resolutionCache = ts.createModuleResolutionCache(process.cwd(), (name) => name, compilerOptions);

/** A file's own-code imports, remembered until the file changes (one lint run reads each file once). */
const importsByFile = new Map();

function resolveImport(specifier, fromFile) {
  const { resolvedModule } = ts.resolveModuleName(specifier, fromFile, compilerOptions, ts.sys, resolutionCache);
  if (!resolvedModule || resolvedModule.isExternalLibraryImport) return null;
  const file = path.resolve(resolvedModule.resolvedFileName);
  if (file.endsWith('.d.ts') || file.split(path.sep).includes('node_modules')) return null;
  return file;
}

function importsOf(file) {
  let modified;
  try {
    modified = statSync(file).mtimeMs;
  } catch {
    return [];
  }
  const known = importsByFile.get(file);
  if (known && known.modified === modified) return known.imports;
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const imports = [...new Set(importedFiles.map((each) => resolveImport(each.fileName, file)).filter((each) => each !== null))];
  importsByFile.set(file, { modified, imports });
  return imports;
}

/** The shortest chain of imports from `start` back to `goal`, or null when there is none. */
function routeBack(start, goal) {
  const cameFrom = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift();
    if (file === goal) {
      const route = [];
      for (let at = file; at !== null; at = cameFrom.get(at)) route.unshift(at);
      return route;
    }
    for (const next of importsOf(file)) {
      if (cameFrom.has(next)) continue;
      cameFrom.set(next, file);
      queue.push(next);
    }
  }
  return null;
}

export const noImportCycles = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid import cycles between our own modules, type-only imports included' },
    schema: [],
    messages: { cycle: 'Import cycle: {{route}}. Move what both sides need into a module that imports neither.' },
  },
  create(context) {
    const file = path.resolve(context.physicalFilename);
    const root = context.cwd;
    const check = (node, source) => {
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const target = resolveImport(source.value, file);
      if (!target || target === file) return;
      const route = routeBack(target, file);
      if (route) {
        context.report({ node, messageId: 'cycle', data: { route: [file, ...route].map((each) => path.relative(root, each)).join(' → ') } });
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
    };
  },
};
