import type { LaunchOptions } from '@playwright/test';

/**
 * Debian's Chromium, as every browser run here uses it (Playwright's own download cannot be reached;
 * STACK.md §7): the e2e journeys (playwright.config.ts) and the UI benchmark (bench/ui-search.ts).
 */
/** The name the plain-HTTP journey opens the app by. `.test` is reserved (RFC 2606) and never on an HSTS preload list. */
export const E2E_PUBLIC_HOST = 'envdesk.test';

export const chromiumLaunchOptions: LaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    // A host name that is not localhost, for the journey that opens the app as a deployment is
    // reached over plain HTTP (e2e/plain-http.spec.ts); it resolves to the e2e server.
    `--host-resolver-rules=MAP ${E2E_PUBLIC_HOST} 127.0.0.1`,
  ],
};
