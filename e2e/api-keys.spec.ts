import { expect, test } from '@playwright/test';
import { seriousViolations } from './accessibility.js';
import { accounts } from './accounts.js';
import { signInAt, uniqueSuffix, watchForProblems } from './support.js';

test('a viewer creates an API key, copies it once, sees it listed and used, and deletes it', async ({ page, context, request }) => {
  const problems = watchForProblems(page);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const name = `laptop ${uniqueSuffix()}`;
  await signInAt(page, '/content', accounts.viewer);

  // Under the signed-in person's name in the header, for every role.
  await page.getByRole('banner').getByRole('link', { name: 'API keys' }).click();
  await expect(page).toHaveURL(/\/keys$/);
  await expect(page.getByRole('heading', { name: 'API keys', level: 1 })).toBeVisible();

  await page.getByLabel('Name').fill(name);
  await page.getByRole('button', { name: 'Create key' }).click();
  const panel = page.getByRole('region', { name: `Your new key “${name}”` });
  await expect(panel.getByText('Copy it now: you will not see it again.')).toBeVisible();
  const secret = await panel.getByLabel('API key').inputValue();
  expect(secret.length).toBeGreaterThan(20);
  await panel.getByRole('button', { name: 'Copy key' }).click();
  await expect(panel.getByText('Copied to the clipboard.')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  expect(await seriousViolations(page)).toEqual([]);

  const row = page.getByRole('table', { name: 'Your keys' }).getByRole('row').filter({ hasText: name });
  await expect(row.getByRole('cell').nth(1)).toHaveText('Never');

  // The key works as an rsconnect or SDK client would send it, and the list says it was used.
  const asClient = { headers: { Authorization: `Key ${secret}` } };
  const me = await request.get('/__api__/v1/user', asClient);
  expect(me.status()).toBe(200);
  expect((await me.json()).username).toBe(accounts.viewer.username);
  await panel.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByLabel('API key')).toHaveCount(0);
  await page.reload();
  await expect(row.getByRole('cell').nth(1)).not.toHaveText('Never');

  await row.getByRole('button', { name: `Delete key “${name}”` }).click();
  const dialog = page.getByRole('dialog', { name: `Delete the key “${name}”?` });
  await expect(dialog).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await dialog.getByRole('button', { name: 'Delete key' }).click();
  await expect(page.getByRole('status').getByText(`Deleted the key “${name}”.`)).toBeVisible();
  await expect(row).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Your keys' })).toBeFocused();
  expect(await seriousViolations(page)).toEqual([]);

  // Deleted: a client using it is refused.
  expect((await request.get('/__api__/v1/user', asClient)).status()).toBe(401);
  expect(problems).toEqual([]);
});
