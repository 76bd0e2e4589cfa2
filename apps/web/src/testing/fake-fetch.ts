/**
 * A stand-in for the network edge: answers `fetch` from a table of `"METHOD /path"` handlers
 * (matched on the path alone) and records every request with its query string, so tests run the
 * real api-client, hooks and components against it and can assert the filters they sent.
 */

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** The query string, so a test can assert the filters the app asked for. */
  readonly query: URLSearchParams;
  readonly headers: Headers;
  readonly body: unknown;
}

export interface FakeAnswer {
  status: number;
  body?: unknown;
}

export type FakeHandler = (request: RecordedRequest) => FakeAnswer | Promise<FakeAnswer>;

export const json = (status: number, body?: unknown): FakeAnswer => ({ status, body });

export function fakeFetch(handlers: Record<string, FakeHandler>) {
  const requests: RecordedRequest[] = [];
  const fetch = async (input: string, init: RequestInit = {}): Promise<Response> => {
    const method = init.method ?? 'GET';
    const url = new URL(input, 'http://envdesk.test');
    const path = url.pathname;
    const request = {
      method,
      path,
      query: url.searchParams,
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
    };
    requests.push(request);
    const handler = handlers[`${method} ${path}`];
    const answer = handler ? await handler(request) : json(404, { code: 4, error: `No fake for ${method} ${path}.`, payload: null });
    const text = answer.body === undefined ? null : JSON.stringify(answer.body);
    return new Response(text, { status: answer.status, headers: text ? { 'Content-Type': 'application/json' } : {} });
  };
  return { fetch, requests };
}
