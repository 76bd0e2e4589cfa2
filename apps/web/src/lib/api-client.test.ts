import { ApiError, ErrorCode } from '@envdesk/domain';
import { describe, expect, it } from 'vitest';
import { fakeFetch, json } from '../testing/fake-fetch';
import { CSRF_HEADER, createApiClient } from './api-client';

const csrfRejection = json(403, {
  code: ErrorCode.PermissionDenied,
  error: 'Missing or invalid X-CSRF-Token header.',
  payload: { field: CSRF_HEADER },
});

describe('api client', () => {
  it('asks for the CSRF token once and sends it on every write, never on reads', async () => {
    const server = fakeFetch({
      'GET /__api__/v1/auth/csrf': () => json(200, { token: 'token-1' }),
      'POST /__api__/v1/things': () => json(200, { ok: true }),
      'GET /__api__/v1/things': () => json(200, []),
    });
    const client = createApiClient({ fetch: server.fetch });

    await client.post('/v1/things', { body: { a: 1 } });
    await client.post('/v1/things', { body: { a: 2 } });
    await client.get('/v1/things');

    expect(server.requests.map((r) => `${r.method} ${r.path} ${r.headers.get(CSRF_HEADER)}`)).toEqual([
      'GET /__api__/v1/auth/csrf null',
      'POST /__api__/v1/things token-1',
      'POST /__api__/v1/things token-1',
      'GET /__api__/v1/things null',
    ]);
    expect(server.requests[1]?.body).toEqual({ a: 1 });
  });

  it('fetches a fresh token and retries once when the server refuses the cached one', async () => {
    let issued = 0;
    const server = fakeFetch({
      'GET /__api__/v1/auth/csrf': () => json(200, { token: `token-${++issued}` }),
      'DELETE /__api__/v1/things/1': (request) => (request.headers.get(CSRF_HEADER) === 'token-2' ? json(204) : csrfRejection),
    });
    const client = createApiClient({ fetch: server.fetch });

    await expect(client.delete('/v1/things/1')).resolves.toBeUndefined();
    expect(server.requests.filter((r) => r.method === 'DELETE')).toHaveLength(2);
  });

  it('gives up after one retry and throws the refusal as an ApiError', async () => {
    const server = fakeFetch({
      'GET /__api__/v1/auth/csrf': () => json(200, { token: 'stale' }),
      'PUT /__api__/v1/things/1': () => csrfRejection,
    });
    const client = createApiClient({ fetch: server.fetch });

    const error = await client.put('/v1/things/1', { body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: ErrorCode.PermissionDenied, status: 403, payload: { field: CSRF_HEADER } });
    expect(server.requests.filter((r) => r.method === 'PUT')).toHaveLength(2);
  });

  it('rebuilds the server error, and names the status when the body is not an API error', async () => {
    const server = fakeFetch({
      'GET /__api__/v1/user': () => json(401, { code: ErrorCode.AuthRequired, error: 'You must sign in.', payload: null }),
      'GET /__api__/v1/broken': () => json(502, 'Bad gateway'),
    });
    const client = createApiClient({ fetch: server.fetch });

    await expect(client.get('/v1/user')).rejects.toMatchObject({ code: ErrorCode.AuthRequired, message: 'You must sign in.', status: 401 });
    await expect(client.get('/v1/broken')).rejects.toMatchObject({ code: ErrorCode.InternalFailure, status: 502 });
  });

  it('sends a Blob body as raw bytes with its content type, and the token, retrying with the same bytes', async () => {
    let issued = 0;
    const server = fakeFetch({
      'GET /__api__/v1/auth/csrf': () => json(200, { token: `token-${++issued}` }),
      'POST /__api__/v1/content/c1/bundles': (request) => (request.headers.get(CSRF_HEADER) === 'token-2' ? json(200, { id: '1' }) : csrfRejection),
    });
    const bodies: unknown[] = [];
    const client = createApiClient({
      fetch: (input, init) => {
        if (init.method === 'POST') bodies.push(init.body);
        return server.fetch(input, init);
      },
    });

    const archive = new Blob([new Uint8Array([0x1f, 0x8b, 8, 0])]);
    await expect(client.post('/v1/content/c1/bundles', { body: archive, contentType: 'application/gzip' })).resolves.toEqual({ id: '1' });
    const uploads = server.requests.filter((r) => r.method === 'POST');
    expect(uploads.map((r) => [r.headers.get('Content-Type'), r.headers.get(CSRF_HEADER)])).toEqual([
      ['application/gzip', 'token-1'],
      ['application/gzip', 'token-2'],
    ]);
    expect(bodies).toHaveLength(2);
    for (const body of bodies) expect(body).toBe(archive);
  });

  it('sends no token when signing in, as there is no session yet', async () => {
    const server = fakeFetch({ 'POST /__api__/v1/auth/login': () => json(200, {}) });
    const client = createApiClient({ fetch: server.fetch });

    await client.post('/v1/auth/login', { body: { username: 'a', password: 'b' }, csrf: false });
    expect(server.requests.map((r) => r.path)).toEqual(['/__api__/v1/auth/login']);
  });
});
