import { expect, test } from '@playwright/test';
import { seriousViolations } from './accessibility.js';
import { accounts } from './accounts.js';
import { pythonApiBundle } from './bundle-archive.js';
import { signInAt, uniqueSuffix } from './support.js';

const asAdmin = { Authorization: `Key ${accounts.admin.apiKey}` };

test('the Content list and the content page have no serious or critical accessibility violations', async ({ page }) => {
  // A deployed content item with a bundle, made through the API.
  const suffix = uniqueSuffix();
  const created = await page.request.post('/__api__/v1/content', { data: { name: `a11y-${suffix}`, title: `Accessible ${suffix}` }, headers: asAdmin });
  expect(created.ok()).toBe(true);
  const { guid } = (await created.json()) as { guid: string };
  const upload = await page.request.post(`/__api__/v1/content/${guid}/bundles`, {
    data: pythonApiBundle('3.10.11'),
    headers: { ...asAdmin, 'Content-Type': 'application/gzip' },
  });
  expect(upload.ok()).toBe(true);
  const deploy = await page.request.post(`/__api__/v1/content/${guid}/deploy`, { data: {}, headers: asAdmin });
  expect(deploy.status()).toBe(202);

  // The list, and the New content dialog with a problem shown.
  await signInAt(page, '/content', accounts.admin);
  await expect(page.getByRole('table', { name: 'Content' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'New content' }).click();
  const dialog = page.getByRole('dialog', { name: 'New content' });
  await dialog.getByRole('button', { name: 'Create content' }).click();
  await expect(dialog.getByText('Name is required.')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'New content' })).toBeFocused();

  // The content page with the picker open, an incompatible environment listed, and the deploy log.
  await page.goto(`/content/${guid}`);
  await expect(page.getByRole('heading', { name: `Accessible ${suffix}`, level: 1 })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Log of deploy 1' })).toContainText('is compatible with environment');
  const runtime = page.getByRole('region', { name: 'Runtime' });
  await runtime.getByRole('radio', { name: 'Use a specific environment' }).check();
  // Those that cannot run it are filtered out at first; shown, they are listed but disabled.
  await runtime.getByRole('checkbox', { name: 'Only environments that can run it' }).uncheck();
  await expect(runtime.getByRole('radio', { name: 'R 4.4 / Python 3.11', exact: true })).toBeDisabled();
  expect(await seriousViolations(page)).toEqual([]);

  // Keyboard: from the search box to a choosable environment, chosen with Space.
  await runtime.getByLabel('Search environments').fill('3.10');
  await runtime.getByRole('radio', { name: 'R 4.3 / Python 3.10', exact: true }).focus();
  await page.keyboard.press('Space');
  await expect(runtime.getByRole('radio', { name: 'R 4.3 / Python 3.10', exact: true })).toBeChecked();
  await expect(runtime.getByRole('button', { name: 'Save runtime' })).toBeEnabled();
  await runtime.getByRole('button', { name: 'Discard changes' }).click();
  await expect(runtime.getByRole('radio', { name: 'Automatic' })).toBeChecked();
});
