import { expect, type Page, test } from '@playwright/test';
import { accounts } from './accounts.js';

async function signIn(page: Page, { username, password }: { username: string; password: string }) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test.describe('signing in and out', () => {
  test('the administrator signs in, sees the frame, and signs out', async ({ page }) => {
    // Signed out, the app asks who is signed in and learns "nobody" without a 401: the console
    // stays empty (no "Failed to load resource" either), and no request fails.
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });

    await page.goto('/signin');
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await signIn(page, accounts.admin);

    await expect(page).toHaveURL(/\/environments$/);
    const header = page.getByRole('banner');
    await expect(header.getByText('envdesk', { exact: true })).toBeVisible();
    await expect(header.getByText(accounts.admin.displayName)).toBeVisible();
    await expect(header.getByText('administrator', { exact: true })).toBeVisible();

    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Environments' })).toHaveAttribute('aria-current', 'page');
    await expect(nav.getByRole('link', { name: 'Content' })).toBeVisible();

    const main = page.getByRole('main');
    await expect(main.getByRole('heading', { name: 'Environments', level: 1 })).toBeVisible();
    await expect(main.getByText(/^\d+ environments?$/)).toBeVisible();
    await expect(main.getByRole('row').filter({ hasText: 'R 4.4 / Python 3.11' })).toBeVisible();

    await nav.getByRole('link', { name: 'Content' }).click();
    await expect(page).toHaveURL(/\/content$/);
    await expect(main.getByRole('heading', { name: 'Content', level: 1 })).toBeVisible();
    await expect(main.getByRole('button', { name: 'New content' })).toBeVisible();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/signin$/);
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

    // The session is really gone: a signed-in page sends us back to sign in.
    await page.goto('/content');
    await expect(page).toHaveURL(/\/signin\?next=%2Fcontent$/);
    expect(problems).toEqual([]);
  });

  test('a wrong password shows the reason and keeps the person on the sign-in page', async ({ page }) => {
    await page.goto('/signin');
    await signIn(page, { username: accounts.admin.username, password: 'not-the-password' });

    await expect(page.getByRole('alert')).toHaveText('The username or password is not correct.');
    await expect(page).toHaveURL(/\/signin$/);
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  });

  test('a signed-out deep link goes through sign-in and comes back', async ({ page }) => {
    await page.goto('/environments');
    await expect(page).toHaveURL(/\/signin\?next=%2Fenvironments$/);

    await signIn(page, accounts.publisher);

    await expect(page).toHaveURL(/\/environments$/);
    await expect(page.getByRole('heading', { name: 'Environments', level: 1 })).toBeVisible();
    await expect(page.getByRole('banner').getByText(accounts.publisher.displayName)).toBeVisible();
  });

  test('a viewer is not offered Environments and lands on Content after signing in', async ({ page }) => {
    await page.goto('/signin');
    await signIn(page, accounts.viewer);

    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Content' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Environments' })).toHaveCount(0);
    await expect(page.getByRole('banner').getByText('viewer', { exact: true })).toBeVisible();
    await expect(page).toHaveURL(/\/content$/);
    await expect(page.getByRole('heading', { name: 'Content', level: 1 })).toBeVisible();
  });

  test('an unknown address shows "Page not found" with a way home', async ({ page }) => {
    await page.goto('/signin');
    await signIn(page, accounts.admin);
    await expect(page).toHaveURL(/\/environments$/);

    await page.goto('/no-such-page');
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await page.getByRole('link', { name: 'Go to the home page' }).click();
    await expect(page).toHaveURL(/\/environments$/);
  });
});
