import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { accounts } from './accounts.js';
import { seriousViolations } from './accessibility.js';
import { dataRows, rowOf, signInAt, uniqueSuffix, watchForProblems } from './support.js';

const asAdmin = { Authorization: `Key ${accounts.admin.apiKey}` };
const install = (version: string, path: string) => ({ installations: [{ version, path }] });

test.use({ viewport: { width: 1440, height: 900 } });

// The journey's environments go at the end, so later journeys find the list as it was: a
// virtualized list shows only its first screenful, which three more titles would push rows out of.
test.afterEach(async ({ request }) => {
  const listed = await request.get('/__api__/v1/environments', { headers: asAdmin });
  for (const environment of (await listed.json()) as Array<{ guid: string; name: string }>) {
    if (environment.name.includes('/e2e-filters-')) await request.delete(`/__api__/v1/environments/${environment.guid}`, { headers: asAdmin });
  }
});

test('filters by typed terms and chips kept in the address, then exports and imports a changed file through its plan', async ({ page }) => {
  const problems = watchForProblems(page);
  const suffix = uniqueSuffix();
  const image = (tag: string) => `ghcr.io/e2e-filters-${suffix}/runtime:${tag}`;
  for (const [tag, title, r] of [
    ['new', `Filters new ${suffix}`, '4.4.1'],
    ['old', `Filters old ${suffix}`, '4.2.3'],
  ] as const) {
    const created = await page.request.post('/__api__/v1/environments', {
      headers: asAdmin,
      data: { name: image(tag), title, python: install('3.11.9', '/opt/python/3.11.9/bin/python3'), r: install(r, `/opt/R/${r}/bin/R`) },
    });
    expect(created.ok()).toBe(true);
  }

  await signInAt(page, `/environments?q=${encodeURIComponent(`image:e2e-filters-${suffix}`)}`, accounts.admin);
  await expect(dataRows(page)).toHaveCount(2);

  // A version constraint, typed: one row, its matching version marked.
  const search = page.getByLabel('Search environments');
  await search.press('End');
  await search.pressSequentially(' r:>=4.3');
  await expect(dataRows(page)).toHaveCount(1);
  await expect(rowOf(page, `Filters new ${suffix}`).locator('mark')).toHaveText([`e2e-filters-${suffix}`, '4.4.1']);
  await expect(page).toHaveURL(/q=image%3Ae2e-filters-.*r%3A%3E%3D4\.3/);

  // A chip writes its term into the box and the address; Back takes it away again.
  await page.getByRole('group', { name: 'Has' }).getByRole('button', { name: 'Quarto' }).click();
  await expect(search).toHaveValue(`image:e2e-filters-${suffix} r:>=4.3 has:quarto`);
  await expect(page.getByText(/^No environments match/)).toBeVisible();
  await page.goBack();
  await expect(search).toHaveValue(`image:e2e-filters-${suffix} r:>=4.3`);
  await expect(dataRows(page)).toHaveCount(1);

  // A term the grammar cannot use says so beside the box.
  await search.fill(`image:e2e-filters-${suffix} python:latest`);
  await expect(page.getByText(/python:latest — write a version/)).toBeVisible();
  await expect(dataRows(page)).toHaveCount(2);
  expect(await seriousViolations(page)).toEqual([]);

  // Export what the search shows.
  await search.fill(`image:e2e-filters-${suffix}`);
  await expect(dataRows(page)).toHaveCount(2);
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export 2 shown' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('environments.yaml');
  const exported = await readFile((await download.path())!, 'utf8');
  expect(exported).toContain(image('new'));
  expect(exported).toContain(image('old'));
  expect(exported).toMatch(/^executionEnvironments:\n/);

  // Export one row picked by hand: only it is in the file; then the pick is let go.
  await page.getByRole('checkbox', { name: `Select Filters new ${suffix}` }).check();
  const downloadingPicked = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export 1 selected' }).click();
  const picked = await readFile((await (await downloadingPicked).path())!, 'utf8');
  expect(picked).toContain(image('new'));
  expect(picked).not.toContain(image('old'));
  await page.getByRole('button', { name: 'Clear selection' }).click();
  await expect(page.getByRole('button', { name: 'Export 2 shown' })).toBeVisible();

  // Change one title, add an image, and import the file through its plan.
  const changed =
    exported.replace(`title: Filters old ${suffix}`, `title: Filters renamed ${suffix}`) +
    `  - name: ${image('added')}\n    title: Filters added ${suffix}\n    matching: exact\n`;
  await page.getByRole('button', { name: 'Import…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import environments' });
  await dialog.getByLabel('File to import').setInputFiles({ name: 'changed.yaml', mimeType: 'application/yaml', buffer: Buffer.from(changed) });
  await expect(dialog.getByText(/3 entries — 1 to create, 1 to update, 1 unchanged, no problems/)).toBeVisible();
  await expect(dialog.getByRole('list', { name: 'To update' })).toContainText(`${image('old')} (title)`);
  expect(await seriousViolations(page)).toEqual([]);
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(dialog).toBeHidden();

  await expect(dataRows(page)).toHaveCount(3);
  await expect(rowOf(page, `Filters renamed ${suffix}`)).toHaveCount(1);
  await expect(rowOf(page, `Filters added ${suffix}`)).toHaveCount(1);

  // The same file again plans nothing.
  await page.getByRole('button', { name: 'Import…' }).click();
  await dialog.getByLabel('File to import').setInputFiles({ name: 'changed.yaml', mimeType: 'application/yaml', buffer: Buffer.from(changed) });
  await expect(dialog.getByText(/0 to create, 0 to update, 3 unchanged, no problems\. Nothing to do\./)).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Apply' })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Close' }).click();

  expect(problems).toEqual([]);
});
