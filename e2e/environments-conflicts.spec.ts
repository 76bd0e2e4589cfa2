import { createHash } from 'node:crypto';
import { type APIRequestContext, type BrowserContext, type Page, expect, test } from '@playwright/test';
import SQLite from 'better-sqlite3';
import { seriousViolations } from './accessibility.js';
import { accounts } from './accounts.js';
import { databaseFile } from './e2e-server.js';
import { type Credentials, signInAt, uniqueSuffix, watchForProblems } from './support.js';

const asAdmin = { Authorization: `Key ${accounts.admin.apiKey}` };

/** An environment of this journey's own, made through the API. */
async function anEnvironment(request: APIRequestContext, title: string): Promise<{ guid: string }> {
  const response = await request.post('/__api__/v1/environments', {
    headers: asAdmin,
    data: {
      title,
      name: `ghcr.io/e2e/conflict-${uniqueSuffix()}:1`,
      python: { installations: [{ version: '3.11.9', path: '/opt/python/3.11.9/bin/python' }] },
    },
  });
  expect(response.status()).toBe(200);
  return (await response.json()) as { guid: string };
}

/** A second administrator, so the conflict can say who saved first. */
async function anotherAdministrator(request: APIRequestContext): Promise<Credentials> {
  const credentials = { username: `ana-${uniqueSuffix()}`, password: 'second-admin-password' };
  const response = await request.post('/__api__/v1/users', { headers: asAdmin, data: { ...credentials, user_role: 'administrator' } });
  expect(response.status()).toBe(200);
  return credentials;
}

/** Ends this context's session on the server, as an expiry would: its cookie no longer opens anything. */
async function expireSession(context: BrowserContext): Promise<void> {
  const cookie = (await context.cookies()).find((item) => item.name === 'envdesk_session');
  expect(cookie).toBeDefined();
  const database = new SQLite(databaseFile);
  try {
    database.pragma('busy_timeout = 5000');
    const tokenHash = createHash('sha256').update(cookie?.value ?? '').digest('hex');
    expect(database.prepare('delete from sessions where token_hash = ?').run(tokenHash).changes).toBe(1);
  } finally {
    database.close();
  }
}

async function openForm(page: Page, guid: string, title: string) {
  await page.goto(`/environments/${guid}`);
  await expect(page.getByRole('heading', { name: `Edit “${title}”` })).toBeVisible();
}

test('two administrators edit one environment: the second save shows the comparison, and reload and overwrite both work', async ({ page, browser, request }) => {
  const title = `Conflict ${uniqueSuffix()}`;
  const environment = await anEnvironment(request, title);
  const ana = await anotherAdministrator(request);
  // The stale save is refused with 412 on purpose, once per attempt below.
  const problems = watchForProblems(page, [`412 /__api__/v1/environments/${environment.guid}`]);
  await signInAt(page, '/environments', accounts.admin);
  await openForm(page, environment.guid, title);

  // Ana opens the same environment in her own browser and saves first.
  const anasContext = await browser.newContext();
  const anasPage = await anasContext.newPage();
  await signInAt(anasPage, '/environments', ana);
  await openForm(anasPage, environment.guid, title);
  await anasPage.getByLabel('Title').fill(`${title} (Ana)`);
  await anasPage.getByRole('group', { name: 'Installation 1' }).getByLabel('Version').fill('3.11.10');
  await anasPage.getByRole('button', { name: 'Save changes' }).click();
  await expect(anasPage.getByRole('status').getByText(`Saved “${title} (Ana)”.`)).toBeVisible();

  // The administrator, still on the version first opened, changes the title and the description.
  await page.getByLabel('Title').fill(`${title} (admin)`);
  await page.getByLabel('Description (optional)').fill('Described by the administrator.');
  await page.getByRole('button', { name: 'Save changes' }).click();

  const dialog = page.getByRole('dialog', { name: 'This environment was changed by someone else' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText(ana.username)).toBeVisible();
  const table = dialog.getByRole('table', { name: 'What changed since you opened the form' });
  await expect(table.getByRole('row')).toHaveText([
    /Field\s*Your value\s*Their current value/,
    new RegExp(`Title \\(you both changed it\\)\\s*${title} \\(admin\\)\\s*${title} \\(Ana\\)`),
    /Python\s*3\.11\.9 at \/opt\/python\/3\.11\.9\/bin\/python\s*3\.11\.10 at \/opt\/python\/3\.11\.9\/bin\/python/,
  ]);
  expect(await seriousViolations(page)).toEqual([]);

  // Reload: the form now holds Ana's version, and the administrator's edits are gone.
  await dialog.getByRole('button', { name: 'Reload their version' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByLabel('Title')).toHaveValue(`${title} (Ana)`);
  await expect(page.getByRole('group', { name: 'Installation 1' }).getByLabel('Version')).toHaveValue('3.11.10');

  // Ana saves again; this time the administrator overwrites on purpose.
  await openForm(anasPage, environment.guid, `${title} (Ana)`);
  await anasPage.getByLabel('Description (optional)').fill('Ana again.');
  await anasPage.getByRole('button', { name: 'Save changes' }).click();
  await expect(anasPage.getByRole('status').getByText(/Saved/)).toBeVisible();
  await anasContext.close();

  await page.getByLabel('Title').fill(`${title} (final)`);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('row', { name: /Description/ })).toContainText('Ana again.');
  await dialog.getByRole('button', { name: 'Overwrite with mine' }).click();
  await expect(page).toHaveURL(/\/environments$/);
  await expect(page.getByRole('status').getByText(`Saved “${title} (final)”.`)).toBeVisible();

  const saved = await (await request.get(`/__api__/v1/environments/${environment.guid}`, { headers: asAdmin })).json();
  // Overwrite sends the whole form: Ana's reloaded installation stays, her second description is replaced.
  expect(saved).toMatchObject({ title: `${title} (final)`, description: null, python: { installations: [{ version: '3.11.10' }] } });
  expect(problems).toEqual([]);
});

test('a draft survives the session ending: after signing in again the form is back as it was', async ({ page, context, request }) => {
  const title = `Draft ${uniqueSuffix()}`;
  const environment = await anEnvironment(request, title);
  const problems = watchForProblems(page, ['401 /__api__/v1/auth/csrf', `401 /__api__/v1/environments/${environment.guid}`]);
  await signInAt(page, '/environments', accounts.admin);
  await openForm(page, environment.guid, title);
  await page.getByLabel('Title').fill(`${title} (edited before expiry)`);
  await page.getByRole('button', { name: 'Add installation' }).click();
  const added = page.getByRole('group', { name: 'Installation 2' });
  await added.getByLabel('Language').selectOption('r');
  await added.getByLabel('Version').fill('4.4.1');
  await added.getByLabel('Path').fill('/opt/R/4.4.1/bin/R');

  await expireSession(context);
  await page.getByRole('button', { name: 'Save changes' }).click();

  // Sent to sign in, and brought back to the form with everything as it was.
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Username').fill(accounts.admin.username);
  await page.getByLabel('Password').fill(accounts.admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`/environments/${environment.guid}$`));
  await expect(page.getByRole('status').getByText(/Your unsaved changes from .* were restored/)).toBeVisible();
  await expect(page.getByLabel('Title')).toHaveValue(`${title} (edited before expiry)`);
  await expect(page.getByRole('group', { name: 'Installation 2' }).getByLabel('Path')).toHaveValue('/opt/R/4.4.1/bin/R');
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').getByText(`Saved “${title} (edited before expiry)”.`)).toBeVisible();
  // Saved: the draft is gone, so opening the form again shows the saved record and no notice.
  await openForm(page, environment.guid, `${title} (edited before expiry)`);
  await expect(page.getByText(/were restored/)).toHaveCount(0);
  expect(await page.evaluate(() => window.sessionStorage.length)).toBe(0);
  expect(problems).toEqual([]);
});

test('leaving a form with unsaved changes asks first: a link, Back, and closing the tab', async ({ page, request }) => {
  const title = `Leave ${uniqueSuffix()}`;
  const environment = await anEnvironment(request, title);
  const problems = watchForProblems(page);
  await signInAt(page, '/environments', accounts.admin);
  await page.getByLabel('Search environments').fill(title);
  await page.getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { name: `Edit “${title}”` })).toBeVisible();
  await page.getByLabel('Title').fill(`${title} (unsaved)`);

  // A link: staying keeps the edit.
  const questions: string[] = [];
  page.once('dialog', (dialog) => {
    questions.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.getByRole('link', { name: 'Content', exact: true }).click();
  await expect.poll(() => questions).toEqual(['confirm: Leave this page? Your unsaved changes to this environment will be lost.']);
  await expect(page).toHaveURL(new RegExp(`/environments/${environment.guid}$`));
  await expect(page.getByLabel('Title')).toHaveValue(`${title} (unsaved)`);

  // Back: staying puts the address back.
  page.once('dialog', (dialog) => {
    questions.push(dialog.type());
    void dialog.dismiss();
  });
  await page.goBack({ waitUntil: 'commit' });
  await expect.poll(() => questions).toHaveLength(2);
  await expect(page).toHaveURL(new RegExp(`/environments/${environment.guid}$`));
  await expect(page.getByLabel('Title')).toHaveValue(`${title} (unsaved)`);

  // Closing the tab: the browser's own question (beforeunload).
  page.once('dialog', (dialog) => {
    questions.push(dialog.type());
    void dialog.dismiss();
  });
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => questions).toEqual([expect.any(String), 'confirm', 'beforeunload']);
  expect(problems).toEqual([]);
});
