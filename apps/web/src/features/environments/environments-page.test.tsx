import { ErrorCode } from '@envdesk/domain';
import { aUser, anEnvironment } from '@envdesk/domain/testing';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json } from '../../testing/fake-fetch';
import { renderAppAt, setUpPageTests } from '../../testing/render-app';

const admin = aUser({ user_role: 'administrator', first_name: 'Ada', last_name: 'Admin' });
const publisher = aUser({ user_role: 'publisher' });
const viewer = aUser({ user_role: 'viewer' });

const install = (version: string) => ({ installations: [{ version, path: `/opt/x/${version}/bin/x` }] });
const none = { installations: [] };
const runtime = anEnvironment({ title: 'R 4.4 / Python 3.11', name: 'ghcr.io/org/runtime:r4.4', python: install('3.11.9'), r: install('4.4.2') });
const gpu = anEnvironment({ title: 'GPU training', name: 'ghcr.io/org/gpu:cuda12', python: install('3.12.4'), r: none });
const managed = anEnvironment({ title: 'From the file', name: 'ghcr.io/org/file:1', managed_by: 'config-file', python: install('3.10.4'), r: none });
const environments = [runtime, gpu, managed];

const syncOk = { enabled: true, file: '/etc/envdesk/environments.yaml', poll_ms: 2000, hash: 'h', last_sync_time: null, last_changes: [], last_error: null };

const table = () => screen.findByRole('table', { name: 'Environments' });
const rowTitles = async () =>
  within(await table())
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getByRole('link').textContent);

setUpPageTests();

describe('the Environments tab', () => {
  it('lists environments sorted by title, with versions, matching, the file badge and a count', async () => {
    renderAppAt('/environments', admin, {
      'GET /__api__/v1/environments': () => json(200, environments),
      'GET /__api__/v1/environments/sync': () => json(200, syncOk),
    });
    expect(await rowTitles()).toEqual(['From the file', 'GPU training', 'R 4.4 / Python 3.11']);
    screen.getByText('3 environments');
    const fileRow = screen.getByRole('link', { name: 'From the file' }).closest('tr') as HTMLElement;
    // A short badge (the column's header says Managed), the file named beside it and in full on hover.
    within(fileRow).getByText('File');
    within(fileRow).getByTitle('Managed by /etc/envdesk/environments.yaml');
    within(fileRow).getByText('/etc/envdesk/environments.yaml', { exact: false });
    // Administrators may delete what the file does not own.
    expect(within(fileRow).queryByRole('button', { name: /^Delete/ })).toBeNull();
    screen.getByRole('button', { name: 'Delete GPU training' });
    screen.getByRole('link', { name: 'Add environment' });
    expect(screen.getByRole('columnheader', { name: 'Title' }).getAttribute('aria-sort')).toBe('ascending');
    expect(screen.getByRole('columnheader', { name: 'Python' }).getAttribute('aria-sort')).toBe('none');
  });

  it('shows the Managed column only when an environments file is configured', async () => {
    renderAppAt('/environments', admin, {
      'GET /__api__/v1/environments': () => json(200, environments),
      'GET /__api__/v1/environments/sync': () => json(200, { enabled: false, file: null, last_error: null }),
    });
    expect(await rowTitles()).toHaveLength(3);
    screen.getByRole('columnheader', { name: 'Title' });
    expect(screen.queryByRole('columnheader', { name: 'Managed' })).toBeNull();
  });

  it('shows an administrator the Managed column when the file is configured', async () => {
    renderAppAt('/environments', admin, {
      'GET /__api__/v1/environments': () => json(200, environments),
      'GET /__api__/v1/environments/sync': () => json(200, syncOk),
    });
    await screen.findByRole('columnheader', { name: 'Managed' });
  });

  it('searches by version, shows "n of m", and keeps the search in the URL', async () => {
    renderAppAt('/environments', admin, {
      'GET /__api__/v1/environments': () => json(200, environments),
      'GET /__api__/v1/environments/sync': () => json(200, syncOk),
    });
    const user = userEvent.setup();
    await table();
    await user.type(screen.getByLabelText('Search environments'), '3.12');
    expect(await rowTitles()).toEqual(['GPU training']);
    screen.getByText('1 of 3 environments');
    await waitFor(() => expect(window.location.search).toBe('?q=3.12'));

    await user.clear(screen.getByLabelText('Search environments'));
    await user.type(screen.getByLabelText('Search environments'), 'nothing like it');
    await screen.findByText('No environments match “nothing like it”.');
    await user.click(screen.getByRole('button', { name: 'Clear search' }));
    expect(await rowTitles()).toHaveLength(3);
  });

  it('sorts by a column header, both ways, and writes the order to the URL', async () => {
    renderAppAt('/environments?q=ghcr', admin, {
      'GET /__api__/v1/environments': () => json(200, environments),
      'GET /__api__/v1/environments/sync': () => json(200, syncOk),
    });
    const user = userEvent.setup();
    await table();
    await user.click(within(screen.getByRole('columnheader', { name: 'Python' })).getByRole('button'));
    expect(await rowTitles()).toEqual(['From the file', 'R 4.4 / Python 3.11', 'GPU training']);
    expect(window.location.search).toBe('?q=ghcr&sort=python');
    expect(screen.getByRole('columnheader', { name: 'Python' }).getAttribute('aria-sort')).toBe('ascending');

    await user.click(within(screen.getByRole('columnheader', { name: 'Python' })).getByRole('button'));
    expect(await rowTitles()).toEqual(['GPU training', 'R 4.4 / Python 3.11', 'From the file']);
    expect(window.location.search).toBe('?q=ghcr&sort=-python');

    // Back restores the previous order.
    window.history.back();
    await waitFor(() => expect(window.location.search).toBe('?q=ghcr&sort=python'));
    await waitFor(() => expect(screen.getByRole('columnheader', { name: 'Python' }).getAttribute('aria-sort')).toBe('ascending'));
  });

  it('shows a publisher the table without any edit control', async () => {
    renderAppAt('/environments', publisher, { 'GET /__api__/v1/environments': () => json(200, [runtime]) });
    expect(await rowTitles()).toEqual(['R 4.4 / Python 3.11']);
    expect(screen.queryByRole('link', { name: 'Add environment' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Delete/ })).toBeNull();
  });

  it.each(['/environments', '/'])('takes a viewer from %s to the Content list, without asking the server for environments', async (path) => {
    const server = renderAppAt(path, viewer, { 'GET /__api__/v1/content': () => json(200, []) });
    await screen.findByRole('heading', { name: 'Content', level: 1 });
    expect(window.location.pathname).toBe('/content');
    expect(screen.queryByRole('link', { name: 'Environments' })).toBeNull();
    expect(screen.getByRole('link', { name: 'envdesk' }).getAttribute('href')).toBe('/content');
    expect(server.requests.some((request) => request.path === '/__api__/v1/environments')).toBe(false);
  });

  it('invites an administrator to add the first environment when there are none', async () => {
    renderAppAt('/environments', admin, {
      'GET /__api__/v1/environments': () => json(200, []),
      'GET /__api__/v1/environments/sync': () => json(200, syncOk),
    });
    await screen.findByRole('heading', { name: 'No environments yet' });
    expect(screen.getByRole('link', { name: 'Add the first environment' }).getAttribute('href')).toBe('/environments/new');
  });

  it('shows a loading state, then an error with a retry that works', async () => {
    let calls = 0;
    renderAppAt('/environments', admin, {
      'GET /__api__/v1/environments': () =>
        ++calls === 1 ? json(500, { code: ErrorCode.InternalFailure, error: 'The database is not answering.', payload: null }) : json(200, [gpu]),
      'GET /__api__/v1/environments/sync': () => json(200, syncOk),
    });
    await screen.findByText('Loading environments…');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The environments could not be loaded. The database is not answering.');
    await userEvent.setup().click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await rowTitles()).toEqual(['GPU training']);
  });

  it("shows administrators the declarative file's failed sync", async () => {
    renderAppAt('/environments', admin, {
      'GET /__api__/v1/environments': () => json(200, environments),
      'GET /__api__/v1/environments/sync': () =>
        json(200, {
          ...syncOk,
          last_error: {
            time: '2026-01-15T10:00:00Z',
            message: '/etc/envdesk/environments.yaml has invalid entries:\n  - entry 1, matching: must be one of any, exact, none',
            problems: [
              { entry: 0, name: 'ghcr.io/org/py:3.12', field: 'matching', message: 'must be one of any, exact, none' },
              { entry: 1, name: null, field: 'name', message: 'is required' },
            ],
          },
        }),
    });
    const banner = await screen.findByRole('alert');
    expect(banner.textContent).toContain('The environments file could not be applied.');
    expect(banner.textContent).toContain('/etc/envdesk/environments.yaml has invalid entries.');
    // Counted from one, as the file's reader counts, and named by the image.
    within(banner).getByText('Entry 1 (ghcr.io/org/py:3.12), matching: must be one of any, exact, none');
    within(banner).getByText('Entry 2, name: is required');
    await userEvent.setup().click(within(banner).getByText('The file’s status'));
    expect(within(banner).getByText('/etc/envdesk/environments.yaml', { selector: 'dd' })).toBeTruthy();
    expect(within(banner).getByRole('link', { name: 'Full status (JSON)' }).getAttribute('href')).toBe('/__api__/v1/environments/sync');
  });

  it('tells administrators that the missing file will remove its environments, and when', async () => {
    const at = '2026-01-15T10:00:10Z';
    renderAppAt('/environments', admin, {
      'GET /__api__/v1/environments': () => json(200, environments),
      'GET /__api__/v1/environments/sync': () =>
        json(200, { ...syncOk, pending_removal: { reason: 'missing', since: '2026-01-15T10:00:00Z', at, environments: 3 } }),
    });
    const banner = await screen.findByRole('alert');
    expect(banner.textContent).toContain('/etc/envdesk/environments.yaml is missing.');
    expect(banner.textContent).toContain(`Its 3 file-managed environments will be removed at ${new Date(at).toLocaleString()} unless the file comes back`);
    expect(banner.querySelector('time')?.getAttribute('datetime')).toBe(at);
    expect(banner.textContent).toContain('Nothing has been removed yet.');
  });

  it('deletes after a confirmation naming the environment, removing the row at once', async () => {
    let remaining = environments;
    const server = renderAppAt('/environments', admin, {
      'GET /__api__/v1/environments': () => json(200, remaining),
      'GET /__api__/v1/environments/sync': () => json(200, syncOk),
      [`GET /__api__/v1/environments/${gpu.guid}/content`]: () =>
        json(200, [{ guid: 'c1', name: 'forecast', title: 'Sales forecast', owner_guid: 'o', owner_username: 'pat', chosen: true, running: false }]),
      [`DELETE /__api__/v1/environments/${gpu.guid}`]: () => {
        remaining = environments.filter((environment) => environment !== gpu);
        return json(204);
      },
    });
    const user = userEvent.setup();
    await table();
    await user.click(screen.getByRole('button', { name: 'Delete GPU training' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete “GPU training”?' });
    expect(dialog.textContent).toContain('ghcr.io/org/gpu:cuda12');
    // It says which content would lose the environment.
    const using = await within(dialog).findByRole('list', { name: 'Content using this environment' });
    expect(using.textContent).toBe('Sales forecast by pat (chosen in its settings)');
    await user.click(within(dialog).getByRole('button', { name: 'Delete environment' }));
    await screen.findByText('Deleted “GPU training”.');
    expect(await rowTitles()).toEqual(['From the file', 'R 4.4 / Python 3.11']);
    expect(server.requests.filter((request) => request.method === 'DELETE')).toHaveLength(1);
  });
});
