import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { pushLayout } from '../apps/server/src/inspection/registry/testing/push-layout.js';
import { type TestRegistry, startTestRegistry } from '../apps/server/src/inspection/registry/testing/registry-process.js';
import { aDataScienceImage, writeOciLayout } from '../apps/server/src/inspection/testing/image-builders.js';
import { seriousViolations } from './accessibility.js';
import { accounts } from './accounts.js';
import { registryHost, registryPort } from './e2e-server.js';
import { rowOf, signInAt, uniqueSuffix, watchForProblems } from './support.js';

/**
 * Issue 12: an administrator adds an environment for an image in a registry without typing a path
 * or a version. The registry is real (Debian's `docker-registry`, anonymous, on the port the server
 * was told is plain http), holding an image the server tests' builders write: R, Python and Quarto
 * in their homes, over layers in gzip, zstd and none, with a whiteout and an opaque folder.
 */

const repository = `e2e/data-science-${uniqueSuffix()}`;
const image = `${registryHost}/${repository}:2026.01`;
let registry: TestRegistry;
let folder: string;

test.beforeAll(async () => {
  registry = await startTestRegistry({ port: registryPort });
  folder = await mkdtemp(path.join(tmpdir(), 'envdesk-e2e-image-'));
  const layout = await writeOciLayout(
    path.join(folder, 'layout'),
    [aDataScienceImage({ platform: { os: 'linux', architecture: 'amd64' } }), aDataScienceImage({ platform: { os: 'linux', architecture: 'arm64' }, rVersion: '4.5.0' })],
    { tag: '2026.01' },
  );
  await pushLayout({ host: registry.host, repository }, layout, '2026.01');
});

test.afterAll(async () => {
  await registry?.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

test('an administrator inspects a registry image from the add form and saves what it found', async ({ page }) => {
  const problems = watchForProblems(page);
  const title = `Inspected ${uniqueSuffix()}`;
  await signInAt(page, '/environments', accounts.admin);
  await page.getByRole('link', { name: 'Add environment' }).click();
  await expect(page.getByRole('heading', { name: 'Add environment', level: 1 })).toBeVisible();

  // Nothing to inspect yet: the button says why.
  const inspect = page.getByRole('button', { name: 'Inspect image' });
  await expect(inspect).toHaveAttribute('aria-disabled', 'true');
  await expect(inspect).toHaveAccessibleDescription(/^Type an image name to inspect it/);

  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Image name').fill(image);
  await expect(inspect).not.toHaveAttribute('aria-disabled');
  await inspect.focus();
  await page.keyboard.press('Enter');

  // The task's lines: the manifest, each of the four layers, then what was found.
  const log = page.getByRole('log', { name: 'Inspection progress' });
  await expect(log).toContainText('Found R 4.4.1 / Python 3.11.9 / Quarto 1.5.57.', { timeout: 20_000 });
  await expect(log).toContainText('(linux/amd64)');
  await expect(log).toContainText('layer 4/4');

  const checklist = page.getByRole('group', { name: `Found in ${image}` });
  await expect(checklist.getByText('Remove any detected installations that you do not want', { exact: false })).toBeVisible();
  await expect(checklist.getByText('linux/arm64')).toBeVisible();
  const boxes = checklist.getByRole('checkbox');
  await expect(boxes).toHaveCount(3);
  for (const box of await boxes.all()) await expect(box).toBeChecked();
  const r = checklist.getByRole('checkbox', { name: 'R 4.4.1 /opt/R/4.4.1/bin/R' });
  await expect(r).toHaveAccessibleDescription('Version read from /opt/R/4.4.1/lib/R/library/base/DESCRIPTION.');
  expect(await seriousViolations(page)).toEqual([]);
  await checklist.getByRole('button', { name: 'Use the ticked installations' }).click();
  await expect(page.getByText('Added 3 installations from the image. Check them below, then save.').first()).toBeVisible();

  const rows = page.getByRole('group', { name: /^Installation \d$/ });
  await expect(rows).toHaveCount(3);
  const filled = [];
  for (const row of await rows.all()) {
    filled.push([await row.getByLabel('Language').inputValue(), await row.getByLabel('Version').inputValue(), await row.getByLabel('Path').inputValue()]);
  }
  expect(filled).toEqual([
    ['python', '3.11.9', expect.stringMatching(/^\/opt\/python\/3\.11\.9\/bin\/python/)],
    ['quarto', '1.5.57', '/opt/quarto/bin/quarto'],
    ['r', '4.4.1', '/opt/R/4.4.1/bin/R'],
  ]);

  await page.getByRole('button', { name: 'Add environment' }).click();
  await expect(page).toHaveURL(/\/environments$/);
  await expect(page.getByRole('status').getByText(`Added “${title}”.`)).toBeVisible();
  await page.getByLabel('Search environments').fill(title);
  const row = rowOf(page, title);
  await expect(row).toContainText('4.4.1');
  await expect(row).toContainText('3.11.9');
  expect(problems).toEqual([]);

  // Removed again, so later journeys find the list as the demo data left it.
  const listed = (await (await page.request.get('/__api__/v1/environments', { headers: { Authorization: `Key ${accounts.admin.apiKey}` } })).json()) as Array<{ guid: string; name: string }>;
  for (const environment of listed.filter((entry) => entry.name === image)) {
    expect((await page.request.delete(`/__api__/v1/environments/${environment.guid}`, { headers: { Authorization: `Key ${accounts.admin.apiKey}` } })).status()).toBe(204);
  }
});
