import { tarGz } from '../apps/server/src/test/tar.js';

/** Bundles for the e2e journeys, built in memory with the server tests' tar writer. */

/** A Python API bundle made with `pythonVersion` (spec/connect-api-reference.md §8, the minimal manifest). */
export function pythonApiBundle(pythonVersion: string): Buffer {
  const manifest = {
    version: 1,
    metadata: { appmode: 'python-api', entrypoint: 'app' },
    python: { version: pythonVersion, package_manager: { name: 'pip', version: '23.0', package_file: 'requirements.txt' } },
    files: { 'app.py': { checksum: '0' }, 'requirements.txt': { checksum: '0' } },
  };
  return tarGz([
    { path: 'manifest.json', content: JSON.stringify(manifest, null, 2) },
    { path: 'app.py', content: 'from fastapi import FastAPI\n\napp = FastAPI()\n' },
    { path: 'requirements.txt', content: 'fastapi\n' },
  ]);
}
