import { ErrorCode } from '@envdesk/domain';
import { aUser } from '@envdesk/domain/testing';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { type RecordedRequest, json } from '../../testing/fake-fetch';
import { renderAppAt, setUpPageTests } from '../../testing/render-app';
import { aContent } from './content-test-data';

const admin = aUser({ user_role: 'administrator', first_name: 'Ada', last_name: 'Admin' });
const pat = aUser({ user_role: 'publisher', username: 'pat', first_name: 'Pat', last_name: 'Publisher' });
const dana = aUser({ user_role: 'publisher', username: 'dana', first_name: 'Dana', last_name: 'Data' });
const viewer = aUser({ user_role: 'viewer' });

const report = aContent(pat, { name: 'report', title: 'Quarterly report', needs_rebuild: true, default_image_name: 'ghcr.io/org/runtime:r4.4', default_environment_guid: 'bbbbbbbb-0000-4000-8000-000000000001' });
const api = aContent(dana, { name: 'forecast-api', title: 'Forecast API', last_deployed_time: '2026-03-01T10:00:00Z' });

const table = () => screen.findByRole('table', { name: 'Content' });
const listRequest = (requests: readonly RecordedRequest[]) => requests.find((request) => request.path === '/__api__/v1/content');
const rowOf = async (title: string) => (await screen.findByRole('link', { name: title })).closest('tr') as HTMLElement;

setUpPageTests();

describe('the Content list', () => {
  it('keeps its search and order in the address, so Back and a reload restore them', async () => {
    const handlers = { 'GET /__api__/v1/content': () => json(200, [report, api]) };
    renderAppAt('/content', admin, handlers);
    await table();
    const user = userEvent.setup();
    const search = () => screen.getByLabelText('Search content') as HTMLInputElement;

    await user.type(search(), 'dana');
    await waitFor(() => expect(window.location.search).toBe('?q=dana'));
    await user.click(within(screen.getByRole('columnheader', { name: 'Last deployed' })).getByRole('button'));
    expect(window.location.search).toBe('?q=dana&sort=-deployed');
    await user.clear(search());
    await user.type(search(), 'report');
    await waitFor(() => expect(window.location.search).toBe('?q=report&sort=-deployed'));

    // Back undoes the new order, with the search typed before it.
    window.history.back();
    await waitFor(() => expect(search().value).toBe('dana'));
    expect(window.location.search).toBe('?q=dana');
    expect(screen.getByRole('columnheader', { name: 'Title' }).getAttribute('aria-sort')).toBe('ascending');
    screen.getByText('1 of 2 content items');

    // A reload (here: the app started afresh at the same address) shows the same list.
    cleanup();
    renderAppAt('/content?q=report&sort=-deployed', admin, handlers);
    await table();
    expect(search().value).toBe('report');
    screen.getByText('1 of 2 content items');
    screen.getByRole('link', { name: 'Quarterly report' });
    expect(screen.getByRole('columnheader', { name: 'Last deployed' }).getAttribute('aria-sort')).toBe('descending');
  });

  it("shows a publisher their own content and what is shared with them, with each item's environment and rebuild mark", async () => {
    // The server leaves out what is not shared with them: the page asks for everything it may see.
    const shared = aContent(dana, { name: 'shared-app', title: 'Shared app', app_role: 'editor' });
    const server = renderAppAt('/content', pat, { 'GET /__api__/v1/content': () => json(200, [report, shared]) });
    await table();
    expect(listRequest(server.requests)?.query.has('owner_guid')).toBe(false);
    within(await rowOf('Shared app')).getByText('Dana Data');
    const row = await rowOf('Quarterly report');
    within(row).getByText('report');
    within(row).getByText('ghcr.io/org/runtime:r4.4');
    within(row).getByText('Rebuilds on next deploy');
    within(row).getByText('Never deployed');
    expect(within(row).getByRole('link', { name: 'Quarterly report' }).getAttribute('href')).toBe(`/content/${report.guid}`);
    screen.getByRole('columnheader', { name: 'Owner' });
    screen.getByRole('button', { name: 'New content' });
    screen.getByText('2 content items');
  });

  it('shows an administrator all content with owners, searches it and sorts it', async () => {
    const server = renderAppAt('/content', admin, { 'GET /__api__/v1/content': () => json(200, [report, api]) });
    await table();
    expect(listRequest(server.requests)?.query.has('owner_guid')).toBe(false);
    screen.getByRole('columnheader', { name: 'Owner' });
    within(await rowOf('Forecast API')).getByText('Dana Data');

    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Search content'), 'dana');
    screen.getByText('1 of 2 content items');
    expect(screen.queryByRole('link', { name: 'Quarterly report' })).toBeNull();
    await user.clear(screen.getByLabelText('Search content'));

    await user.click(within(screen.getByRole('columnheader', { name: 'Last deployed' })).getByRole('button'));
    expect(screen.getByRole('columnheader', { name: 'Last deployed' }).getAttribute('aria-sort')).toBe('descending');
    const titles = within(await table())
      .getAllByRole('link')
      .map((link) => link.textContent);
    expect(titles).toEqual(['Forecast API', 'Quarterly report']);
  });

  it('shows a viewer the list read-only, without runtimes or actions', async () => {
    renderAppAt('/content', viewer, { 'GET /__api__/v1/content': () => json(200, [{ ...api, app_role: 'viewer' }]) });
    await table();
    expect(screen.queryByRole('button', { name: 'New content' })).toBeNull();
    expect(screen.queryByRole('columnheader', { name: 'Environment' })).toBeNull();
    screen.getByText('Content shared with you on this server. Only its owners, collaborators and administrators can change it.');
  });

  it('invites a publisher to create their first content item, and refuses a name they already use', async () => {
    const server = renderAppAt('/content', pat, {
      'GET /__api__/v1/content': () => json(200, []),
      'POST /__api__/v1/content': () => json(409, { code: ErrorCode.DuplicateName, error: 'You already have content named "report".', payload: { field: 'name' } }),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Create your first content item' }));
    const dialog = await screen.findByRole('dialog', { name: 'New content' });
    await waitFor(() => expect(document.activeElement).toBe(within(dialog).getByLabelText('Name')));

    await user.click(within(dialog).getByRole('button', { name: 'Create content' }));
    within(dialog).getByText('Name is required.');
    expect(server.requests.some((request) => request.method === 'POST')).toBe(false);

    await user.type(within(dialog).getByLabelText('Name'), 'report');
    await user.type(within(dialog).getByLabelText('Title (optional)'), 'Quarterly report');
    await user.click(within(dialog).getByRole('button', { name: 'Create content' }));
    await within(dialog).findByText('You already have content named "report".');
    expect(within(dialog).getByLabelText('Name').getAttribute('aria-invalid')).toBe('true');
    expect(server.requests.find((request) => request.method === 'POST')?.body).toEqual({ name: 'report', title: 'Quarterly report' });
  });

  it('creates content and opens its page', async () => {
    const created = aContent(pat, { name: 'forecast', title: 'Forecast' });
    renderAppAt('/content', pat, {
      'GET /__api__/v1/content': () => json(200, []),
      'POST /__api__/v1/content': () => json(200, created),
      [`GET /__api__/v1/content/${created.guid}`]: () => json(200, created),
      'GET /__api__/v1/environments': () => json(200, []),
      'POST /__api__/v1/environments/select': () =>
        json(400, { code: ErrorCode.ParameterMissing, error: 'The content has no bundle yet: send a manifest to judge.', payload: { field: 'manifest' } }),
      [`GET /__api__/v1/content/${created.guid}/bundles`]: () => json(200, []),
      [`GET /__api__/v1/content/${created.guid}/deployments`]: () => json(200, []),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'New content' }));
    const dialog = await screen.findByRole('dialog', { name: 'New content' });
    await user.type(within(dialog).getByLabelText('Name'), 'forecast');
    await user.type(within(dialog).getByLabelText('Title (optional)'), 'Forecast{Enter}');

    await screen.findByRole('heading', { name: 'Forecast', level: 1 });
    expect(window.location.pathname).toBe(`/content/${created.guid}`);
    screen.getByText('Created “Forecast”.');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('shows a loading state, then an error with a retry that works', async () => {
    let calls = 0;
    renderAppAt('/content', admin, {
      'GET /__api__/v1/content': () =>
        ++calls === 1 ? json(500, { code: ErrorCode.InternalFailure, error: 'The database is not answering.', payload: null }) : json(200, [api]),
    });
    await screen.findByText('Loading content…');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The content could not be loaded. The database is not answering.');
    await userEvent.setup().click(within(alert).getByRole('button', { name: 'Try again' }));
    await screen.findByRole('link', { name: 'Forecast API' });
  });
});
