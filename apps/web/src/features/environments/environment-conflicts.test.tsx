import { ErrorCode, environmentEtag } from '@envdesk/domain';
import { aUser, anEnvironment } from '@envdesk/domain/testing';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../testing/fake-fetch';
import { json } from '../../testing/fake-fetch';
import { renderAppAt, setUpPageTests } from '../../testing/render-app';

const admin = aUser({ user_role: 'administrator' });
const syncOk = { enabled: true, file: null, last_error: null };

setUpPageTests();

const opened = anEnvironment({ title: 'Py 3.11', description: 'shared', updated_time: '2026-03-01T10:00:00Z' });
const theirs = { ...opened, title: 'Py 3.11 (renamed by ana)', matching: 'exact' as const, updated_time: '2026-03-01T10:00:07Z' };
const stale = {
  code: ErrorCode.BadRequest,
  error: 'This environment was changed by ana since you loaded it.',
  payload: { reason: 'stale', etag: environmentEtag(theirs), environment: theirs, updated_by: { guid: admin.guid, username: 'ana' } },
};

/** The PUT refuses any version but theirs, as the server does. */
function renderEditor() {
  const put = (request: RecordedRequest) =>
    request.headers.get('if-match') === environmentEtag(theirs)
      ? json(200, { ...theirs, ...(request.body as object), updated_time: '2026-03-01T10:00:09Z' })
      : json(412, stale);
  return renderAppAt(`/environments/${opened.guid}`, admin, {
    [`GET /__api__/v1/environments/${opened.guid}`]: () => json(200, opened),
    [`GET /__api__/v1/environments/${opened.guid}/permissions`]: () => json(200, []),
    [`PUT /__api__/v1/environments/${opened.guid}`]: put,
    'GET /__api__/v1/environments': () => json(200, [opened]),
    'GET /__api__/v1/environments/sync': () => json(200, syncOk),
  });
}

async function saveATitle(title: string) {
  const user = userEvent.setup();
  const field = await screen.findByLabelText('Title');
  await user.clear(field);
  await user.type(field, title);
  await user.click(screen.getByRole('button', { name: 'Save changes' }));
  return user;
}

describe('saving over someone else’s save', () => {
  it('sends the opened version in If-Match, then shows who changed what, field by field', async () => {
    const server = renderEditor();
    await saveATitle('Py 3.11 (mine)');

    const dialog = await screen.findByRole('dialog', { name: 'This environment was changed by someone else' });
    expect(server.requests.find((request) => request.method === 'PUT')?.headers.get('if-match')).toBe('"2026-03-01T10:00:00Z"');
    within(dialog).getByText('ana');
    const table = within(dialog).getByRole('table', { name: 'What changed since you opened the form' });
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent));
    expect(rows).toEqual([
      ['Title (you both changed it)', 'Py 3.11 (mine)', 'Py 3.11 (renamed by ana)'],
      ['Matching', 'any', 'exact'],
    ]);
    expect(window.location.pathname).toBe(`/environments/${opened.guid}`);
  });

  it('"Overwrite with mine" saves again with their version’s ETag, on purpose', async () => {
    const server = renderEditor();
    const user = await saveATitle('Py 3.11 (mine)');
    const dialog = await screen.findByRole('dialog', { name: 'This environment was changed by someone else' });
    await user.click(within(dialog).getByRole('button', { name: 'Overwrite with mine' }));

    await screen.findByText('Saved “Py 3.11 (mine)”.');
    await waitFor(() => expect(window.location.pathname).toBe('/environments'));
    const puts = server.requests.filter((request) => request.method === 'PUT');
    expect(puts.map((request) => request.headers.get('if-match'))).toEqual([environmentEtag(opened), environmentEtag(theirs)]);
    expect(puts[1]?.body).toMatchObject({ title: 'Py 3.11 (mine)', matching: 'any' });
  });

  it('"Reload their version" puts their values in the form and saves from their version next', async () => {
    const server = renderEditor();
    const user = await saveATitle('Py 3.11 (mine)');
    const dialog = await screen.findByRole('dialog', { name: 'This environment was changed by someone else' });
    await user.click(within(dialog).getByRole('button', { name: 'Reload their version' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('Py 3.11 (renamed by ana)');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(window.location.pathname).toBe('/environments'));
    expect(server.requests.filter((request) => request.method === 'PUT').at(-1)?.headers.get('if-match')).toBe(environmentEtag(theirs));
  });
});

describe('deleting a version that is no longer current', () => {
  it('keeps the environment, says who changed it and offers their version', async () => {
    const server = renderAppAt(`/environments/${opened.guid}`, admin, {
      [`GET /__api__/v1/environments/${opened.guid}`]: () => json(200, opened),
      [`GET /__api__/v1/environments/${opened.guid}/permissions`]: () => json(200, []),
      [`GET /__api__/v1/environments/${opened.guid}/content`]: () => json(200, []),
      [`DELETE /__api__/v1/environments/${opened.guid}`]: () => json(412, stale),
      'GET /__api__/v1/environments': () => json(200, [opened]),
      'GET /__api__/v1/environments/sync': () => json(200, syncOk),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Delete environment…' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Delete environment' }));

    const notice = await screen.findByRole('dialog', { name: 'Not deleted: it was changed by someone else' });
    expect(server.requests.find((request) => request.method === 'DELETE')?.headers.get('if-match')).toBe(environmentEtag(opened));
    expect(notice.textContent).toContain('ana');
    await user.click(within(notice).getByRole('button', { name: 'Reload their version' }));
    await screen.findByRole('heading', { name: 'Edit “Py 3.11 (renamed by ana)”', level: 1 });
    expect(window.location.pathname).toBe(`/environments/${opened.guid}`);
  });
});
