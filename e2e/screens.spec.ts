import { type Page, expect, test } from '@playwright/test';
import { violationsInBothSchemes } from './accessibility.js';
import { accounts } from './accounts.js';
import { pythonApiBundle } from './bundle-archive.js';
import { signInAt, uniqueSuffix } from './support.js';

const asAdmin = { Authorization: `Key ${accounts.admin.apiKey}` };
const phone = { width: 390, height: 844 };
const desktop = { width: 1440, height: 900 };

/** How far the page reaches past the window's right edge, in CSS pixels (0: nothing scrolls sideways). */
const sidewaysOverflow = (page: Page) =>
  page.evaluate(() => Math.max(0, (document.scrollingElement?.scrollWidth ?? 0) - window.innerWidth));

/** A content item with a deployed bundle, made through the API. */
async function deployedContent(page: Page): Promise<{ guid: string; title: string }> {
  const suffix = uniqueSuffix();
  const title = `On a phone ${suffix}`;
  const created = await page.request.post('/__api__/v1/content', { data: { name: `phone-${suffix}`, title }, headers: asAdmin });
  expect(created.ok()).toBe(true);
  const { guid } = (await created.json()) as { guid: string };
  const upload = await page.request.post(`/__api__/v1/content/${guid}/bundles`, {
    data: pythonApiBundle('3.10.11'),
    headers: { ...asAdmin, 'Content-Type': 'application/gzip' },
  });
  expect(upload.ok()).toBe(true);
  expect((await page.request.post(`/__api__/v1/content/${guid}/deploy`, { data: {}, headers: asAdmin })).status()).toBe(202);
  return { guid, title };
}

/** An environment made and deleted through the API, so Recently deleted lists something. */
async function deletedEnvironment(page: Page): Promise<string> {
  const title = `Deleted on a phone ${uniqueSuffix()}`;
  const created = await page.request.post('/__api__/v1/environments', {
    headers: asAdmin,
    data: { title, name: `registry.example.com/data-science/deleted-on-a-phone-${uniqueSuffix()}:r4.4-py3.12` },
  });
  expect(created.status()).toBe(200);
  const { guid } = (await created.json()) as { guid: string };
  expect((await page.request.delete(`/__api__/v1/environments/${guid}`, { headers: asAdmin })).ok()).toBe(true);
  return title;
}

/** Each page as a journey reaches it, ready to be judged. */
function pages(content: { guid: string; title: string }) {
  return [
    {
      name: 'Environments',
      open: async (page: Page) => {
        await page.goto('/environments');
        await expect(page.getByRole('table', { name: 'Environments' })).toBeVisible();
      },
    },
    {
      name: 'an environment',
      open: async (page: Page) => {
        // Searched for, as on a phone only a few cards are in the DOM at once.
        await page.goto(`/environments?q=${encodeURIComponent('R 4.3 / Python 3.10')}`);
        await page.getByRole('link', { name: 'R 4.3 / Python 3.10', exact: true }).click();
        await expect(page.getByRole('heading', { name: 'Edit “R 4.3 / Python 3.10”' })).toBeVisible();
      },
    },
    {
      name: 'Add environment',
      open: async (page: Page) => {
        await page.goto('/environments/new');
        await page.getByRole('button', { name: 'Add volume mount' }).click();
        await expect(page.getByLabel('Image name')).toBeVisible();
      },
    },
    {
      name: 'Recently deleted',
      open: async (page: Page) => {
        await page.goto('/environments/deleted');
        await expect(page.getByRole('heading', { name: /Recently deleted/, level: 1 })).toBeVisible();
      },
    },
    {
      name: 'Content',
      open: async (page: Page) => {
        await page.goto('/content');
        await expect(page.getByRole('table', { name: 'Content' })).toBeVisible();
      },
    },
    {
      name: 'a content page with the picker',
      open: async (page: Page) => {
        await page.goto(`/content/${content.guid}`);
        await expect(page.getByRole('heading', { name: content.title, level: 1 })).toBeVisible();
        const runtime = page.getByRole('region', { name: 'Runtime' });
        await runtime.getByRole('radio', { name: 'Use a specific environment' }).check();
        await expect(runtime.getByRole('table', { name: 'Environments to choose from' })).toBeVisible();
      },
    },
    {
      name: 'API keys',
      open: async (page: Page) => {
        await page.goto('/keys');
        await expect(page.getByRole('heading', { name: 'API keys', level: 1 })).toBeVisible();
      },
    },
  ];
}

test('on a 390-wide phone no page scrolls sideways, tables are cards, and axe finds nothing in either colour scheme', async ({ page }) => {
  test.setTimeout(120_000);
  const content = await deployedContent(page);
  const deleted = await deletedEnvironment(page);
  await page.setViewportSize(phone);
  await page.goto('/signin');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  expect(await sidewaysOverflow(page), 'sign-in scrolls sideways').toBe(0);
  expect(await violationsInBothSchemes(page), 'sign-in').toEqual([]);
  await signInAt(page, '/environments', accounts.admin);

  // A card: its title, its image with the tag visible, its versions labelled by language.
  await page.getByLabel('Search environments').fill('R 4.3 / Python 3.10');
  const card = page
    .getByRole('table', { name: 'Environments' })
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: 'R 4.3 / Python 3.10', exact: true }) });
  await expect(card.getByRole('link', { name: 'R 4.3 / Python 3.10', exact: true })).toBeVisible();
  const image = card.locator('td[data-column="name"] .middle-truncate');
  await expect(image).toBeVisible();
  await expect(image.locator('.middle-truncate-end')).toBeVisible();
  await expect(card.locator('td[data-column="python"]')).toBeVisible();
  await expect(card.locator('td[data-column="python"]')).toContainText('3.10');
  const python = await card.locator('td[data-column="python"]').evaluate((cell) => getComputedStyle(cell, '::before').content);
  expect(python).toContain('Python');
  // One card is one block of the list: its title sits above its image.
  const [titleBox, imageBox] = await Promise.all([card.getByRole('link').first().boundingBox(), image.boundingBox()]);
  expect(imageBox?.y ?? 0).toBeGreaterThan(titleBox?.y ?? 0);
  expect(imageBox?.width ?? 0).toBeLessThanOrEqual(phone.width);

  for (const { name, open } of pages(content)) {
    await test.step(name, async () => {
      await open(page);
      expect(await sidewaysOverflow(page), `${name} scrolls sideways`).toBe(0);
      expect(await violationsInBothSchemes(page), name).toEqual([]);
    });
  }

  // The small tables are cards too: the deleted environment's row, its time labelled.
  await page.goto('/environments/deleted');
  const deletedRow = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(deleted) }) });
  await expect(deletedRow.locator('.middle-truncate-end')).toHaveText(':r4.4-py3.12');
  const deletedCell = deletedRow.locator('td[data-label="Deleted"]');
  expect(await deletedCell.evaluate((cell) => getComputedStyle(cell).display)).toBe('block');
  expect(await deletedCell.evaluate((cell) => getComputedStyle(cell, '::before').content)).toContain('Deleted');

  // The forms are one column: the installation row's fields are stacked.
  await page.goto('/environments/new');
  await page.getByRole('button', { name: 'Add installation' }).click();
  const fields = page.locator('.row-installation .field');
  const boxes = await fields.evaluateAll((elements) => elements.map((element) => element.getBoundingClientRect().left));
  expect(new Set(boxes.map(Math.round)).size).toBe(1);
});

test('at desktop width every page passes axe in the light and the dark colour scheme', async ({ page }) => {
  test.setTimeout(120_000);
  const content = await deployedContent(page);
  await page.setViewportSize(desktop);
  await page.goto('/signin');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  expect(await violationsInBothSchemes(page), 'sign-in').toEqual([]);
  await signInAt(page, '/environments', accounts.admin);
  for (const { name, open } of pages(content)) {
    await test.step(name, async () => {
      await open(page);
      expect(await violationsInBothSchemes(page), name).toEqual([]);
    });
  }
  // The dark scheme is the dark palette, not the light one with dark controls.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/environments');
  const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  expect(background).toBe('rgb(17, 21, 27)');
});
