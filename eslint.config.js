import { readdirSync } from 'node:fs';
import path from 'node:path';
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { noImportCycles } from './tools/eslint/no-import-cycles.js';

const root = import.meta.dirname;

/** The web app's feature folders (apps/web/src/features/<feature>), read afresh each run so a new one is covered. */
const webFeatures = readdirSync(path.join(root, 'apps/web/src/features'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

export default defineConfig(
  { ignores: ['**/dist/**', '**/node_modules/**', 'test-results/**', 'playwright-report/**', 'data/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { globals: globals.node },
    plugins: { 'import-x': importX, envdesk: { rules: { 'no-import-cycles': noImportCycles } } },
    settings: {
      // Resolves `./x.js` to `x.ts` and the workspaces to their sources, as tsc does.
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json', conditionNames: ['@envdesk/source', 'types', 'import', 'default'] })],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // A cycle, even of types only, means neither module can be understood or moved alone.
      'envdesk/no-import-cycles': 'error',
    },
  },
  {
    // The domain is pure: no IO, no frameworks, no server or web code — only zod and its own files.
    // Its rules are testable as plain functions, and the server and the web app share them.
    files: ['packages/domain/src/**/*.ts'],
    ignores: ['packages/domain/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!zod(/|$)|\\.{1,2}/)|node_modules', message: 'The domain imports only zod and its own files.' }] }],
      'import-x/no-restricted-paths': [
        'error',
        { basePath: root, zones: [{ target: './packages/domain', from: ['./apps', './bench', './e2e', './tools'], message: 'The domain imports only zod and its own files.' }] },
      ],
    },
  },
  {
    // Its tests may also use the test runner and the property-testing library.
    files: ['packages/domain/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!(zod|vitest|fast-check)(/|$)|\\.{1,2}/)|node_modules', message: 'Domain tests import only zod, vitest, fast-check and the domain.' }] },
      ],
      'import-x/no-restricted-paths': [
        'error',
        { basePath: root, zones: [{ target: './packages/domain', from: ['./apps', './bench', './e2e', './tools'], message: 'The domain imports only zod and its own files.' }] },
      ],
    },
  },
  {
    // The web app talks to the server only over HTTP; it may share the domain's schemas.
    // Each feature stands alone: what two features share lives in components/, lib/ or app/.
    files: ['apps/web/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: ['**/apps/server/**', '@envdesk/server', '@envdesk/server/*', '**/server/src/**'],
          // The app runs on Preact's compatibility layer (apps/web/preact-aliases.ts), which has
          // none of React 19's newest hooks: React's types would accept them, and the page break.
          paths: [
            { name: 'react', importNames: ['use', 'useActionState', 'useOptimistic'], message: 'Preact’s compatibility layer, which the web app runs on, has no such export.' },
            { name: 'react-dom', importNames: ['useFormStatus', 'useFormState'], message: 'Preact’s compatibility layer, which the web app runs on, has no such export.' },
          ],
        },
      ],
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: root,
          zones: [
            { target: './apps/web', from: './apps/server', message: 'The web app reaches the server only over HTTP.' },
            ...webFeatures.map((feature) => ({
              target: `./apps/web/src/features/${feature}`,
              from: './apps/web/src/features',
              except: [`./${feature}`],
              message: 'Features do not import each other: move what both need to components/, lib/ or app/.',
            })),
            {
              target: ['./apps/web/src/components', './apps/web/src/lib'],
              from: './apps/web/src/features',
              message: 'Shared code (components/, lib/) does not depend on a feature.',
            },
          ],
        },
      ],
    },
  },
  {
    // One zod style, the tree-shakable one: the web app carries every schema it reaches, and
    // zod's classic API is 25 kB gzip that no bundler can trim.
    files: ['**/*.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "ImportDeclaration[source.value=/^zod(\\/v4|\\/v3)?$/]", message: "Write schemas with zod/mini (import * as z from 'zod/mini')." },
        // A namespace import is what lets esbuild (the server bundle) keep only the parts in use.
        { selector: "ImportDeclaration[source.value='zod/mini'] > ImportSpecifier", message: "Import zod/mini as a namespace (import * as z from 'zod/mini')." },
      ],
    },
  },
);
