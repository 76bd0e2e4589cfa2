import { copyFile, writeFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { accounts } from './accounts.js';
import { environmentsFile, environmentsFileFixture } from './e2e-server.js';
import { rowOf, signInAt, watchForProblems } from './support.js';

const MANAGED_TITLE = 'Platform managed (Python 3.12)';

test('a file-managed environment is read-only, but its access control can change', async ({ page }) => {
  const problems = watchForProblems(page);
  await signInAt(page, '/environments', accounts.admin);

  const row = rowOf(page, MANAGED_TITLE);
  await expect(row.getByTitle(/^Managed by .*environments\.yaml$/)).toBeVisible();
  await expect(row.getByText('File', { exact: true })).toBeVisible();
  await expect(row).toContainText('environments.yaml');
  await expect(row.getByRole('button', { name: /^Delete/ })).toHaveCount(0);

  await row.getByRole('link', { name: MANAGED_TITLE }).click();
  await expect(page.getByRole('heading', { name: MANAGED_TITLE, level: 1 })).toBeVisible();
  await expect(page.getByRole('note')).toContainText(`This environment is defined in ${environmentsFile}`);
  await expect(page.getByRole('note')).toContainText('Its access control can still be edited here.');
  await expect(page.getByLabel('Title')).toHaveAttribute('readonly', '');
  await expect(page.getByRole('group', { name: 'Installation 1' }).getByLabel('Language')).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Add installation' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Delete/ })).toHaveCount(0);

  // Access control stays editable, and is saved.
  await page.getByRole('combobox', { name: 'Add a user or group' }).fill('Dana');
  await page.getByRole('option', { name: /Dana Data \(dana\)/ }).click();
  await page.getByRole('button', { name: 'Save access control' }).click();
  await expect(page.getByRole('status').getByText(`Saved access control of “${MANAGED_TITLE}”.`)).toBeVisible();
  await page.getByRole('button', { name: 'Dismiss message' }).click();
  await expect(page.getByRole('status').getByText(`Saved access control of “${MANAGED_TITLE}”.`)).toHaveCount(0);

  await rowOf(page, MANAGED_TITLE).getByRole('link').click();
  const grants = page.getByRole('list', { name: 'Users and groups with access' });
  await expect(grants.getByText('Dana Data (dana)', { exact: true })).toBeVisible();
  await grants.getByRole('button', { name: /^Remove/ }).click();
  await expect(page.getByText('Everyone with the publisher role can use this environment.')).toBeVisible();
  await page.getByRole('button', { name: 'Save access control' }).click();
  await expect(page.getByRole('status').getByText(`Saved access control of “${MANAGED_TITLE}”.`)).toBeVisible();

  // The server refuses edits of its details whatever the interface shows.
  const guid = new URL(await rowOf(page, MANAGED_TITLE).getByRole('link').getAttribute('href') ?? '', 'http://x').pathname.split('/').pop();
  const refused = await page.request.put(`/__api__/v1/environments/${guid}`, {
    data: { title: 'Changed' },
    headers: { Authorization: `Key ${accounts.admin.apiKey}` },
  });
  expect(refused.status()).toBe(409);
  expect(await refused.json()).toMatchObject({ code: 265 });
  expect(problems).toEqual([]);
});

test('administrators see a banner while the environments file cannot be applied', async ({ page }) => {
  const problems = watchForProblems(page);
  await signInAt(page, '/environments', accounts.admin);
  await expect(rowOf(page, MANAGED_TITLE)).toBeVisible();
  const banner = page.getByRole('alert').filter({ hasText: 'The environments file could not be applied.' });
  await expect(banner).toHaveCount(0);

  try {
    await writeFile(environmentsFile, 'executionEnvironments:\n  - title: An entry without an image name\n');
    // The server polls the file every 300 ms, the tab asks for the status every 5 s.
    await expect(banner).toBeVisible({ timeout: 15_000 });
    await expect(banner).toContainText('name');
    await expect(banner).toContainText('keep their last good definitions');
    // The database is left as it was.
    await expect(rowOf(page, MANAGED_TITLE)).toBeVisible();
  } finally {
    await copyFile(environmentsFileFixture, environmentsFile);
  }
  await expect(banner).toHaveCount(0, { timeout: 15_000 });
  expect(problems).toEqual([]);
});
