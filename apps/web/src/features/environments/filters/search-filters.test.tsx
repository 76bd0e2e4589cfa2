import { aUser, anEnvironment } from '@envdesk/domain/testing';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json } from '../../../testing/fake-fetch';
import { renderAppAt, setUpPageTests } from '../../../testing/render-app';

const admin = aUser({ user_role: 'administrator' });
const install = (...versions: string[]) => ({ installations: versions.map((version) => ({ version, path: `/opt/x/${version}/bin/x` })) });
const none = { installations: [] };
const runtime = anEnvironment({ title: 'R 4.4 / Python 3.11', name: 'ghcr.io/org/runtime:r4.4', python: install('3.11.9'), r: install('4.4.2'), quarto: install('1.5.57') });
const gpu = anEnvironment({ title: 'GPU training', name: 'ghcr.io/org/gpu:cuda12', python: install('3.12.4'), r: none, quarto: none, matching: 'exact' });
const legacy = anEnvironment({ title: 'Legacy R', name: 'docker.io/old/r:3.6', python: none, r: install('3.6.3', '4.2.1'), quarto: none });
const managed = anEnvironment({ title: 'From the file', name: 'ghcr.io/org/file:1', managed_by: 'config-file', python: install('3.10.4'), r: none, quarto: none });
const environments = [runtime, gpu, legacy, managed];
const syncOk = { enabled: true, file: '/etc/envdesk/environments.yaml', poll_ms: 2000, hash: 'h', last_sync_time: null, last_changes: [], last_error: null };
const routes = {
  'GET /__api__/v1/environments': () => json(200, environments),
  'GET /__api__/v1/environments/sync': () => json(200, syncOk),
};

const table = () => screen.findByRole('table', { name: 'Environments' });
const rowTitles = async () =>
  within(await table())
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getAllByRole('link')[0]!.textContent);
const box = () => screen.getByLabelText<HTMLInputElement>('Search environments');

setUpPageTests();

describe('filters and search terms on the Environments tab', () => {
  it('filters by typed terms: a version, a constraint, an image, and marks what matched', async () => {
    renderAppAt('/environments', admin, routes);
    const user = userEvent.setup();
    await table();

    await user.type(box(), 'r:>=4.3');
    await waitFor(async () => expect(await rowTitles()).toEqual(['R 4.4 / Python 3.11']));
    const row = screen.getByRole('link', { name: 'R 4.4 / Python 3.11' }).closest('tr') as HTMLElement;
    expect([...row.querySelectorAll('mark')].map((mark) => mark.textContent)).toEqual(['4.4.2']);

    await user.clear(box());
    await user.type(box(), 'python:3.1');
    // 3.1 is its own version, not "3.1x": nothing, until the term is complete.
    await screen.findByText('No environments match “python:3.1”.');
    await user.type(box(), '2');
    await waitFor(async () => expect(await rowTitles()).toEqual(['GPU training']));

    await user.clear(box());
    await user.type(box(), 'image:ghcr.io/org training');
    await waitFor(async () => expect(await rowTitles()).toEqual(['GPU training']));
    const gpuRow = screen.getByRole('link', { name: 'GPU training' }).closest('tr') as HTMLElement;
    expect([...gpuRow.querySelectorAll('mark')].map((mark) => mark.textContent)).toEqual(['training', 'ghcr.io/org']);
    await waitFor(() => expect(new URLSearchParams(window.location.search).get('q')).toBe('image:ghcr.io/org training'));
  });

  it('explains a term it cannot use instead of emptying the list', async () => {
    renderAppAt('/environments?q=python:latest', admin, routes);
    expect(await rowTitles()).toHaveLength(4);
    expect(box().getAttribute('aria-describedby')).toContain('environment-search-hints');
    screen.getByText(/python:latest — write a version/);
  });

  it('toggles chips that write their terms into the search, one step Back can undo each', async () => {
    renderAppAt('/environments?q=ghcr', admin, routes);
    const user = userEvent.setup();
    await table();

    await user.click(within(screen.getByRole('group', { name: 'Has' })).getByRole('button', { name: 'Python' }));
    expect(box().value).toBe('ghcr has:python');
    await waitFor(() => expect(new URLSearchParams(window.location.search).get('q')).toBe('ghcr has:python'));
    expect(await rowTitles()).toEqual(['From the file', 'GPU training', 'R 4.4 / Python 3.11']);

    const managedGroup = screen.getByRole('group', { name: 'Managed' });
    await user.click(within(managedGroup).getByRole('button', { name: 'Hand-made' }));
    expect(within(managedGroup).getByRole('button', { name: 'Hand-made' }).getAttribute('aria-pressed')).toBe('true');
    await user.click(within(screen.getByRole('group', { name: 'Matching' })).getByRole('button', { name: 'Exact' }));
    expect(box().value).toBe('ghcr has:python managed:hand matching:exact');
    expect(await rowTitles()).toEqual(['GPU training']);

    // A typed term presses its chip too: they are one state.
    await user.clear(box());
    await user.type(box(), 'managed:file');
    await waitFor(() => expect(within(managedGroup).getByRole('button', { name: 'From the file' }).getAttribute('aria-pressed')).toBe('true'));
    expect(await rowTitles()).toEqual(['From the file']);

    window.history.back();
    await waitFor(() => expect(box().value).toBe('ghcr has:python managed:hand'));
    expect(await rowTitles()).toEqual(['GPU training', 'R 4.4 / Python 3.11']);
  });
});
