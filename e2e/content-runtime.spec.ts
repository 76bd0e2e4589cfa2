import { type Page, expect, test } from '@playwright/test';
import { accounts } from './accounts.js';
import { pythonApiBundle } from './bundle-archive.js';
import { signInAt, uniqueSuffix, watchForProblems } from './support.js';

const runtime = (page: Page) => page.getByRole('region', { name: 'Runtime' });
const toast = (page: Page, text: string | RegExp) => page.getByRole('status').getByText(text);

async function uploadBundle(page: Page, pythonVersion: string): Promise<void> {
  await page.getByLabel('Bundle archive (.tar.gz)').setInputFiles({
    name: `api-py${pythonVersion}.tar.gz`,
    mimeType: 'application/gzip',
    buffer: pythonApiBundle(pythonVersion),
  });
  await page.getByRole('button', { name: 'Upload bundle' }).click();
  await expect(toast(page, /^Uploaded bundle \d+/)).toBeVisible();
}

async function deployLatest(page: Page, title: string): Promise<void> {
  await page.getByRole('list', { name: 'Bundles, newest first' }).getByRole('button', { name: /^Deploy bundle/ }).first().click();
  await expect(toast(page, `Deployed “${title}”.`)).toBeVisible({ timeout: 15_000 });
}

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The one toast on screen covers none of the page's actions, nor the deploy log. */
async function expectToastClearOfActions(page: Page): Promise<void> {
  const toastBox = await page.locator('.toast').boundingBox();
  expect(toastBox).not.toBeNull();
  const actions = [
    page.getByRole('button', { name: 'Delete content…' }),
    ...(await page.getByRole('button', { name: /^Deploy bundle/ }).all()),
    // The deploy started here streams into a live log.
    page.getByRole('log', { name: /^Log of deploy/ }).first(),
  ];
  for (const action of actions) {
    await expect(action).toBeVisible();
    const box = await action.boundingBox();
    expect(overlaps(toastBox!, box!), `the toast covers ${await action.textContent()}`).toBe(false);
  }
}

test('a publisher switches a content item from Automatic to a specific environment and back, and sees why an incompatible one cannot be chosen', async ({
  page,
}) => {
  const problems = watchForProblems(page);
  const suffix = uniqueSuffix();
  const title = `Forecast API ${suffix}`;
  await signInAt(page, '/content', accounts.publisher);
  await expect(page.getByRole('heading', { name: 'Content', level: 1 })).toBeVisible();

  // New content: a name and a title.
  await page.getByRole('button', { name: 'New content' }).click();
  const dialog = page.getByRole('dialog', { name: 'New content' });
  await expect(dialog.getByLabel('Name')).toBeFocused();
  await dialog.getByLabel('Name').fill('no');
  await dialog.getByRole('button', { name: 'Create content' }).click();
  await expect(dialog.getByText('Name must be at least 3 characters.')).toBeVisible();
  await dialog.getByLabel('Name').fill(`forecast-${suffix}`);
  await dialog.getByLabel('Title (optional)').fill(title);
  await dialog.getByRole('button', { name: 'Create content' }).click();
  await expect(page).toHaveURL(/\/content\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
  await expect(toast(page, `Created “${title}”.`)).toBeVisible();

  // Without a bundle the picker cannot judge compatibility, and says so.
  await expect(runtime(page).getByRole('radio', { name: 'Automatic' })).toBeChecked();
  await runtime(page).getByRole('radio', { name: 'Use a specific environment' }).check();
  await expect(runtime(page).getByText(/has no bundle yet, so compatibility is known only after the first upload/)).toBeVisible();
  await runtime(page).getByRole('radio', { name: 'Automatic' }).check();
  await expect(runtime(page).getByRole('button', { name: 'Save runtime' })).toBeDisabled();

  // Upload a Python 3.11 bundle through the file input, and deploy it: Automatic picks R 4.4 / Python 3.11.
  await uploadBundle(page, '3.11.4');
  await deployLatest(page, title);
  // One toast at a time (the "Deploying…" one was replaced), clear of Delete, Deploy and the log.
  await expect(page.locator('.toast')).toHaveCount(1);
  await expectToastClearOfActions(page);
  const firstLog = page.getByRole('log', { name: 'Log of deploy 1' });
  await expect(firstLog).toContainText('is compatible with environment Kubernetes::ghcr.io/my-org/connect-runtime:r4.4-py3.11');
  await expect(page.getByRole('list', { name: 'Deploys, newest first' }).getByText('Succeeded')).toBeVisible();
  await expect(runtime(page).getByText('For the latest bundle that is “R 4.4 / Python 3.11”.')).toBeVisible();
  await expect(page.getByText('Rebuilds on next deploy')).toHaveCount(0);

  // Use a specific environment: the picker searches like the Environments tab.
  await runtime(page).getByRole('radio', { name: 'Use a specific environment' }).check();
  await expect(runtime(page).getByText('No environment chosen yet: pick one in the list below.')).toBeVisible();
  const picker = runtime(page).getByRole('table', { name: 'Environments to choose from' });
  // Compatible first, and only those at first: the filter is on.
  const onlyCompatible = runtime(page).getByRole('checkbox', { name: 'Only environments that can run it' });
  await expect(onlyCompatible).toBeChecked();
  await expect(picker.getByRole('columnheader', { name: 'Compatibility' })).toHaveAttribute('aria-sort', 'ascending');
  await expect(picker.getByRole('radio', { name: 'R 4.3 / Python 3.10', exact: true })).toHaveCount(0);
  await onlyCompatible.uncheck();
  await runtime(page).getByLabel('Search environments').fill('3.1');
  await expect(runtime(page).getByText(/^\d+ of \d+ environments$/)).toBeVisible();
  // Incompatible: listed with the reason, and cannot be chosen.
  const older = picker.getByRole('radio', { name: 'R 4.3 / Python 3.10', exact: true });
  await expect(older).toBeDisabled();
  await expect(older).toHaveAccessibleDescription(/Incompatible\s*No Python 3\.11 installation \(has 3\.10\.12\)/);
  const olderRow = picker.getByRole('row').filter({ has: page.getByRole('radio', { name: 'R 4.3 / Python 3.10', exact: true }) });
  await expect(olderRow).toContainText('No Python 3.11 installation (has 3.10.12)');
  // Not granted to pat: not offered at all.
  await expect(picker.getByRole('radio', { name: 'GPU training (Python 3.11)' })).toHaveCount(0);
  // Sorting works as on the tab.
  await picker.getByRole('columnheader', { name: 'Python' }).getByRole('button').click();
  await expect(picker.getByRole('columnheader', { name: 'Python' })).toHaveAttribute('aria-sort', 'ascending');

  await runtime(page).getByLabel('Search environments').fill('3.11');
  const chosen = picker.getByRole('radio', { name: 'R 4.4 / Python 3.11', exact: true });
  await expect(chosen).toBeEnabled();
  await expect(chosen).toHaveAccessibleDescription(/Compatible\s*Uses Python 3\.11\.3/);
  await chosen.check();
  await expect(runtime(page).getByText('Chosen: R 4.4 / Python 3.11')).toBeVisible();
  await runtime(page).getByRole('button', { name: 'Save runtime' }).click();
  await expect(toast(page, `Saved: “${title}” builds and runs in “R 4.4 / Python 3.11”. It rebuilds on its next deploy.`)).toBeVisible();
  await expect(runtime(page).getByText('Rebuilds on next deploy')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 }).locator('..').getByText('Rebuilds on next deploy')).toBeVisible();

  // Saved on the server: a reload shows the choice.
  await page.reload();
  await expect(runtime(page).getByRole('radio', { name: 'Use a specific environment' })).toBeChecked();
  await expect(runtime(page).getByRole('radio', { name: 'R 4.4 / Python 3.11', exact: true })).toBeChecked();

  // Back to Automatic.
  await runtime(page).getByRole('radio', { name: 'Automatic' }).check();
  await expect(runtime(page).getByRole('table')).toHaveCount(0);
  await runtime(page).getByRole('button', { name: 'Save runtime' }).click();
  await expect(toast(page, `Saved: “${title}” chooses its environment automatically. It rebuilds on its next deploy.`)).toBeVisible();
  await expect(runtime(page).getByRole('radio', { name: 'Automatic' })).toBeChecked();
  await expect(runtime(page).getByRole('button', { name: 'Save runtime' })).toBeDisabled();

  // The next deploy rebuilds, and the mark goes.
  await deployLatest(page, title);
  await expect(page.getByRole('log', { name: 'Log of deploy 2' })).toContainText('Python packages will be restored.');
  await expect(page.getByText('Rebuilds on next deploy')).toHaveCount(0);

  // The list shows it, with its environment choice.
  await page.getByRole('link', { name: 'Content', exact: true }).last().click();
  const row = page.getByRole('table', { name: 'Content' }).getByRole('row').filter({ hasText: title });
  await expect(row).toContainText('Automatic');
  expect(problems).toEqual([]);
});

test('a broken bundle is refused with the reason, and a viewer only reads content', async ({ page, browser }) => {
  const problems = watchForProblems(page);
  const suffix = uniqueSuffix();
  const created = await page.request.post('/__api__/v1/content', {
    // Open to every signed-in user, so that the viewer below sees it.
    data: { name: `broken-${suffix}`, title: `Broken ${suffix}`, access_type: 'logged_in' },
    headers: { Authorization: `Key ${accounts.admin.apiKey}` },
  });
  expect(created.ok()).toBe(true);
  const { guid } = (await created.json()) as { guid: string };

  await signInAt(page, `/content/${guid}`, accounts.admin);
  await expect(page.getByRole('heading', { name: `Broken ${suffix}`, level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Upload bundle' }).click();
  await expect(page.getByText('Choose a .tar.gz bundle archive first.')).toBeVisible();
  await page.getByLabel('Bundle archive (.tar.gz)').setInputFiles({ name: 'notes.tar.gz', mimeType: 'application/gzip', buffer: Buffer.from('not an archive') });
  await page.getByRole('button', { name: 'Upload bundle' }).click();
  await expect(page.getByText(/^The bundle was not uploaded\. The bundle /)).toBeVisible();
  await expect(page.getByLabel('Bundle archive (.tar.gz)')).toHaveAttribute('aria-invalid', 'true');
  // The refused upload is the only failed request.
  expect(problems).toEqual([`400 /__api__/v1/content/${guid}/bundles`]);

  // A viewer sees the list and the item, without runtime, bundles or any action.
  const context = await browser.newContext();
  const viewer = await context.newPage();
  const viewerProblems = watchForProblems(viewer);
  await signInAt(viewer, '/content', accounts.viewer);
  await expect(viewer.getByRole('heading', { name: 'Content', level: 1 })).toBeVisible();
  await expect(viewer.getByRole('button', { name: 'New content' })).toHaveCount(0);
  await viewer.getByLabel('Search content').fill(suffix);
  await viewer.getByRole('link', { name: `Broken ${suffix}` }).click();
  await expect(viewer.getByText('Only the content’s owner, its collaborators and administrators can see and change its runtime, bundles and deploys.')).toBeVisible();
  await expect(viewer.getByRole('region', { name: 'Runtime' })).toHaveCount(0);
  await expect(viewer.getByRole('button')).toHaveCount(1); // Sign out
  expect(viewerProblems).toEqual([]);
  await context.close();
});
