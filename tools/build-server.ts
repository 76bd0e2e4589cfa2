/**
 * Bundles the server for `npm start`: apps/server/dist/bundle/main.js, with what only some starts
 * or requests need (the environments file sync, demo data, legacy bootstrap, the tar and multipart
 * readers) in chunks beside it that load on first use.
 *
 * Why a bundle: a start spent most of its time finding, reading and linking some 450 module files
 * (Kysely alone is 262); one file loads in a fraction of that (README, `npm run bench:start`).
 * The native SQLite driver and the PostgreSQL driver stay in node_modules: one cannot be bundled,
 * the other loads only when DATABASE_URL is set. The tsc build in apps/server/dist stays what the
 * `envdesk` CLI runs (the tests run the sources); this one is built from the same sources.
 */
import { readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Plugin, build } from 'esbuild';

const serverRoot = fileURLToPath(new URL('../apps/server/', import.meta.url));
const outdir = `${serverRoot}dist/bundle`;

/**
 * Large JSON files (the MIME type and character-set tables Express's parts read) become
 * `JSON.parse` of a string rather than an object literal: V8 parses JSON several times faster
 * than the same data written as JavaScript, which is also how `require` loads them unbundled.
 */
const jsonAsParse: Plugin = {
  name: 'json-as-parse',
  setup(context) {
    context.onLoad({ filter: /\.json$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      return { contents: `module.exports = JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(text)))});`, loader: 'js' };
    });
  },
};

// A fresh folder each time: chunk names carry a hash, so an old build's chunks would linger.
await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: { main: `${serverRoot}src/main.ts` },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The workspace packages' TypeScript sources, as the dev server and tests read them.
  conditions: ['@envdesk/source'],
  external: ['better-sqlite3', 'pg'],
  // Express's parts are CommonJS and call `require` for Node's own modules.
  banner: { js: "import { createRequire as __envdeskCreateRequire } from 'node:module'; const require = __envdeskCreateRequire(import.meta.url);" },
  // Names are kept (stack traces stay readable without the map); `node --enable-source-maps` maps
  // them back to the TypeScript sources.
  sourcemap: 'linked',
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [jsonAsParse],
  logLevel: 'warning',
});
