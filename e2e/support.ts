import { type Page, expect } from '@playwright/test';

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/** Signs in through the sign-in page, starting at `path` (a signed-out deep link comes back to it). */
export async function signInAt(page: Page, path: string, { username, password }: Credentials): Promise<void> {
  await page.goto(path);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/**
 * Collects what should never happen on a healthy page: uncaught errors, console errors, and HTTP
 * failures other than the ones a journey expects (`allowed`, e.g. "403 /__api__/v1/environments").
 * The browser's own "Failed to load resource" line repeats a failed response, which is judged
 * here by its status and path; none is expected of a signed-out start (it asks without a 401).
 */
export function watchForProblems(page: Page, allowed: readonly string[] = []): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('response', (response) => {
    const entry = `${response.status()} ${new URL(response.url()).pathname}`;
    if (response.status() >= 400 && !allowed.includes(entry)) problems.push(entry);
  });
  return problems;
}

/** A name no other journey (or earlier run against the same server) uses. */
export const uniqueSuffix = (): string => `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;

/** The table's data rows (the header row and the virtualizer's spacer rows are left out). */
export const dataRows = (page: Page) => page.getByRole('table', { name: 'Environments' }).locator('tbody tr:not([aria-hidden])');

/** A row by the title its link shows. */
export const rowOf = (page: Page, title: string) =>
  dataRows(page).filter({ has: page.getByRole('link', { name: title, exact: true }) });
