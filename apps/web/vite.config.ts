import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';
import { reactViaPreact } from './preact-aliases.js';

// The dev server forwards API calls to a locally running envdesk server (`npm run dev`).
const apiServer = 'http://127.0.0.1:3939';

export default defineConfig({
  // React Fast Refresh patches React's own renderer, which Preact's compatibility layer does not
  // have: with it on, an edited component would be swapped without ever rendering again. Off, an
  // edit reloads the page in the dev server.
  plugins: [react({ refreshExclude: /./ })],
  // `@envdesk/source` makes workspace packages resolve to their TypeScript source (STACK.md §2).
  resolve: {
    conditions: ['@envdesk/source', ...defaultClientConditions],
    // React's API on Preact's compatibility layer, for the first page's size (preact-aliases.ts).
    alias: reactViaPreact,
  },
  build: {
    // Every browser the app supports preloads modules itself; the polyfill would only add bytes.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      onLog(level, log, handler) {
        // TanStack Router reads React 19's `use` when there is one and falls back when there is not;
        // Preact's compatibility layer has none, so the bundler's warning about it says nothing new.
        if (log.code === 'IMPORT_IS_UNDEFINED' && log.id?.includes('/@tanstack/react-router/') && log.message.includes('`use`')) return;
        handler(level, log);
      },
      output: {
        // What the first page needs (libraries, domain and app code alike) is one file, which gzips
        // smaller than the pieces it would otherwise be split into; what only lazily loaded pages and
        // dialogs use stays with them.
        codeSplitting: { groups: [{ name: 'initial', tags: ['$initial'] }] },
      },
    },
  },
  server: {
    proxy: {
      '/__api__': apiServer,
      '/__ping__': apiServer,
    },
  },
});
