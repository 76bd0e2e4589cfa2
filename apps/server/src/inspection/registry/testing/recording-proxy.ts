import http from 'node:http';
import type net from 'node:net';

/**
 * An HTTP front for a real registry that notes every request it forwards (`GET /v2/r/blobs/sha256:…`),
 * so a test sees which blobs a read fetched; and, asked to, breaks the connection partway through
 * one blob's body, as a registry dying mid-layer does.
 */
export interface RecordingProxy {
  readonly host: string;
  /** `METHOD path` of every request, in order. */
  readonly requests: string[];
  /** The digests of the blobs fetched since the last `clear()`, in order. */
  blobGets(): string[];
  clear(): void;
  /** The next response for this blob is cut off after `afterBytes` bytes of its body. */
  breakBlob(digest: string, afterBytes: number): void;
  close(): Promise<void>;
}

export async function startRecordingProxy(upstream: { host: string }): Promise<RecordingProxy> {
  const requests: string[] = [];
  const breaking = new Map<string, number>();
  const server = http.createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push(`${request.method ?? 'GET'} ${path}`);
    const digest = /\/blobs\/(sha256:[a-f0-9]{64})$/.exec(path)?.[1];
    const cutAfter = digest === undefined ? undefined : breaking.get(digest);
    if (digest !== undefined) breaking.delete(digest);
    const forwarded = http.request(`http://${upstream.host}${path}`, { method: request.method, headers: { ...request.headers, host: upstream.host } }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      if (cutAfter === undefined) return void answer.pipe(response);
      let sent = 0;
      answer.on('data', (chunk: Buffer) => {
        if (sent >= cutAfter) return;
        const part = chunk.subarray(0, cutAfter - sent);
        sent += part.length;
        response.write(part);
        if (sent >= cutAfter) {
          answer.destroy();
          // Flushes what was written, then drops the connection mid-body.
          response.socket?.end(() => response.socket?.destroy());
        }
      });
    });
    forwarded.on('error', () => response.destroy());
    request.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    requests,
    blobGets: () => requests.flatMap((line) => /^GET \/v2\/.+\/blobs\/(sha256:[a-f0-9]{64})$/.exec(line)?.[1] ?? []),
    clear: () => void requests.splice(0),
    breakBlob: (digest, afterBytes) => void breaking.set(digest, afterBytes),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
