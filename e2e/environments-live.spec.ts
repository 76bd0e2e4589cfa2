import { type APIRequestContext, expect, test } from '@playwright/test';
import { accounts } from './accounts.js';
import { signInAt, rowOf, uniqueSuffix, watchForProblems } from './support.js';

const asAdmin = { Authorization: `Key ${accounts.admin.apiKey}` };

/** A second administrator, signed in through the API in their own request context (their own session). */
async function anotherAdministrator(request: APIRequestContext, newContext: () => Promise<APIRequestContext>) {
  const credentials = { username: `ana-${uniqueSuffix()}`, password: 'second-admin-password' };
  expect((await request.post('/__api__/v1/users', { headers: asAdmin, data: { ...credentials, user_role: 'administrator' } })).status()).toBe(200);
  const api = await newContext();
  expect((await api.post('/__api__/v1/auth/login', { data: credentials })).status()).toBe(200);
  const { token } = (await (await api.get('/__api__/v1/auth/csrf')).json()) as { token: string };
  return { username: credentials.username, api, headers: { 'X-CSRF-Token': token } };
}

test('changes made elsewhere appear in an open Environments tab without a reload', async ({ page, request, playwright, baseURL }) => {
  const problems = watchForProblems(page);
  const ana = await anotherAdministrator(request, () => playwright.request.newContext({ baseURL }));
  await signInAt(page, '/environments', accounts.admin);
  await expect(page.getByRole('table', { name: 'Environments' })).toBeVisible();
  // Gone if the page reloads: the journey proves the tab updated in place.
  await page.evaluate(() => Object.assign(window, { stillTheSamePage: true }));

  const title = `Live ${uniqueSuffix()}`;
  const created = await ana.api.post('/__api__/v1/environments', {
    headers: ana.headers,
    data: { title, name: `ghcr.io/e2e/live-${uniqueSuffix()}:1`, python: { installations: [{ version: '3.12.4', path: '/opt/python/3.12.4/bin/python' }] } },
  });
  expect(created.status()).toBe(200);
  const { guid } = (await created.json()) as { guid: string };
  await expect(rowOf(page, title)).toBeVisible({ timeout: 3_000 });

  // Open it; Ana renames it meanwhile: the form says so and keeps what it shows until asked.
  await rowOf(page, title).getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { name: `Edit “${title}”` })).toBeVisible();
  expect((await ana.api.put(`/__api__/v1/environments/${guid}`, { headers: ana.headers, data: { title: `${title} (Ana)` } })).status()).toBe(200);
  await expect(page.getByRole('status').filter({ hasText: 'just now' })).toContainText(`Changed by`, { timeout: 3_000 });
  await expect(page.getByRole('status').filter({ hasText: 'just now' })).toContainText(ana.username);
  await page.getByRole('button', { name: 'Compare with this form' }).click();
  const dialog = page.getByRole('dialog', { name: 'This environment was changed by someone else' });
  await expect(dialog.getByRole('table')).toContainText(`${title} (Ana)`);
  await dialog.getByRole('button', { name: 'Reload their version' }).click();
  await expect(page.getByLabel('Title')).toHaveValue(`${title} (Ana)`);

  // Back on the list, Ana's deletion takes the row away.
  await page.getByRole('link', { name: 'Environments' }).first().click();
  await expect(rowOf(page, `${title} (Ana)`)).toBeVisible();
  expect((await ana.api.delete(`/__api__/v1/environments/${guid}`, { headers: ana.headers })).status()).toBe(204);
  await expect(rowOf(page, `${title} (Ana)`)).toHaveCount(0, { timeout: 3_000 });

  expect(await page.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);
  expect(problems).toEqual([]);
  await ana.api.dispose();
});
