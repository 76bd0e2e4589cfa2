#!/usr/bin/env node
// The `envdesk` command: a committed, executable entry that runs the compiled CLI (npm run build).
import('../dist/cli/envdesk.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write('envdesk is not built yet: run `npm run build` at the repository root first.\n');
    process.exit(1);
  }
  throw error;
});
