/** One server-sent message as a browser's EventSource would dispatch it (comments counted apart). */
export interface StreamMessage {
  readonly id: string | null;
  readonly event: string;
  readonly data: string;
}

export interface EventStream {
  readonly status: number;
  readonly headers: Headers;
  /** Every message so far, in order. */
  readonly messages: StreamMessage[];
  /** Comment lines so far (heartbeats). */
  comments(): number;
  /** Resolves with the first message (already received or to come) that matches. */
  next(matches: (message: StreamMessage) => boolean, timeoutMs?: number): Promise<StreamMessage>;
  /** Resolves once `count` comments have arrived. */
  waitForComments(count: number, timeoutMs?: number): Promise<void>;
  /** Resolves once the server has ended the stream. */
  ended(timeoutMs?: number): Promise<void>;
  /** The body, when the server did not answer with a stream (a refusal's JSON). */
  text(): Promise<string>;
  close(): void;
}

/** Opens `url` as an event stream and parses what arrives, as EventSource does (text/event-stream). */
export async function openEventStream(url: string, headers: Record<string, string> = {}): Promise<EventStream> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const messages: StreamMessage[] = [];
  let comments = 0;
  let over = false;
  const waiters = new Set<() => void>();
  const isStream = response.status === 200 && (response.headers.get('content-type') ?? '').startsWith('text/event-stream');

  if (isStream && response.body) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      let fields: { id: string | null; event: string; data: string[] } = { id: null, event: 'message', data: [] };
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let newline: number;
          while ((newline = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, newline);
            buffer = buffer.slice(newline + 1);
            if (line === '') {
              if (fields.data.length > 0) messages.push({ id: fields.id, event: fields.event, data: fields.data.join('\n') });
              fields = { id: null, event: 'message', data: [] };
            } else if (line.startsWith(':')) comments += 1;
            else {
              const colon = line.indexOf(':');
              const name = colon < 0 ? line : line.slice(0, colon);
              const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
              if (name === 'id') fields.id = value;
              else if (name === 'event') fields.event = value;
              else if (name === 'data') fields.data.push(value);
            }
          }
          for (const wake of [...waiters]) wake();
        }
      } catch {
        // Aborted by close().
      }
      over = true;
      for (const wake of [...waiters]) wake();
    })();
  }

  function waitUntil<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const found = check();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(wake);
        reject(new Error(`timed out waiting for ${what}; received ${JSON.stringify(messages)}`));
      }, timeoutMs);
      const wake = () => {
        const value = check();
        if (value === undefined) return;
        clearTimeout(timer);
        waiters.delete(wake);
        resolve(value);
      };
      waiters.add(wake);
    });
  }

  return {
    status: response.status,
    headers: response.headers,
    messages,
    comments: () => comments,
    next: (matches, timeoutMs = 5_000) => waitUntil(() => messages.find(matches), timeoutMs, 'a matching message'),
    waitForComments: (count, timeoutMs = 5_000) => waitUntil(() => (comments >= count ? true : undefined), timeoutMs, `${count} comments`).then(() => undefined),
    ended: (timeoutMs = 5_000) => waitUntil(() => (over ? true : undefined), timeoutMs, 'the end of the stream').then(() => undefined),
    text: () => response.text(),
    close: () => abort.abort(),
  };
}
