import { type Page, expect, test } from '@playwright/test';
import { accounts } from './accounts.js';
import { seriousViolations } from './accessibility.js';
import { rowOf, signInAt, uniqueSuffix, watchForProblems } from './support.js';

const asAdmin = { Authorization: `Key ${accounts.admin.apiKey}` };

test.use({ viewport: { width: 1440, height: 900 } });

/** The element's box lies inside the viewport and clear of the sticky footer. */
async function expectClearOfFooter(page: Page, selector: ReturnType<Page['locator']>) {
  const box = await selector.boundingBox();
  const footer = await page.locator('.form-footer').boundingBox();
  const viewport = page.viewportSize()!;
  expect(box).not.toBeNull();
  expect(footer).not.toBeNull();
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height);
  expect(box!.y + box!.height).toBeLessThanOrEqual(footer!.y);
}

test('the add form at 1440×900: added rows, language warnings, versions checked on leaving, errors clear of the footer', async ({ page }) => {
  const problems = watchForProblems(page);
  await signInAt(page, '/environments/new', accounts.admin);
  await expect(page.getByRole('heading', { name: 'Add environment', level: 1 })).toBeVisible();

  // Rows added from the keyboard: each starts with no language and takes the focus.
  for (const n of [2, 3, 4]) {
    await page.getByRole('button', { name: 'Add installation' }).click();
    const language = page.getByRole('group', { name: `Installation ${n}` }).getByLabel('Language');
    await expect(language).toBeFocused();
    await expect(language).toHaveValue('');
  }
  const last = page.getByRole('group', { name: 'Installation 4' });
  await last.getByLabel('Language').selectOption('r');
  await expect(last.getByLabel('Version')).toHaveAttribute('placeholder', '4.4.1');

  // A version is checked when its field is left, in words for its language.
  await page.keyboard.press('Tab');
  await expect(last.getByLabel('Version')).toBeFocused();
  await page.keyboard.type('3.');
  await expect(last.getByText(/must be a version/)).toHaveCount(0);
  await page.keyboard.type('1x');
  await page.keyboard.press('Tab');
  await expect(last.getByText('Version must be a version like 4.4.1.')).toBeVisible();

  await expect(last.getByLabel('Path')).toBeFocused();

  // A row that sits under the sticky footer when the Tab key reaches it: focusing it must bring it,
  // and the error line below it, clear of the footer.
  for (let added = 0; added < 4; added++) await page.getByRole('button', { name: 'Add installation' }).click();
  const hidden = page.getByRole('group', { name: 'Installation 7' });
  await page.evaluate(() => {
    const row = document.querySelectorAll('.row-installation')[6]!;
    window.scrollBy(0, row.getBoundingClientRect().top - (window.innerHeight - 40));
  });
  const footer = (await page.locator('.form-footer').boundingBox())!;
  expect((await hidden.getByLabel('Path').boundingBox())!.y).toBeGreaterThan(footer.y);
  await page.getByRole('group', { name: 'Installation 6' }).getByRole('button', { name: /^Remove/ }).focus();
  await page.keyboard.press('Tab');
  await expect(hidden.getByLabel('Language')).toBeFocused();
  await expectClearOfFooter(page, hidden.getByLabel('Language'));
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(hidden.getByLabel('Path')).toBeFocused();
  await page.keyboard.type('opt/R/bin/R');
  await page.keyboard.press('Tab');
  const pathError = hidden.getByText('Path must be an absolute path (starting with /).');
  await expect(pathError).toBeVisible();
  await expectClearOfFooter(page, pathError);
  await expectClearOfFooter(page, hidden.getByLabel('Path'));

  // A Python interpreter on the R row: a warning, not an error.
  await last.getByLabel('Path').fill('/opt/python/3.11.9/bin/python3');
  const warning = last.getByText('This path looks like Python, not R: check the language.');
  await expect(warning).toBeVisible();
  await expect(last.getByLabel('Path')).not.toHaveAttribute('aria-invalid', 'true');
  expect(await seriousViolations(page)).toEqual([]);

  expect(problems).toEqual([]);
});

let cleanUp: (() => Promise<void>) | null = null;
test.afterEach(async () => {
  await cleanUp?.();
  cleanUp = null;
});

test('a just-added environment is highlighted and scrolled into view; its page shows its GUID and created time; Clone copies it', async ({ page, context }) => {
  const problems = watchForProblems(page);
  const suffix = uniqueSuffix();
  // Enough environments that the new one, last by title, starts out of view in the virtualized list;
  // sorted after the demo ones and removed at the end, so other journeys find the list as it was.
  const made: string[] = [];
  for (let i = 0; i < 30; i++) {
    const response = await page.request.post('/__api__/v1/environments', {
      headers: asAdmin,
      data: { name: `ghcr.io/e2e/filler-${suffix}-${i}:1`, title: `Zy filler ${suffix} ${String(i).padStart(2, '0')}` },
    });
    expect(response.status()).toBe(200);
    made.push(((await response.json()) as { guid: string }).guid);
  }
  cleanUp = async () => {
    for (const guid of made) await page.request.delete(`/__api__/v1/environments/${guid}`, { headers: asAdmin });
  };
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signInAt(page, '/environments/new', accounts.admin);
  const title = `Zz added ${suffix}`;
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Image name').fill(`ghcr.io/e2e/added-${suffix}:1`);
  const first = page.getByRole('group', { name: 'Installation 1' });
  await first.getByLabel('Version').fill('3.12.4');
  await first.getByLabel('Path').fill('/opt/python/3.12.4/bin/python3');
  await page.getByRole('button', { name: 'Add environment' }).click();
  await expect(page).toHaveURL(/\/environments(\?.*)?$/);

  const row = rowOf(page, title);
  await expect(row).toHaveAttribute('data-highlighted', 'true');
  await expect(row).toBeInViewport();
  const guid = (await row.getByRole('link', { name: title }).getAttribute('href'))!.split('/').at(-1)!;
  made.push(guid);
  expect(await seriousViolations(page)).toEqual([]);

  await row.getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { name: `Edit “${title}”`, level: 1 })).toBeVisible();
  await expect(page.getByText(guid, { exact: true })).toBeVisible();
  await expect(page.locator('.environment-facts time').first()).toBeVisible();
  await page.getByRole('button', { name: 'Copy the GUID' }).click();
  await expect(page.getByRole('status').getByText('Copied the GUID.')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(guid);
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByRole('link', { name: `Clone “${title}”` }).click();
  await expect(page.getByRole('heading', { name: 'Add environment', level: 1 })).toBeVisible();
  await expect(page.getByLabel('Title')).toHaveValue(`Copy of ${title}`);
  await expect(page.getByLabel('Image name')).toHaveValue('');
  await expect(page.getByRole('group', { name: 'Installation 1' }).getByLabel('Path')).toHaveValue('/opt/python/3.12.4/bin/python3');
  expect(problems).toEqual([]);
});
