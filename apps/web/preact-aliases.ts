import type { Alias } from 'vite';

/**
 * The app is written against React's API (its source, its types, the TanStack libraries' React
 * adapters) but runs on Preact's compatibility layer: react-dom alone was 60 kB of the first
 * page's 139 kB gzip, Preact with its compatibility layer is about 4 kB (issue 14: the first page
 * within 100 kB). The build, the dev server and the web tests all resolve React this way, so the
 * tests exercise what ships. Each name maps to the package's own export, resolved in node_modules.
 */
export const reactViaPreact: Alias[] = [
  { find: /^react$/, replacement: 'preact/compat' },
  { find: /^react-dom$/, replacement: 'preact/compat' },
  { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
  { find: /^react-dom\/test-utils$/, replacement: 'preact/test-utils' },
  // The compatibility layer's JSX runtimes load preact/compat first, so its event and prop
  // translations are in place before any element is created.
  { find: /^react\/jsx-runtime$/, replacement: 'preact/compat/jsx-runtime' },
  { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/compat/jsx-dev-runtime' },
];
