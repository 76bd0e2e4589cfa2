import { expect, test } from '@playwright/test';
import { seriousViolations } from './accessibility.js';
import { accounts } from './accounts.js';
import { rowOf, signInAt } from './support.js';

test('the Environments tab and its form have no serious or critical accessibility violations', async ({ page }) => {
  await signInAt(page, '/environments', accounts.admin);
  await expect(page.getByRole('table', { name: 'Environments' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  // The delete confirmation.
  await rowOf(page, 'R 3.5 (retired)').getByRole('button', { name: /^Delete/ }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(rowOf(page, 'R 3.5 (retired)')).toBeVisible();

  // The add form, with a problem shown, the picker open and the Advanced section open.
  await page.getByRole('link', { name: 'Add environment' }).click();
  await page.getByLabel('Image name').fill('Not An Image');
  await page.getByRole('button', { name: 'Add volume mount' }).click();
  await page.getByText('Advanced').click();
  await page.getByRole('combobox', { name: 'Add a user or group' }).fill('d');
  await expect(page.getByRole('listbox', { name: 'Users and groups' }).getByRole('option').first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  // A file-managed environment, read-only.
  await page.goto('/environments');
  await rowOf(page, 'Platform managed (Python 3.12)').getByRole('link').click();
  await expect(page.getByRole('note')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test('the tab works with the keyboard alone', async ({ page }) => {
  await signInAt(page, '/environments', accounts.admin);
  await expect(page.getByRole('table', { name: 'Environments' })).toBeVisible();
  // From the search box, Tab reaches Export, Import and the filter chips (a chip toggles with
  // Space), then the table, its select-all box and sort buttons, and each row's box and link.
  await page.getByLabel('Search environments').focus();
  await page.keyboard.type('3.10');
  await expect(page.getByText(/^\d+ of \d+ environments$/)).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: /^Export/ })).toBeFocused();
  const lastChip = page.getByRole('group', { name: 'Managed' }).getByRole('button', { name: 'Hand-made' });
  await lastChip.focus();
  await page.keyboard.press('Space');
  await expect(lastChip).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Space');
  await expect(lastChip).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByLabel('Search environments')).toHaveValue('3.10');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('region', { name: 'Environments (scrollable)' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('checkbox', { name: 'Select every environment shown' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('columnheader', { name: 'Title' }).getByRole('button')).toBeFocused();
  await page.keyboard.press('Space');
  await expect(page.getByRole('columnheader', { name: 'Title' })).toHaveAttribute('aria-sort', 'descending');
  // Each other sortable column's header is one stop; then the first row's link.
  const sortButtons = await page.getByRole('columnheader').getByRole('button').count();
  expect(sortButtons).toBeGreaterThan(5);
  for (let i = 1; i < sortButtons; i++) await page.keyboard.press('Tab');
  await expect(page.getByRole('columnheader').getByRole('button').last()).toBeFocused();
  await page.keyboard.press('Tab');
  const pick = page.getByRole('checkbox', { name: 'Select R 4.3 / Python 3.10' });
  await expect(pick).toBeFocused();
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Export 1 selected' })).toBeVisible();
  await page.keyboard.press('Space');
  await expect(pick).not.toBeChecked();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'R 4.3 / Python 3.10' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Edit “R 4.3 / Python 3.10”' })).toBeVisible();
  // Escape closes a dialog and focus returns to what opened it.
  await page.getByRole('button', { name: 'Delete environment…' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog').getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('dialog').getByRole('button', { name: 'Delete environment' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Delete environment…' })).toBeFocused();
});
