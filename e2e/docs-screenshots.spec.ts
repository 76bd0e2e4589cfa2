import { expect, test } from '@playwright/test';
import { accounts } from './accounts.js';
import { signInAt } from './support.js';

/**
 * The pictures in docs/: the table and the form as an administrator sees them. They are taken on
 * every run (so a broken layout fails here), and written to docs/ only with ENVDESK_UPDATE_SCREENSHOTS=1.
 */
const target = (name: string, outputPath: (name: string) => string) =>
  process.env.ENVDESK_UPDATE_SCREENSHOTS === '1' ? `docs/${name}` : outputPath(name);

test.use({ viewport: { width: 1440, height: 900 } });

test('screenshots of the Environments table and the environment form', async ({ page }, testInfo) => {
  await signInAt(page, '/environments', accounts.admin);
  await expect(page.getByRole('table', { name: 'Environments' })).toBeVisible();
  // The toasts of other journeys are gone; the pointer rests outside the table.
  await page.mouse.move(0, 0);
  await page.screenshot({ path: target('environments-table.png', (name) => testInfo.outputPath(name)) });

  await page.getByRole('link', { name: 'GPU training (Python 3.11)' }).click();
  await expect(page.getByRole('heading', { name: 'Edit “GPU training (Python 3.11)”' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Users and groups with access' }).getByText('Dana Data (dana)', { exact: true })).toBeVisible();
  await page.getByText('Advanced').click();
  // Tall enough for the whole form, so the sticky Save bar sits at its end as a reader scrolls there.
  await page.setViewportSize({ width: 1440, height: 2000 });
  await page.mouse.move(0, 0);
  await page.screenshot({ path: target('environment-form.png', (name) => testInfo.outputPath(name)), fullPage: true });
});
