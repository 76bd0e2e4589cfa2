import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

// The dev server forwards API calls to a locally running envdesk server (`npm run dev`).
const apiServer = 'http://127.0.0.1:3939';

export default defineConfig({
  plugins: [react()],
  // `@envdesk/source` makes workspace packages resolve to their TypeScript source (STACK.md §2).
  resolve: { conditions: ['@envdesk/source', ...defaultClientConditions] },
  build: {
    rolldownOptions: {
      output: {
        // Every library the app uses is needed for the first page: one file of them gzips smaller
        // than the pieces the lazily loaded pages would otherwise split them into.
        codeSplitting: { groups: [{ name: 'vendor', test: /node_modules/ }] },
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
