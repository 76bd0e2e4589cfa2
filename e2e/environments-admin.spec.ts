import { expect, test } from '@playwright/test';
import { accounts } from './accounts.js';
import { dataRows, rowOf, signInAt, uniqueSuffix, watchForProblems } from './support.js';

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

test('an administrator adds, finds, sorts, edits and deletes an environment', async ({ page }) => {
  const problems = watchForProblems(page);
  const suffix = uniqueSuffix();
  const title = `Journey ${suffix}`;
  const image = `ghcr.io/e2e/journey-${suffix}:r4.5-py3.12`;
  await signInAt(page, '/environments', accounts.admin);

  // Add: two installations, one volume mount, one group.
  await page.getByRole('link', { name: 'Add environment' }).click();
  await expect(page.getByRole('heading', { name: 'Add environment', level: 1 })).toBeVisible();
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Description (optional)').fill('Made by the administrator journey.');
  await page.getByLabel('Image name').fill(image);

  const installation1 = page.getByRole('group', { name: 'Installation 1' });
  await installation1.getByLabel('Version').fill('3.12.7');
  // Validated as typed, with the server's schema.
  await installation1.getByLabel('Path').fill('opt/python');
  await expect(installation1.getByText('Path must be an absolute path (starting with /).')).toBeVisible();
  await installation1.getByLabel('Path').fill('/opt/python/3.12.7/bin/python3');
  await expect(installation1.getByText(/must be an absolute path/)).toHaveCount(0);

  await page.getByRole('button', { name: 'Add installation' }).click();
  const installation2 = page.getByRole('group', { name: 'Installation 2' });
  await installation2.getByLabel('Language').selectOption('r');
  await installation2.getByLabel('Version').fill('4.5.1');
  await installation2.getByLabel('Path').fill('/opt/R/4.5.1/bin/R');

  await page.getByRole('button', { name: 'Add volume mount' }).click();
  const mount = page.getByRole('group', { name: 'Volume mount 1' });
  await mount.getByLabel('Volume type').selectOption('pvc');
  await mount.getByLabel('Claim name').fill(`cache-${suffix}`);
  await mount.getByLabel('Mount path in the container').fill('/mnt/cache');
  await mount.getByLabel('Read-only').check();

  await expect(page.getByText('Everyone with the publisher role can use this environment.')).toBeVisible();
  const picker = page.getByRole('combobox', { name: 'Add a user or group' });
  await picker.fill('data');
  await page.getByRole('option', { name: /data-science/ }).click();
  await expect(page.getByRole('list', { name: 'Users and groups with access' }).getByText('data-science', { exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Add environment' }).click();
  await expect(page).toHaveURL(/\/environments$/);
  await expect(page.getByRole('status').getByText(`Added “${title}”.`)).toBeVisible();

  // Find it by a version; the search lives in the URL.
  await page.getByLabel('Search environments').fill('4.5.1');
  await expect(dataRows(page)).toHaveCount(1);
  await expect(rowOf(page, title)).toContainText('3.12.7');
  await expect(rowOf(page, title)).toContainText('4.5.1');
  await expect(page.getByText(/^1 of \d+ environments$/)).toBeVisible();
  await expect(page).toHaveURL(/\?q=4\.5\.1$/);

  // Sort by title both ways, with the mouse and with the keyboard.
  await page.getByLabel('Search environments').fill('');
  await expect(page).toHaveURL(/\/environments$/);
  const titleHeader = page.getByRole('columnheader', { name: 'Title' });
  await expect(titleHeader).toHaveAttribute('aria-sort', 'ascending');
  const titles = () => dataRows(page).getByRole('link').allTextContents();
  const ascending = [...(await titles())].sort(collator.compare);
  expect(await titles()).toEqual(ascending);

  await titleHeader.getByRole('button').click();
  await expect(titleHeader).toHaveAttribute('aria-sort', 'descending');
  await expect(page).toHaveURL(/sort=-title/);
  expect(await titles()).toEqual([...ascending].reverse());

  await titleHeader.getByRole('button').focus();
  await page.keyboard.press('Enter');
  await expect(titleHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect(page).toHaveURL(/sort=title$/);
  expect(await titles()).toEqual(ascending);
  // Back restores the previous order.
  await page.goBack();
  await expect(titleHeader).toHaveAttribute('aria-sort', 'descending');

  // Edit: open it from a search, change the title and an installation, keep the image.
  await page.getByLabel('Search environments').fill(suffix);
  await rowOf(page, title).getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { name: `Edit “${title}”` })).toBeVisible();
  await expect(page.getByLabel('Image name')).toHaveAttribute('readonly', '');
  await expect(page.getByRole('list', { name: 'Users and groups with access' }).getByText('data-science', { exact: true })).toBeVisible();
  await expect(page.getByRole('group', { name: 'Volume mount 1' }).getByLabel('Claim name')).toHaveValue(`cache-${suffix}`);
  const renamed = `${title} (edited)`;
  await page.getByLabel('Title').fill(renamed);
  await page.getByRole('group', { name: 'Installation 2' }).getByLabel('Version').fill('4.5.2');
  await page.getByRole('button', { name: 'Save changes' }).click();

  // Back on the list, with the search it had.
  await expect(page).toHaveURL(new RegExp(`\\?q=${suffix}`));
  await expect(page.getByLabel('Search environments')).toHaveValue(suffix);
  await expect(page.getByRole('status').getByText(`Saved “${renamed}”.`)).toBeVisible();
  await expect(rowOf(page, renamed)).toContainText('4.5.2');

  // Delete, after a confirmation that names it and the content that uses it.
  const href = await rowOf(page, renamed).getByRole('link').getAttribute('href');
  const guid = href?.split('/').pop() ?? '';
  const content = await page.request.post('/__api__/v1/content', {
    data: { name: `uses-${suffix}`, title: `Report ${suffix}`, default_environment_guid: guid },
    headers: { Authorization: `Key ${accounts.admin.apiKey}` },
  });
  expect(content.ok()).toBe(true);
  await rowOf(page, renamed).getByRole('button', { name: `Delete ${renamed}` }).click();
  const dialog = page.getByRole('dialog', { name: `Delete “${renamed}”?` });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(image);
  await expect(dialog.getByRole('list', { name: 'Content using this environment' })).toContainText(`Report ${suffix}`);
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Delete environment' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('status').getByText(`Deleted “${renamed}”.`)).toBeVisible();
  await expect(page.getByText(`No environments match “${suffix}”.`)).toBeVisible();

  // Really gone on the server too.
  await page.reload();
  await expect(page.getByText(`No environments match “${suffix}”.`)).toBeVisible();
  expect(problems).toEqual([]);
});

test('problems are shown on the field they name, from the browser and from the server', async ({ page }) => {
  const problems = watchForProblems(page, ['400 /__api__/v1/environments']);
  await signInAt(page, '/environments/new', accounts.admin);
  await page.getByLabel('Title').fill(`Invalid ${uniqueSuffix()}`);
  await page.getByLabel('Image name').fill('ghcr.io/e2e/invalid:1');
  const installation = page.getByRole('group', { name: 'Installation 1' });
  await installation.getByLabel('Version').fill('3.12.1');
  await installation.getByLabel('Path').fill('/opt/python/3.12.1/bin/python3');
  // Two mounts on one target: the schema catches it before the server would.
  await page.getByRole('button', { name: 'Add volume mount' }).click();
  await page.getByRole('button', { name: 'Add volume mount' }).click();
  for (const [index, claim] of ['one', 'two'].entries()) {
    const mount = page.getByRole('group', { name: `Volume mount ${index + 1}` });
    await mount.getByLabel('Volume type').selectOption('pvc');
    await mount.getByLabel('Claim name').fill(claim);
    await mount.getByLabel('Mount path in the container').fill('/mnt/same');
  }
  await page.getByRole('button', { name: 'Add environment' }).click();
  await expect(page.getByRole('alert').getByText('One field needs attention before saving.')).toBeVisible();
  const second = page.getByRole('group', { name: 'Volume mount 2' }).getByLabel('Mount path in the container');
  await expect(second).toHaveAttribute('aria-invalid', 'true');
  await expect(second).toBeFocused();
  await expect(page.getByText('Target path is already the target of another volume mount.')).toBeVisible();
  await page.getByRole('group', { name: 'Volume mount 2' }).getByRole('button', { name: 'Remove volume mount 2' }).click();

  // What the server answers is mapped the same way: its `payload.issues` paths name API fields.
  await page.route('**/__api__/v1/environments', (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({
          status: 400,
          json: {
            code: 173,
            error: 'Invalid python.installations[0].path: is not executable in the image.',
            payload: { field: 'python.installations[0].path', issues: [{ field: 'python.installations[0].path', message: 'is not executable in the image' }] },
          },
        })
      : route.fallback(),
  );
  await page.getByRole('button', { name: 'Add environment' }).click();
  await expect(page.getByRole('alert').getByText('Not saved: the server found problems with the fields marked below.')).toBeVisible();
  await expect(installation.getByText('Path is not executable in the image.')).toBeVisible();
  await expect(installation.getByLabel('Path')).toBeFocused();
  await expect(page.getByRole('button', { name: 'Add environment' })).toBeEnabled();
  expect(problems).toEqual([]);
});
