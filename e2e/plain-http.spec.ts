import { expect, test } from '@playwright/test';
import { accounts } from './accounts.js';
import { E2E_PUBLIC_HOST } from './chromium.js';
import { signInAt, watchForProblems } from './support.js';

test.describe('served over plain HTTP on a host name, as a container is reached', () => {
  test('the app loads at http://envdesk.test:PORT and the administrator signs in and out', async ({ page, baseURL }) => {
    // Browsers treat localhost as secure and 127.0.0.1 likewise: only another host name shows what
    // an `upgrade-insecure-requests` header does to a plain-HTTP deployment (a blank page).
    const origin = new URL(baseURL ?? '');
    origin.hostname = E2E_PUBLIC_HOST;
    const problems = watchForProblems(page);

    await signInAt(page, new URL('/signin', origin).href, accounts.admin);
    await expect(page).toHaveURL(new URL('/environments', origin).href);
    await expect(page.getByRole('heading', { name: 'Environments', level: 1 })).toBeVisible();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(new URL('/signin', origin).href);
    expect(problems).toEqual([]);

    // Why it works: nothing sent over plain HTTP asks the browser for https.
    const served = await page.goto(new URL('/signin', origin).href);
    expect(served?.headers()['strict-transport-security']).toBeUndefined();
    expect(served?.headers()['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });
});
