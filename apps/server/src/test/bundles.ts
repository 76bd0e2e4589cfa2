import { tarGz } from './tar.js';

/** The manifest rsconnect writes for the cookbook's reticulated image classifier (Shiny + Python). */
export function cookbookManifest(overrides: Record<string, unknown> = {}) {
  return {
    version: 1,
    locale: 'en_US',
    platform: '4.2.3',
    metadata: { appmode: 'shiny', primary_rmd: null, primary_html: null, content_category: null, has_parameters: false },
    python: { version: '3.9.14', package_manager: { name: 'pip', version: '22.2.2', package_file: 'requirements.txt' } },
    packages: { shiny: { Source: 'CRAN', Repository: 'https://cran.rstudio.com/', description: { Package: 'shiny', Version: '1.7.4' } } },
    files: { 'app.R': { checksum: '6b1e' }, 'requirements.txt': { checksum: '9f2c' } },
    ...overrides,
  };
}

/** A bundle as `tar czvf bundle.tar.gz -C ./app ./` makes it. */
export function bundleArchive(manifest: unknown = cookbookManifest()): Buffer {
  return tarGz([
    { path: './', type: 'directory' },
    { path: './manifest.json', content: JSON.stringify(manifest, null, 2) },
    { path: './app.R', content: 'library(shiny)\nlibrary(reticulate)\n' },
    { path: './requirements.txt', content: 'tensorflow==2.12.0\n' },
  ]);
}
