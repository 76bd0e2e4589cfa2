import { ErrorCode } from '@envdesk/domain';
import { aGuid, aUser, anEnvironment } from '@envdesk/domain/testing';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json } from '../../testing/fake-fetch';
import { renderAppAt, setUpPageTests } from '../../testing/render-app';

const admin = aUser({ user_role: 'administrator' });
const publisher = aUser({ user_role: 'publisher' });
const group = { guid: aGuid(), name: 'data-science', owner_guid: null };
const syncOk = { enabled: true, file: '/etc/envdesk/environments.yaml', last_error: null };
const page = (results: unknown[]) => ({ results, current_page: 1, total: results.length });

setUpPageTests();

describe('adding an environment', () => {
  it('validates as you type, then creates the environment and its group permission', async () => {
    const created = anEnvironment({ title: 'Py 3.12', name: 'ghcr.io/org/py:3.12' });
    const server = renderAppAt('/environments/new', admin, {
      'GET /__api__/v1/environments': () => json(200, []),
      'GET /__api__/v1/environments/sync': () => json(200, syncOk),
      'GET /__api__/v1/groups': () => json(200, page([group])),
      'GET /__api__/v1/users': () => json(200, page([])),
      'POST /__api__/v1/environments': () => json(200, created),
      [`POST /__api__/v1/environments/${created.guid}/permissions`]: (request) =>
        json(200, { id: '1', guid: aGuid(), environment_guid: created.guid, user_guid: null, group_guid: (request.body as { group_guid: string }).group_guid }),
    });
    const user = userEvent.setup();

    await user.type(await screen.findByLabelText('Title'), 'Py 3.12');
    await user.type(screen.getByLabelText('Image name'), 'ghcr.io/org/py:3.12');
    const row = screen.getByRole('group', { name: 'Installation 1' });
    await user.type(within(row).getByLabelText('Version'), '3.12.4');
    await user.type(within(row).getByLabelText('Path'), 'usr/bin/python3');
    within(row).getByText('Path must be an absolute path (starting with /).');
    expect(within(row).getByLabelText('Path').getAttribute('aria-invalid')).toBe('true');
    await user.clear(within(row).getByLabelText('Path'));
    await user.type(within(row).getByLabelText('Path'), '/usr/bin/python3');
    expect(within(row).queryByText(/must be an absolute path/)).toBeNull();

    await user.type(screen.getByRole('combobox', { name: 'Add a user or group' }), 'data');
    await user.click(await screen.findByRole('option', { name: /data-science/ }));
    within(screen.getByRole('list', { name: 'Users and groups with access' })).getByText('data-science');

    await user.click(screen.getByRole('button', { name: 'Add environment' }));
    await screen.findByText('Added “Py 3.12”.');
    await waitFor(() => expect(window.location.pathname).toBe('/environments'));

    const post = server.requests.find((request) => request.method === 'POST' && request.path === '/__api__/v1/environments');
    expect(post?.body).toMatchObject({
      name: 'ghcr.io/org/py:3.12',
      title: 'Py 3.12',
      matching: 'any',
      python: { installations: [{ version: '3.12.4', path: '/usr/bin/python3' }] },
      r: { installations: [] },
      volume_mounts: [],
    });
    const grant = server.requests.find((request) => request.path.endsWith('/permissions'));
    expect(grant?.body).toEqual({ group_guid: group.guid });
  });

  it("puts the server's errors on the fields they name and disables Save while saving", async () => {
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    renderAppAt('/environments/new', admin, {
      'GET /__api__/v1/environments/sync': () => json(200, syncOk),
      'POST /__api__/v1/environments': async () => {
        await answered;
        return json(400, {
          code: ErrorCode.InvalidInstallationVersion,
          error: 'Invalid python.installations[0].version: is not installed in the image.',
          payload: { field: 'python.installations[0].version', issues: [{ field: 'python.installations[0].version', message: 'is not installed in the image' }] },
        });
      },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Image name'), 'ghcr.io/org/py:3.12');
    const row = screen.getByRole('group', { name: 'Installation 1' });
    await user.type(within(row).getByLabelText('Version'), '3.12.4');
    await user.type(within(row).getByLabelText('Path'), '/usr/bin/python3');

    await user.click(screen.getByRole('button', { name: 'Add environment' }));
    expect(screen.getByRole('button', { name: 'Saving…' })).toHaveProperty('disabled', true);
    answer();

    await within(row).findByText('Version is not installed in the image.');
    expect(screen.getByRole('alert').textContent).toBe('Not saved: the server found problems with the fields marked below.');
    await waitFor(() => expect(document.activeElement).toBe(within(row).getByLabelText('Version')));
    // Editing the field clears the server's complaint about it.
    await user.type(within(row).getByLabelText('Version'), '1');
    expect(within(row).queryByText('Version is not installed in the image.')).toBeNull();
  });
});

describe('an existing environment', () => {
  it('opens a file-managed one read-only with the reason, and saves only its access control', async () => {
    const managed = anEnvironment({ title: 'From the file', managed_by: 'config-file' });
    const server = renderAppAt(`/environments/${managed.guid}`, admin, {
      [`GET /__api__/v1/environments/${managed.guid}`]: () => json(200, managed),
      [`GET /__api__/v1/environments/${managed.guid}/permissions`]: () => json(200, []),
      'GET /__api__/v1/environments': () => json(200, [managed]),
      'GET /__api__/v1/environments/sync': () => json(200, syncOk),
      'GET /__api__/v1/groups': () => json(200, page([group])),
      'GET /__api__/v1/users': () => json(200, page([])),
      [`POST /__api__/v1/environments/${managed.guid}/permissions`]: () =>
        json(200, { id: '1', guid: aGuid(), environment_guid: managed.guid, user_guid: null, group_guid: group.guid }),
    });
    const user = userEvent.setup();

    await screen.findByRole('heading', { name: 'From the file', level: 1 });
    expect(screen.getByRole('note').textContent).toContain('This environment is defined in /etc/envdesk/environments.yaml');
    expect(screen.getByLabelText('Title').hasAttribute('readonly')).toBe(true);
    expect(screen.queryByRole('button', { name: 'Add installation' })).toBeNull();
    screen.getByText('Everyone with the publisher role can use this environment.');

    await user.type(screen.getByRole('combobox', { name: 'Add a user or group' }), 'data');
    await user.keyboard('{ArrowDown}');
    await screen.findByRole('option', { name: /data-science/ });
    await user.keyboard('{Enter}');
    await user.click(screen.getByRole('button', { name: 'Save access control' }));

    await screen.findByText('Saved access control of “From the file”.');
    expect(server.requests.some((request) => request.method === 'PUT')).toBe(false);
    expect(server.requests.filter((request) => request.method === 'POST').map((request) => request.body)).toEqual([{ group_guid: group.guid }]);
  });

  it('shows a publisher a details page: what it holds and which of their content uses it', async () => {
    const environment = anEnvironment({
      title: 'Shared runtime',
      description: 'For the reports team.',
      matching: 'exact',
      volume_mounts: [{ source: { volume_type: 'pvc', pvc_name: 'shared-data' }, target: { path: '/mnt/data', read_only: true } }],
    });
    const report = { guid: aGuid(), name: 'weekly-report', title: 'Weekly report', owner_guid: publisher.guid, owner_username: publisher.username, chosen: true, running: true };
    const server = renderAppAt(`/environments/${environment.guid}`, publisher, {
      [`GET /__api__/v1/environments/${environment.guid}`]: () => json(200, environment),
      [`GET /__api__/v1/environments/${environment.guid}/content`]: () => json(200, [report]),
    });
    await screen.findByRole('heading', { name: 'Shared runtime', level: 1 });
    screen.getByText('For the reports team.');
    screen.getByText(environment.name);
    screen.getByText(environment.guid);
    screen.getByRole('button', { name: 'Copy the GUID' });
    screen.getByText(/Never chosen automatically/);
    const installations = screen.getByRole('table');
    within(installations).getByRole('cell', { name: '/opt/python/3.11.3/bin/python3' });
    within(installations).getByRole('cell', { name: '4.4.2' });
    screen.getByText('/mnt/data');
    screen.getByText('shared-data');
    const yours = await screen.findByRole('link', { name: 'Weekly report' });
    expect(yours.getAttribute('href')).toBe(`/content/${report.guid}`);
    screen.getByText('chose it, runs on it');
    // Not the administrators' form: nothing to edit, no access control, no admin hints.
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.queryByText('Access control')).toBeNull();
    expect(screen.queryByText('Only administrators can change environments.')).toBeNull();
    expect(screen.queryByRole('link', { name: /Clone/ })).toBeNull();
    expect(server.requests.some((request) => request.path.endsWith('/permissions'))).toBe(false);
  });

  it('tells a publisher when none of their content uses it', async () => {
    const environment = anEnvironment({ title: 'Unused' });
    renderAppAt(`/environments/${environment.guid}`, publisher, {
      [`GET /__api__/v1/environments/${environment.guid}`]: () => json(200, environment),
      [`GET /__api__/v1/environments/${environment.guid}/content`]: () => json(200, []),
    });
    await screen.findByText('None of your content uses this environment.');
  });

  it('shows an administrator its GUID with a copy button and its created time', async () => {
    const environment = anEnvironment({ title: 'Copyable', created_time: '2026-01-15T10:00:00Z' });
    // user-event puts its own clipboard in place, which the app writes to as to the browser's.
    const user = userEvent.setup();
    renderAppAt(`/environments/${environment.guid}`, admin, {
      [`GET /__api__/v1/environments/${environment.guid}`]: () => json(200, environment),
      [`GET /__api__/v1/environments/${environment.guid}/permissions`]: () => json(200, []),
      'GET /__api__/v1/environments/sync': () => json(200, syncOk),
    });
    await screen.findByRole('heading', { name: 'Edit “Copyable”', level: 1 });
    screen.getByText(environment.guid);
    expect(document.querySelector('time[datetime="2026-01-15T10:00:00Z"]')).not.toBeNull();
    await user.click(screen.getByRole('button', { name: 'Copy the GUID' }));
    expect(await navigator.clipboard.readText()).toBe(environment.guid);
    await screen.findByText('Copied the GUID.');
  });

  it('clones into a new add form: same installations and mounts, no image, a "Copy of" title', async () => {
    const original = anEnvironment({
      title: 'Team runtime',
      volume_mounts: [{ source: { volume_type: 'pvc', pvc_name: 'shared' }, target: { path: '/mnt/shared', read_only: false } }],
    });
    const created = anEnvironment({ title: 'Copy of Team runtime', name: 'ghcr.io/org/team:2' });
    const server = renderAppAt(`/environments/${original.guid}`, admin, {
      [`GET /__api__/v1/environments/${original.guid}`]: () => json(200, original),
      [`GET /__api__/v1/environments/${original.guid}/permissions`]: () => json(200, []),
      'GET /__api__/v1/environments/sync': () => json(200, syncOk),
      'GET /__api__/v1/environments': () => json(200, [original, created]),
      'POST /__api__/v1/environments': () => json(200, created),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('link', { name: 'Clone “Team runtime”' }));
    await screen.findByRole('heading', { name: 'Add environment', level: 1 });
    expect(window.location.search).toBe(`?from=${original.guid}`);
    expect(screen.getByLabelText<HTMLInputElement>('Title').value).toBe('Copy of Team runtime');
    expect(screen.getByLabelText<HTMLInputElement>('Image name').value).toBe('');
    expect(within(screen.getByRole('group', { name: 'Installation 2' })).getByLabelText<HTMLInputElement>('Path').value).toBe('/opt/R/4.4.2/bin/R');

    await user.type(screen.getByLabelText('Image name'), 'ghcr.io/org/team:2');
    await user.click(screen.getByRole('button', { name: 'Add environment' }));
    await waitFor(() => expect(window.location.pathname).toBe('/environments'));
    const post = server.requests.find((request) => request.method === 'POST' && request.path === '/__api__/v1/environments');
    expect(post?.body).toMatchObject({
      name: 'ghcr.io/org/team:2',
      title: 'Copy of Team runtime',
      python: { installations: original.python.installations },
      r: { installations: original.r.installations },
      volume_mounts: original.volume_mounts,
    });
    // Back in the list, the new one is marked.
    const row = (await screen.findByRole('link', { name: 'Copy of Team runtime' })).closest('tr');
    expect(row?.getAttribute('data-highlighted')).toBe('true');
  });

  it('says so when the environment does not exist', async () => {
    const missing = aGuid();
    renderAppAt(`/environments/${missing}`, admin, {
      [`GET /__api__/v1/environments/${missing}`]: () => json(404, { code: ErrorCode.ObjectDoesNotExist, error: 'Environment does not exist.', payload: null }),
      [`GET /__api__/v1/environments/${missing}/permissions`]: () => json(404, { code: ErrorCode.ObjectDoesNotExist, error: 'Environment does not exist.', payload: null }),
      'GET /__api__/v1/environments/sync': () => json(200, syncOk),
    });
    await screen.findByRole('heading', { name: 'Environment not found' });
  });
});
