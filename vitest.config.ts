import { availableParallelism } from 'node:os';
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { reactViaPreact } from './apps/web/preact-aliases.js';

const source = '@envdesk/source';

/**
 * The longest files first: a fresh CI has no timings, and the default order (larger files first)
 * would start the two route fuzzers, tiny files running the longest suite, last of all.
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const longest = (file: TestSpecification) => /[\\/]fuzz-[^\\/]+\.test\.ts$/.test(file.moduleId);
    return [...sorted.filter(longest), ...sorted.filter((file) => !longest(file))];
  }
}

export default defineConfig({
  test: {
    // CI reads the JSON report to print its closing "N passed, N failed" line.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    sequence: { sequencer: LongestFirst },
    // Vitest's default (one worker fewer than the cores) is a single worker on a 2-core machine; the
    // suites mostly wait on databases, servers and child processes, so two share the cores well.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        ssr: { resolve: { conditions: [source, ...defaultServerConditions] } },
        test: { name: 'domain', root: 'packages/domain', include: ['src/**/*.test.ts'] },
      },
      {
        ssr: { resolve: { conditions: [source, ...defaultServerConditions] } },
        test: {
          name: 'server',
          root: 'apps/server',
          include: ['src/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The web tests run on what ships: React's API on Preact's compatibility layer
        // (apps/web/preact-aliases.ts). Vite's aliases reach only what Vite loads, so every library
        // that imports React, and what shares state with one (preact itself, Testing Library's
        // packages, whose configuration user-event and @testing-library/react must share), is
        // loaded by Vite, with their ES module builds (`module` before `main`). The one CommonJS
        // library (the selector shim TanStack Store uses) is bundled by Vite's optimizer, whose
        // output Vite then loads, so its `react` is Preact too.
        resolve: {
          conditions: [source, ...defaultClientConditions],
          alias: reactViaPreact,
          mainFields: ['browser', 'module', 'jsnext:main', 'jsnext'],
        },
        test: {
          name: 'web',
          root: 'apps/web',
          include: ['src/**/*.test.tsx', 'src/**/*.test.ts'],
          environment: 'happy-dom',
          setupFiles: ['src/testing/setup.ts'],
          testTimeout: 15_000,
          server: { deps: { inline: [/\/preact\//, /@tanstack\/react-/, /@testing-library\//, /\/\.vite\/vitest\//] } },
          deps: { optimizer: { client: { enabled: true, include: ['use-sync-external-store/shim/with-selector'] } } },
        },
      },
      // The lint rules' own tests: each architecture rule is shown to bite.
      { test: { name: 'tools', root: 'tools', include: ['**/*.test.ts'], testTimeout: 30_000 } },
    ],
  },
});
