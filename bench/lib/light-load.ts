import { type Socket, connect } from 'node:net';
import type { LoadFigures, LoadOptions } from './load.js';
import { cpuSecondsOf } from './processes.js';

/** The flat-out round's options, less its load tool's, with the requests per second to send on a fixed schedule. */
export type RateOptions = Pick<LoadOptions, 'url' | 'connections' | 'durationSeconds' | 'headers' | 'serverPid'> & { readonly rate: number };

const HEADERS_END = Buffer.from('\r\n\r\n');
/** Where each socket's reads land: one buffer, reused, so no read allocates. */
const READ_BUFFER_BYTES = 1 << 20;

/** One keep-alive connection, one request at a time; its answer is counted, not kept. */
interface Connection {
  readonly socket: Socket;
  busy: boolean;
  scheduledAt: number;
  head: Buffer;
  /** Body bytes still to come; -1 while the head is being read. */
  remaining: number;
}

/**
 * A fixed-rate client for the round that compares server CPU per request. autocannon parses every
 * answer it reads, and at 7.5 MB an answer that took both of this machine's cores at 30 requests a
 * second, so the servers it measured were starved and slowed by it, each differently from run to
 * run. This one reads each answer into one reused buffer and only counts its bytes, leaving the
 * cores to the server being measured. Latency runs from when a request was due, not when a free
 * connection sent it, so a slow server is not flattered by the schedule waiting for it.
 */
export async function measureAtRate(label: string, { url, rate, connections, durationSeconds, headers = {}, serverPid }: RateOptions): Promise<LoadFigures> {
  const target = new URL(url);
  const headerLines = Object.entries({ Host: target.host, Connection: 'keep-alive', ...headers }).map(([name, value]) => `${name}: ${value}\r\n`);
  const request = Buffer.from(`GET ${target.pathname}${target.search} HTTP/1.1\r\n${headerLines.join('')}\r\n`);
  const latencies: number[] = [];
  let bytes = 0;
  let failure: Error | null = null;
  /** When each request that found no free connection was due, oldest first. */
  const due: number[] = [];
  const idle: Connection[] = [];
  const readBuffers = Array.from({ length: connections }, () => Buffer.allocUnsafe(READ_BUFFER_BYTES));

  const send = (connection: Connection, scheduledAt: number) => {
    connection.busy = true;
    connection.scheduledAt = scheduledAt;
    connection.head = Buffer.alloc(0);
    connection.remaining = -1;
    connection.socket.write(request);
  };
  const finished = (connection: Connection) => {
    latencies.push(performance.now() - connection.scheduledAt);
    connection.busy = false;
    const waiting = due.shift();
    // Sent at once, but timed from when it was due: the schedule is the clock.
    if (waiting === undefined) idle.push(connection);
    else send(connection, waiting);
  };
  const received = (connection: Connection, chunk: Buffer) => {
    bytes += chunk.length;
    if (connection.remaining < 0) {
      connection.head = Buffer.concat([connection.head, chunk]);
      const end = connection.head.indexOf(HEADERS_END);
      if (end < 0) return;
      const head = connection.head.subarray(0, end).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
      if (status !== 200 && status !== 304) failure ??= new Error(`${label}: answered ${status}: ${head.split('\r\n')[0]}`);
      if (length === undefined && status !== 304) failure ??= new Error(`${label}: an answer without Content-Length (this client reads no chunked bodies)`);
      connection.remaining = Number(length ?? 0) - (connection.head.length - end - HEADERS_END.length);
    } else connection.remaining -= chunk.length;
    if (connection.remaining === 0) finished(connection);
    else if (connection.remaining < 0) failure ??= new Error(`${label}: more bytes than the answer's Content-Length`);
  };

  const opened = await Promise.all(
    readBuffers.map(
      (buffer) =>
        new Promise<Connection>((resolve, reject) => {
          let connection: Connection | null = null;
          const socket = connect({
            host: target.hostname,
            port: Number(target.port),
            // Node reads into this buffer and calls back with the byte count; nothing is allocated per read.
            onread: {
              buffer,
              callback: (length) => {
                if (connection) received(connection, buffer.subarray(0, length));
                return true;
              },
            },
          });
          socket.setNoDelay(true);
          socket.once('connect', () => {
            connection = { socket, busy: false, scheduledAt: 0, head: Buffer.alloc(0), remaining: -1 };
            resolve(connection);
          });
          socket.once('error', reject);
        }),
    ),
  );
  for (const connection of opened) {
    connection.socket.on('error', (error) => {
      failure ??= new Error(`${label}: ${error.message}`);
    });
    connection.socket.on('close', () => {
      if (connection.busy) {
        failure ??= new Error(`${label}: the server closed a connection mid-answer`);
        return;
      }
      // An idle connection the server let go (its keep-alive timeout: bare Express's is 5 s, and at a
      // low rate most connections wait longer than that): a request written to it would vanish.
      const at = idle.indexOf(connection);
      if (at >= 0) idle.splice(at, 1);
    });
    idle.push(connection);
  }

  const serverCpuBefore = cpuSecondsOf(serverPid);
  const loadToolCpuBefore = process.cpuUsage();
  const scheduleStart = performance.now();
  const total = Math.round(rate * durationSeconds);
  for (let sent = 0; sent < total && !failure; sent += 1) {
    const at = scheduleStart + sent * (1000 / rate);
    const wait = at - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const connection = idle.pop();
    if (connection) send(connection, at);
    else due.push(at);
  }
  // The last answers, then the figures; a server that stops answering fails the run.
  const deadline = performance.now() + 30_000;
  while (!failure && (latencies.length < total || opened.some((connection) => connection.busy))) {
    if (performance.now() > deadline) failure = new Error(`${label}: ${total - latencies.length} answers still missing after 30 s`);
    if (due.length > 0 && opened.every((connection) => connection.socket.destroyed)) failure ??= new Error(`${label}: the server closed every connection`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const elapsedSeconds = (performance.now() - scheduleStart) / 1000;
  const serverCpuAfter = cpuSecondsOf(serverPid);
  const loadToolCpu = process.cpuUsage(loadToolCpuBefore);
  for (const connection of opened) connection.socket.destroy();
  if (failure) throw failure;

  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
  const serverCpuSeconds = serverCpuBefore === null || serverCpuAfter === null ? Number.NaN : serverCpuAfter - serverCpuBefore;
  return {
    label,
    requests: latencies.length,
    requestsPerSecond: latencies.length / elapsedSeconds,
    p50Ms: Math.round(at(50)),
    p99Ms: Math.round(at(99)),
    megabytesPerSecond: bytes / elapsedSeconds / 1e6,
    bytesPerResponse: bytes / latencies.length,
    serverCpuMsPerRequest: (serverCpuSeconds * 1000) / latencies.length,
    serverCpuPercent: (100 * serverCpuSeconds) / elapsedSeconds,
    loadToolCpuPercent: (100 * (loadToolCpu.user + loadToolCpu.system)) / 1e6 / elapsedSeconds,
  };
}
