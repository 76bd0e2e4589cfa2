import type { ApiKey } from '@envdesk/domain';
import { aUser } from '@envdesk/domain/testing';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json } from '../../testing/fake-fetch';
import { renderAppAt, setUpPageTests } from '../../testing/render-app';

const viewer = aUser({ user_role: 'viewer', first_name: 'Vic', last_name: 'Viewer' });

const laptop: ApiKey = { id: '7', name: 'laptop', created_time: '2026-03-01T09:00:00Z', last_used_time: '2026-03-02T10:30:00Z' };

/** A fake of the three key routes, holding its keys the way the server would. */
function keyServer(initial: ApiKey[]) {
  let keys = [...initial];
  let next = 100;
  return {
    'GET /__api__/v1/user/keys': () => json(200, keys),
    'POST /__api__/v1/user/keys': (request: { body: unknown }) => {
      const { name } = request.body as { name: string };
      const key = { id: String(++next), name, created_time: '2026-03-03T08:00:00Z', last_used_time: null };
      keys = [...keys, key];
      return json(200, { ...key, key: 'sEcReT-once-only' });
    },
    'DELETE /__api__/v1/user/keys/7': () => {
      keys = keys.filter((key) => key.id !== '7');
      return json(204);
    },
  };
}

setUpPageTests();

describe('the API keys page', () => {
  it('is reached from the header by everyone, viewers too, and lists their keys with when each was made and last used', async () => {
    renderAppAt('/content', viewer, { ...keyServer([laptop]), 'GET /__api__/v1/content': () => json(200, []) });
    await userEvent.setup().click(await screen.findByRole('link', { name: 'API keys' }));

    const table = await screen.findByRole('table', { name: 'Your keys' });
    const row = within(table).getByRole('row', { name: /laptop/ });
    within(row).getByText('1 Mar 2026, 09:00');
    within(row).getByText('2 Mar 2026, 10:30');
    // Effects run after the paint (Preact schedules them so): the title follows shortly.
    await waitFor(() => expect(document.title).toBe('API keys · envdesk'));
  });

  it('creates a key and shows its secret once, with a Copy button and a warning, and lists it', async () => {
    const server = renderAppAt('/keys', viewer, keyServer([]));
    const user = userEvent.setup();
    await screen.findByText('You have no API keys yet.');

    await user.type(screen.getByLabelText('Name'), '  CI deploys  ');
    await user.click(screen.getByRole('button', { name: 'Create key' }));

    const panel = await screen.findByRole('region', { name: 'Your new key “CI deploys”' });
    expect(server.requests.find((request) => request.method === 'POST')?.body).toEqual({ name: 'CI deploys' });
    within(panel).getByText('Copy it now: you will not see it again.');
    expect((within(panel).getByLabelText('API key') as HTMLInputElement).value).toBe('sEcReT-once-only');
    expect(document.activeElement).toBe(within(panel).getByRole('heading'));

    await user.click(within(panel).getByRole('button', { name: 'Copy key' }));
    await within(panel).findByText('Copied to the clipboard.');
    expect(await navigator.clipboard.readText()).toBe('sEcReT-once-only');

    const table = await screen.findByRole('table', { name: 'Your keys' });
    within(within(table).getByRole('row', { name: /CI deploys/ })).getByText('Never');

    // Done hides the secret for good: nothing on the page holds it any more.
    await user.click(within(panel).getByRole('button', { name: 'Done' }));
    expect(screen.queryByDisplayValue('sEcReT-once-only')).toBeNull();
  });

  it('refuses an empty name without asking the server, and shows what the server says is wrong', async () => {
    const server = renderAppAt('/keys', viewer, {
      ...keyServer([]),
      'POST /__api__/v1/user/keys': () => json(400, { code: 3, error: 'The name is not allowed here.', payload: { field: 'name' } }),
    });
    const user = userEvent.setup();
    await screen.findByText('You have no API keys yet.');

    await user.click(screen.getByRole('button', { name: 'Create key' }));
    screen.getByText('The name is required.');
    expect(document.activeElement).toBe(screen.getByLabelText('Name'));
    expect(server.requests.some((request) => request.method === 'POST')).toBe(false);

    await user.type(screen.getByLabelText('Name'), 'x'.repeat(101));
    await user.click(screen.getByRole('button', { name: 'Create key' }));
    screen.getByText('The name must be at most 100 characters.');

    await user.clear(screen.getByLabelText('Name'));
    await user.type(screen.getByLabelText('Name'), 'laptop');
    await user.click(screen.getByRole('button', { name: 'Create key' }));
    await screen.findByText('The key was not created. The name is not allowed here.');
    expect(screen.queryByRole('region', { name: /Your new key/ })).toBeNull();
  });

  it('deletes a key only after confirming, then says so and moves focus to the list', async () => {
    const server = renderAppAt('/keys', viewer, keyServer([laptop]));
    const user = userEvent.setup();
    const table = await screen.findByRole('table', { name: 'Your keys' });

    await user.click(within(table).getByRole('button', { name: 'Delete key “laptop”' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete the key “laptop”?' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(server.requests.some((request) => request.method === 'DELETE')).toBe(false);

    await user.click(within(table).getByRole('button', { name: 'Delete key “laptop”' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete key' }));
    await screen.findByText('You have no API keys yet.');
    expect(server.requests.filter((request) => request.method === 'DELETE').map((request) => request.path)).toEqual(['/__api__/v1/user/keys/7']);
    screen.getByText('Deleted the key “laptop”.');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Your keys' })));
  });
});
