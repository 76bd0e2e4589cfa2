import net from 'node:net';

export interface TcpProxy {
  /** The port clients connect to; it stays the same across `cut()` and `restore()`. */
  readonly port: number;
  /** Like a database restart: every open connection is cut and new ones are refused (ECONNREFUSED). */
  cut(): Promise<void>;
  /** Like a network partition that drops packets: nothing is forwarded any more, nothing is refused. */
  stall(): void;
  /** Accepts and forwards connections again, on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A TCP proxy to put between the server and PostgreSQL, so a test can take the database away and
 * bring it back without touching the PostgreSQL server that other tests share.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let stalled = false;
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A cut connection errors on both sides; the proxy only forwards, it has nothing to report.
    socket.on('error', () => socket.destroy());
  };
  const server = net.createServer((client) => {
    track(client);
    if (stalled) return client.pause();
    const upstream = net.connect(target.port, target.host);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });

  const port = await listen(0);
  return {
    port,
    cut: stopListening,
    stall() {
      stalled = true;
      for (const socket of sockets) {
        socket.unpipe();
        socket.pause();
      }
    },
    async restore() {
      // Stalled connections stay dead (their bytes are lost, as in a real partition); new ones flow.
      if (stalled) for (const socket of sockets) socket.destroy();
      stalled = false;
      if (!server.listening) await listen(port);
    },
    close: stopListening,
  };
}
