import { afterEach, describe, expect, it, vi } from 'vitest';
import { CSRF_HEADER, apiClient } from '../../../lib/api-client';
import { fakeFetch, json } from '../../../testing/fake-fetch';
import { logout } from './logout';

describe('logout', () => {
  afterEach(() => {
    apiClient.forgetCsrfToken();
    vi.unstubAllGlobals();
  });

  it('sends JSON with the session’s CSRF token, which the server needs to end the session', async () => {
    const server = fakeFetch({
      'GET /__api__/v1/auth/csrf': () => json(200, { token: 'session-token' }),
      'POST /__api__/v1/auth/logout': () => json(204),
    });
    vi.stubGlobal('fetch', server.fetch);

    await logout();

    const request = server.requests.find((r) => r.path === '/__api__/v1/auth/logout');
    expect(request?.headers.get(CSRF_HEADER)).toBe('session-token');
    expect(request?.headers.get('content-type')).toBe('application/json');
    expect(request?.body).toEqual({});
  });
});
