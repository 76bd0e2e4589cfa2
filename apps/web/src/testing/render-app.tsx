import type { User } from '@envdesk/domain';
import { cleanup, render } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import { App, createAppQueryClient } from '../app/providers';
import { type FakeHandler, fakeFetch, json } from './fake-fetch';
import { fakeLayout } from './layout';

/** Renders the whole app at `path`, signed in as `user`, against a fake server. */
export function renderAppAt(path: string, user: User, handlers: Record<string, FakeHandler>) {
  const server = fakeFetch({
    'GET /__api__/v1/auth/session': () => json(200, { user }),
    'GET /__api__/v1/auth/csrf': () => json(200, { token: 'csrf-token' }),
    ...handlers,
  });
  vi.stubGlobal('fetch', server.fetch);
  window.history.replaceState(null, '', path);
  const queryClient = createAppQueryClient();
  // A failed request shows its error at once instead of after the app's back-off.
  queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retry: false } });
  render(<App queryClient={queryClient} />);
  return server;
}

/** Page tests: a layout for virtualized tables, and a fresh DOM and fetch after each test. */
export function setUpPageTests(): void {
  let restoreLayout: () => void;
  beforeAll(() => {
    restoreLayout = fakeLayout();
  });
  afterAll(() => restoreLayout());
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
    // Drafts of unsaved forms live here; each test starts without any.
    window.sessionStorage.clear();
  });
}
