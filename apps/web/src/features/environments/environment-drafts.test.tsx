import { ErrorCode, environmentEtag } from '@envdesk/domain';
import { aUser, anEnvironment } from '@envdesk/domain/testing';
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { json } from '../../testing/fake-fetch';
import { renderAppAt, setUpPageTests } from '../../testing/render-app';
import { LEAVE_QUESTION } from './form/environment-form';

const admin = aUser({ user_role: 'administrator' });
const syncOk = { enabled: true, file: null, last_error: null };
const environment = anEnvironment({ title: 'Py 3.11', updated_time: '2026-03-01T10:00:00Z' });
// What the server answers a cookie whose session it no longer knows (expired, or signed out elsewhere).
const sessionEnded = { code: ErrorCode.InvalidLogin, error: 'Your session has ended; sign in again.', payload: null };

setUpPageTests();

function renderEditor(handlers: Parameters<typeof renderAppAt>[2] = {}) {
  return renderAppAt(`/environments/${environment.guid}`, admin, {
    [`GET /__api__/v1/environments/${environment.guid}`]: () => json(200, environment),
    [`GET /__api__/v1/environments/${environment.guid}/permissions`]: () => json(200, []),
    [`PUT /__api__/v1/environments/${environment.guid}`]: (request) => json(200, { ...environment, ...(request.body as object) }),
    'GET /__api__/v1/environments': () => json(200, [environment]),
    'GET /__api__/v1/environments/sync': () => json(200, syncOk),
    ...handlers,
  });
}

async function typeTitle(title: string) {
  const user = userEvent.setup();
  const field = await screen.findByLabelText('Title');
  await user.clear(field);
  await user.type(field, title);
  return user;
}

describe('a session that ends while the form is edited', () => {
  it('keeps the draft: after signing in again the form is back as it was, and saves against the version first opened', async () => {
    let signedIn = true;
    const server = renderEditor({
      'GET /__api__/v1/auth/session': () => json(200, { user: signedIn ? admin : null }),
      'GET /__api__/v1/auth/csrf': () => (signedIn ? json(200, { token: 'csrf' }) : json(401, sessionEnded)),
      'POST /__api__/v1/auth/login': () => {
        signedIn = true;
        return json(200, admin);
      },
    });
    const user = await typeTitle('Py 3.11 (half-way)');
    signedIn = false; // The session expires server-side.
    await user.click(screen.getByRole('button', { name: 'Save changes' }));

    await screen.findByRole('heading', { name: 'Sign in' });
    expect(window.location.search).toBe(`?next=${encodeURIComponent(`/environments/${environment.guid}`)}`);
    await user.type(screen.getByLabelText('Username'), admin.username);
    await user.type(screen.getByLabelText('Password'), 'secret-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    await screen.findByText(/Your unsaved changes from .* were restored/);
    expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('Py 3.11 (half-way)');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(window.location.pathname).toBe('/environments'));
    const saved = server.requests.filter((request) => request.method === 'PUT' && request.headers.get('if-match'));
    expect(saved.at(-1)?.headers.get('if-match')).toBe(environmentEtag(environment));
    expect(saved.at(-1)?.body).toMatchObject({ title: 'Py 3.11 (half-way)' });
    expect(window.sessionStorage.length).toBe(0);
  });

  it('a new environment’s draft comes back too, until it is discarded', async () => {
    const handlers = { 'GET /__api__/v1/environments/sync': () => json(200, syncOk), 'GET /__api__/v1/environments': () => json(200, []) };
    renderAppAt('/environments/new', admin, handlers);
    await typeTitle('Not yet saved');
    cleanup(); // The page goes away (the tab is reloaded, or the session ended).

    renderAppAt('/environments/new', admin, handlers);
    expect(((await screen.findByLabelText('Title')) as HTMLInputElement).value).toBe('Not yet saved');
    await userEvent.setup().click(screen.getByRole('button', { name: 'discard them' }));
    expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('');
    expect(window.sessionStorage.length).toBe(0);
  });
});

describe('leaving a form with unsaved changes', () => {
  it('asks first when a link is followed; staying keeps the edits, leaving drops the draft', async () => {
    renderEditor();
    const confirm = vi.fn(() => false);
    vi.stubGlobal('confirm', confirm);
    const user = await typeTitle('Edited');
    await user.click(screen.getByRole('link', { name: 'Cancel' }));
    expect(confirm).toHaveBeenCalledWith(LEAVE_QUESTION);
    expect(window.location.pathname).toBe(`/environments/${environment.guid}`);
    expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('Edited');

    confirm.mockReturnValue(true);
    await user.click(screen.getByRole('link', { name: 'Cancel' }));
    await waitFor(() => expect(window.location.pathname).toBe('/environments'));
    expect(window.sessionStorage.length).toBe(0);
  });

  it('asks on Back, and puts the address back when the person stays', async () => {
    renderEditor();
    const confirm = vi.fn(() => false);
    vi.stubGlobal('confirm', confirm);
    // Arrive at the form from the list, as a person would.
    await userEvent.setup().click(await screen.findByRole('link', { name: 'Cancel' }));
    await userEvent.setup().click(await screen.findByRole('link', { name: 'Py 3.11' }));
    await typeTitle('Edited');

    act(() => window.history.back());
    await waitFor(() => expect(confirm).toHaveBeenCalledWith(LEAVE_QUESTION));
    await waitFor(() => expect(window.location.pathname).toBe(`/environments/${environment.guid}`));
    expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('Edited');
  });

  it('asks the browser before the tab closes, and not at all once nothing is unsaved', async () => {
    renderEditor();
    await screen.findByLabelText('Title');
    const untouched = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(untouched);
    expect(untouched.defaultPrevented).toBe(false);

    await typeTitle('Edited');
    const edited = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(edited);
    expect(edited.defaultPrevented).toBe(true);

    await typeTitle('Py 3.11'); // Back to what is saved: nothing to lose.
    const restored = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(restored);
    expect(restored.defaultPrevented).toBe(false);
  });
});
