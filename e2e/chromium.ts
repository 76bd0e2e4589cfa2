import type { LaunchOptions } from '@playwright/test';

/**
 * Debian's Chromium, as every browser run here uses it (Playwright's own download cannot be reached;
 * STACK.md §7): the e2e journeys (playwright.config.ts) and the UI benchmark (bench/ui-search.ts).
 */
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
  ],
};
