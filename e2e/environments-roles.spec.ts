import { expect, test } from '@playwright/test';
import { accounts } from './accounts.js';
import { seriousViolations } from './accessibility.js';
import { dataRows, rowOf, signInAt, watchForProblems } from './support.js';

test('a publisher sees only the environments permitted to them, and no edit controls', async ({ page }) => {
  const problems = watchForProblems(page);
  // A deep link with a search survives signing in.
  await signInAt(page, '/environments?q=python&sort=-title', accounts.publisher);
  await expect(page).toHaveURL(/\/environments\?q=python&sort=-title$/);
  await expect(page.getByLabel('Search environments')).toHaveValue('python');
  await expect(page.getByRole('columnheader', { name: 'Title' })).toHaveAttribute('aria-sort', 'descending');

  await page.getByLabel('Search environments').fill('');
  // Granted to pat's group, data-science.
  await expect(rowOf(page, 'Custom image classifier')).toBeVisible();
  // Open to every publisher (no grants).
  await expect(rowOf(page, 'R 4.4 / Python 3.11')).toBeVisible();
  // Granted only to dana.
  await expect(page.getByRole('link', { name: 'GPU training (Python 3.11)' })).toHaveCount(0);
  await page.getByLabel('Search environments').fill('GPU training');
  await expect(dataRows(page)).toHaveCount(0);
  await expect(page.getByText('No environments match “GPU training”.')).toBeVisible();
  await page.getByRole('button', { name: 'Clear search' }).click();

  // No edit controls anywhere.
  const main = page.getByRole('main');
  await expect(main.getByRole('link', { name: 'Add environment' })).toHaveCount(0);
  await expect(main.getByRole('button', { name: /^Delete/ })).toHaveCount(0);
  await rowOf(page, 'Custom image classifier').getByRole('link').click();
  await expect(page.getByRole('heading', { name: 'Custom image classifier', level: 1 })).toBeVisible();
  const guid = page.url().split('/').at(-1)!;
  // A details page to read, not the administrators' form greyed out.
  await expect(main.getByText('registry.example.com/image-classifier:jammy')).toBeVisible();
  await expect(main.getByText(guid, { exact: true })).toBeVisible();
  await expect(main.getByRole('heading', { name: 'Installations' })).toBeVisible();
  await expect(main.getByRole('heading', { name: 'Volume mounts' })).toBeVisible();
  await expect(main.getByText('None of your content uses this environment.')).toBeVisible();
  await expect(main.getByRole('textbox')).toHaveCount(0);
  await expect(main.getByText('Only administrators can change environments.')).toHaveCount(0);
  await expect(main.getByRole('button', { name: /Save|Add|Remove|Delete/ })).toHaveCount(0);
  await expect(main.getByText('Access control')).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);

  // Content of theirs that chose it is listed; nobody else's is.
  const csrf = ((await (await page.request.get('/__api__/v1/auth/csrf')).json()) as { token: string }).token;
  const name = `classifier-report-${Date.now().toString(36)}`;
  const created = await page.request.post('/__api__/v1/content', { data: { name, title: name, default_environment_guid: guid }, headers: { 'X-CSRF-Token': csrf } });
  expect(created.status()).toBe(200);

  // Back where they were: the order chosen is kept.
  await page.locator('.back-link').click();
  await expect(page).toHaveURL(/\/environments\?sort=-title$/);
  await rowOf(page, 'Custom image classifier').getByRole('link').click();
  await expect(main.getByRole('link', { name })).toBeVisible();
  await expect(main.getByText('chose it')).toBeVisible();
  await page.locator('.back-link').click();
  await expect(page).toHaveURL(/\/environments\?sort=-title$/);
  // Gone again, so journeys after this one see pat's content as it was.
  const contentGuid = ((await created.json()) as { guid: string }).guid;
  expect((await page.request.delete(`/__api__/v1/content/${contentGuid}`, { headers: { 'X-CSRF-Token': csrf } })).status()).toBeLessThan(300);

  // The add page is refused too, whatever the address bar says.
  await page.goto('/environments/new');
  await expect(page.getByText('This page is not available to your role.')).toBeVisible();
  expect(problems).toEqual([]);
});

test('a viewer lands on Content, from /environments, from / and from the logo, and the API refuses environments', async ({ page }) => {
  const problems = watchForProblems(page);
  await signInAt(page, '/environments', accounts.viewer);

  await expect(page).toHaveURL(/\/content$/);
  await expect(page.getByRole('heading', { name: 'Content', level: 1 })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Environments' })).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
  await page.goto('/');
  await expect(page).toHaveURL(/\/content$/);
  await expect(page.getByRole('heading', { name: 'Content', level: 1 })).toBeVisible();
  await page.goto('/environments?q=python');
  await expect(page).toHaveURL(/\/content$/);
  await page.getByRole('link', { name: 'envdesk' }).click();
  await expect(page).toHaveURL(/\/content$/);
  await expect(page.getByRole('heading', { name: 'Content', level: 1 })).toBeVisible();

  const list = await page.request.get('/__api__/v1/environments');
  expect(list.status()).toBe(403);
  expect(await list.json()).toMatchObject({ code: 22 });
  const create = await page.request.post('/__api__/v1/environments', { data: { name: 'ghcr.io/e2e/viewer:1' } });
  expect(create.status()).toBe(403);
  expect(problems).toEqual([]);
});
