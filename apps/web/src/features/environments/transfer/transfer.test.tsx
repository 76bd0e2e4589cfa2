import { aUser, anEnvironment } from '@envdesk/domain/testing';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeEventSource } from '../../../testing/fake-event-source';
import { json } from '../../../testing/fake-fetch';
import { renderAppAt, setUpPageTests } from '../../../testing/render-app';

const admin = aUser({ user_role: 'administrator' });
const publisher = aUser({ user_role: 'publisher' });
const runtime = anEnvironment({ title: 'Runtime', name: 'ghcr.io/org/runtime:1' });
const gpu = anEnvironment({ title: 'GPU training', name: 'ghcr.io/org/gpu:1' });
const syncOff = { enabled: false, file: null, last_error: null };
const YAML = 'executionEnvironments:\n  - name: ghcr.io/org/gpu:1\n';

const plan = (overrides: Record<string, unknown> = {}) => ({
  entries: 3,
  creates: [{ entry: 3, name: 'ghcr.io/org/new:1', title: 'New one' }],
  updates: [{ entry: 1, guid: runtime.guid, name: runtime.name, fields: ['title'] }],
  unchanged: 1,
  problems: [],
  ...overrides,
});

setUpPageTests();

/** What the page handed the browser to save: the Blob behind the object URL (jsdom has no downloads). */
let saved: Blob[] = [];
// A browser saves a link with `download` instead of following it; jsdom would follow it away from the app.
const saveInsteadOfFollowing = (event: MouseEvent) => {
  if (event.target instanceof HTMLAnchorElement && event.target.hasAttribute('download')) event.preventDefault();
};
const urlStatics = URL as unknown as { createObjectURL?: (blob: Blob) => string; revokeObjectURL?: (url: string) => void };
beforeEach(() => {
  saved = [];
  urlStatics.createObjectURL = (blob: Blob) => {
    saved.push(blob);
    return 'blob:saved';
  };
  urlStatics.revokeObjectURL = () => {};
  document.addEventListener('click', saveInsteadOfFollowing);
});
afterEach(() => {
  delete urlStatics.createObjectURL;
  delete urlStatics.revokeObjectURL;
  document.removeEventListener('click', saveInsteadOfFollowing);
});

describe('exporting and importing on the Environments tab', () => {
  it('exports the environments the search shows, as a YAML file', async () => {
    const server = renderAppAt('/environments?q=gpu', admin, {
      'GET /__api__/v1/environments': () => json(200, [runtime, gpu]),
      'GET /__api__/v1/environments/sync': () => json(200, syncOff),
      'POST /__api__/v1/environments/export': () => json(200, YAML),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Export 1 shown' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(window.location.pathname).toBe('/environments');
    expect(await saved[0]!.text()).toBe(YAML);
    expect(server.requests.find((request) => request.path.endsWith('/export'))?.body).toEqual({ guids: [gpu.guid] });

    await user.clear(screen.getByLabelText('Search environments'));
    await user.click(await screen.findByRole('button', { name: 'Export all' }));
    await waitFor(() => expect(saved).toHaveLength(2));
    expect(server.requests.filter((request) => request.path.endsWith('/export')).at(-1)?.body).toEqual({});
  });

  it('exports the environments picked by hand, gathered over several searches, and lets the picks go', async () => {
    const notebook = anEnvironment({ title: 'Notebook', name: 'ghcr.io/org/notebook:1' });
    const server = renderAppAt('/environments', admin, {
      'GET /__api__/v1/environments': () => json(200, [runtime, gpu, notebook]),
      'GET /__api__/v1/environments/sync': () => json(200, syncOff),
      'POST /__api__/v1/environments/export': () => json(200, YAML),
    });
    const user = userEvent.setup();
    const search = await screen.findByLabelText('Search environments');
    await user.type(search, 'gpu');
    await user.click(await screen.findByRole('checkbox', { name: 'Select GPU training' }));
    await user.clear(search);
    await user.type(search, 'notebook');
    await user.click(await screen.findByRole('checkbox', { name: 'Select Notebook' }));
    await user.clear(search);
    // Both picks survived the searches; the third row was never picked.
    expect(await screen.findByRole('checkbox', { name: 'Select GPU training' })).toHaveProperty('checked', true);
    expect(screen.getByRole('checkbox', { name: 'Select Runtime' })).toHaveProperty('checked', false);
    expect(screen.getByRole('checkbox', { name: 'Select every environment shown' })).toHaveProperty('indeterminate', true);

    await user.click(screen.getByRole('button', { name: 'Export 2 selected' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    const exported = server.requests.find((request) => request.path.endsWith('/export'))?.body as { guids: string[] };
    expect([...exported.guids].sort()).toEqual([gpu.guid, notebook.guid].sort());

    // Every row shown, then none; then Clear selection after a single pick.
    await user.click(screen.getByRole('checkbox', { name: 'Select every environment shown' }));
    screen.getByRole('button', { name: 'Export 3 selected' });
    expect(screen.getByRole('checkbox', { name: 'Select every environment shown' })).toHaveProperty('checked', true);
    await user.click(screen.getByRole('checkbox', { name: 'Select every environment shown' }));
    screen.getByRole('button', { name: 'Export all' });
    await user.click(screen.getByRole('checkbox', { name: 'Select Runtime' }));
    await user.click(screen.getByRole('button', { name: 'Clear selection' }));
    expect(screen.getByRole('checkbox', { name: 'Select Runtime' })).toHaveProperty('checked', false);
    screen.getByRole('button', { name: 'Export all' });
    expect(screen.queryByRole('button', { name: 'Clear selection' })).toBeNull();
  });

  it('drops a picked environment that is deleted elsewhere from what Export takes', async () => {
    const streams = fakeEventSource();
    let environments = [runtime, gpu];
    const server = renderAppAt('/environments', admin, {
      'GET /__api__/v1/environments': () => json(200, environments),
      'GET /__api__/v1/environments/sync': () => json(200, syncOff),
      'POST /__api__/v1/environments/export': () => json(200, YAML),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('checkbox', { name: 'Select Runtime' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select GPU training' }));
    screen.getByRole('button', { name: 'Export 2 selected' });
    environments = [runtime];
    const deletion = { id: 1, time: '2026-03-01T10:00:00Z', action: 'delete_environment', subject_type: 'environment', subject_guid: gpu.guid, subject_name: gpu.name, user_guid: 'ana', user_description: 'Ana', via: 'tab' };
    act(() => streams.open()[0]!.emit('message', deletion, '1'));
    await waitFor(() => expect(screen.queryByRole('checkbox', { name: 'Select GPU training' })).toBeNull());
    await user.click(await screen.findByRole('button', { name: 'Export 1 selected' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(server.requests.find((request) => request.path.endsWith('/export'))?.body).toEqual({ guids: [runtime.guid] });
  });

  it('previews the plan of a chosen file, then applies it and reloads the list', async () => {
    let applied = false;
    const server = renderAppAt('/environments', admin, {
      'GET /__api__/v1/environments': () => json(200, applied ? [runtime, gpu, anEnvironment({ title: 'New one' })] : [runtime, gpu]),
      'GET /__api__/v1/environments/sync': () => json(200, syncOff),
      'POST /__api__/v1/environments/import/plan': () => json(200, plan()),
      'POST /__api__/v1/environments/import': () => {
        applied = true;
        return json(200, plan());
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Import…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Import environments' });
    expect(within(dialog).queryByRole('button', { name: 'Apply' })).toBeNull();
    await user.upload(within(dialog).getByLabelText('File to import'), new File([YAML], 'changed.yaml', { type: 'application/yaml' }));

    await within(dialog).findByText(/1 to create, 1 to update, 1 unchanged, no problems/);
    within(dialog).getByText('Entry 3: New one — ghcr.io/org/new:1');
    within(dialog).getByText(`Entry 1: ${runtime.name} (title)`);
    expect(server.requests.find((request) => request.path.endsWith('/import/plan'))?.body).toEqual({ document: YAML });
    expect(server.requests.some((request) => request.path.endsWith('/import'))).toBe(false);

    await user.click(within(dialog).getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await screen.findByText('3 environments');
    await screen.findByText(/Imported changed.yaml: 1 created, 1 updated/);
  });

  it('shows the problems of a file and offers no Apply', async () => {
    renderAppAt('/environments', admin, {
      'GET /__api__/v1/environments': () => json(200, [runtime]),
      'GET /__api__/v1/environments/sync': () => json(200, syncOff),
      'POST /__api__/v1/environments/import/plan': () =>
        json(200, plan({ creates: [], updates: [], unchanged: 0, entries: 1, problems: ['Entry 1 (ghcr.io/org/managed:1): it is managed by the environments file; change it there'] })),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Import…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Import environments' });
    await user.upload(within(dialog).getByLabelText('File to import'), new File(['[]'], 'bad.yaml'));
    await within(dialog).findByText(/1 problem\b/);
    within(within(dialog).getByRole('list', { name: 'Problems' })).getByText(/^Entry 1 \(ghcr.io\/org\/managed:1\)/);
    expect(within(dialog).getByRole('button', { name: 'Apply' }).hasAttribute('disabled')).toBe(true);
  });

  it('says why a file could not be read, and lets another be chosen', async () => {
    renderAppAt('/environments', admin, {
      'GET /__api__/v1/environments': () => json(200, [runtime]),
      'GET /__api__/v1/environments/sync': () => json(200, syncOff),
      'POST /__api__/v1/environments/import/plan': () =>
        json(400, { code: 2, error: 'The file is not valid YAML or JSON: unexpected end of the stream', payload: { field: 'document', problems: [] } }),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Import…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Import environments' });
    await user.upload(within(dialog).getByLabelText('File to import'), new File(['{'], 'broken.yaml'));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('broken.yaml cannot be imported. The file is not valid YAML or JSON');
    expect(within(dialog).getByLabelText('File to import').hasAttribute('disabled')).toBe(false);
  });

  it('offers publishers neither', async () => {
    renderAppAt('/environments', publisher, { 'GET /__api__/v1/environments': () => json(200, [runtime]) });
    await screen.findByRole('table', { name: 'Environments' });
    expect(screen.queryByRole('button', { name: /^Export/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Import…' })).toBeNull();
  });
});
