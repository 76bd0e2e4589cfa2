import { ErrorCode } from '@envdesk/domain';
import { aUser } from '@envdesk/domain/testing';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App, createAppQueryClient } from '../../app/providers';
import { type FakeHandler, fakeFetch, json } from '../../testing/fake-fetch';

const signedOut = () => json(200, { user: null });

function startAt(path: string, handlers: Record<string, FakeHandler>) {
  const server = fakeFetch({ 'GET /__api__/v1/auth/session': signedOut, ...handlers });
  vi.stubGlobal('fetch', server.fetch);
  window.history.replaceState(null, '', path);
  render(<App queryClient={createAppQueryClient()} />);
  return server;
}

async function signIn(username: string, password: string) {
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText('Username'), username);
  await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('sign-in page', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it("disables the button while signing in, then shows the server's message when the password is wrong", async () => {
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const server = startAt('/signin', {
      'POST /__api__/v1/auth/login': async () => {
        await answered;
        return json(401, { code: ErrorCode.InvalidLogin, error: 'The username or password is not correct.', payload: null });
      },
    });

    await signIn('admin', 'wrong-password');
    expect(screen.getByRole('button', { name: 'Sign in' })).toHaveProperty('disabled', true);
    answer();

    expect(await screen.findByRole('alert')).toHaveProperty('textContent', 'The username or password is not correct.');
    expect(screen.getByRole('button', { name: 'Sign in' })).toHaveProperty('disabled', false);
    expect(server.requests.find((r) => r.path === '/__api__/v1/auth/login')?.body).toEqual({
      username: 'admin',
      password: 'wrong-password',
    });
  });

  it('names the missing fields without asking the server', async () => {
    const server = startAt('/signin', {});
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Sign in' }));

    screen.getByText('Username is required.');
    expect(screen.getByLabelText('Password').getAttribute('aria-invalid')).toBe('true');
    expect(server.requests.some((r) => r.method === 'POST')).toBe(false);
  });

  it('sends a signed-out visitor to sign in, then back to the page they asked for', async () => {
    startAt('/content', {
      'POST /__api__/v1/auth/login': () => json(200, aUser({ username: 'pat', first_name: 'Pat', last_name: 'Publisher' })),
    });

    await screen.findByRole('heading', { name: 'Sign in' });
    expect(window.location.pathname + window.location.search).toBe('/signin?next=%2Fcontent');

    await signIn('pat', 'publisher-demo');

    await screen.findByRole('heading', { name: 'Content' });
    expect(window.location.pathname).toBe('/content');
    screen.getByText('Pat Publisher');
  });
});
