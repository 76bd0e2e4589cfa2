import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobinProxy {
  readonly url: string;
  /** Which replica (its index in `targets`) answered each request, in order. */
  readonly served: number[];
  close(): Promise<void>;
}

/**
 * The smallest load balancer: each request goes to the next replica in turn, as a balancer without
 * session affinity sends them, so consecutive requests of one client land on different processes.
 */
export async function startRoundRobinProxy(targets: readonly string[]): Promise<RoundRobinProxy> {
  let next = 0;
  const served: number[] = [];
  const server = http.createServer((request, response) => {
    const index = next++ % targets.length;
    served.push(index);
    const target = new URL(request.url ?? '/', targets[index]);
    // The Host header is passed on as the client sent it, as a balancer in front of one address does.
    const upstream = http.request(target, { method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', (error) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(`replica ${index} failed: ${error.message}`);
    });
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
