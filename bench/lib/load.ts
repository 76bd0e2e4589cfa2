import autocannon from 'autocannon';
import { cpuSecondsOf } from './processes.js';

/** What one measured run of one server gives. */
export interface LoadFigures {
  readonly label: string;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly megabytesPerSecond: number;
  /** Body plus headers, as the load tool counted them. */
  readonly bytesPerResponse: number;
  /** CPU the server process used per request (user + system); NaN where /proc is not available. */
  readonly serverCpuMsPerRequest: number;
  /** Share of one core used by the server and by the load tool: which of the two is the bottleneck. */
  readonly serverCpuPercent: number;
  readonly loadToolCpuPercent: number;
}

export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly headers?: Record<string, string>;
  /** Worker threads the load tool spreads its connections over; 0 runs it on this thread. */
  readonly workers: number;
  /** The server's process, whose CPU time is read before and after the run. */
  readonly serverPid: number | undefined;
  /** Every answer must have this status instead of a 2xx (a conditional round expects 304). */
  readonly expectStatus?: number;
}

/** Runs the load tool against `url`; throws if any request failed, timed out or was answered non-2xx. */
export async function measure(
  label: string,
  { url, connections, durationSeconds, headers = {}, workers, serverPid, expectStatus }: LoadOptions,
): Promise<LoadFigures> {
  const serverCpuBefore = cpuSecondsOf(serverPid);
  const loadToolCpuBefore = process.cpuUsage();
  const result = await autocannon({
    url,
    connections,
    duration: durationSeconds,
    headers,
    title: label,
    ...(workers > 0 ? { workers } : {}),
  });
  const serverCpuAfter = cpuSecondsOf(serverPid);
  const loadToolCpu = process.cpuUsage(loadToolCpuBefore);

  const statuses = Object.keys(result.statusCodeStats ?? {});
  const wrongStatus = expectStatus === undefined ? result.non2xx > 0 : statuses.some((status) => status !== String(expectStatus));
  if (result.errors > 0 || result.timeouts > 0 || wrongStatus) {
    throw new Error(
      `${label}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx responses${expectStatus ? ` (expected ${expectStatus})` : ''} ` +
        `(status counts ${JSON.stringify(result.statusCodeStats)})`,
    );
  }
  const requests = result.requests.total ?? 0;
  if (requests === 0) throw new Error(`${label}: no request completed`);
  const bytes = result.throughput.total ?? 0;
  const serverCpuSeconds = serverCpuBefore === null || serverCpuAfter === null ? Number.NaN : serverCpuAfter - serverCpuBefore;
  return {
    label,
    requests,
    requestsPerSecond: requests / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    megabytesPerSecond: bytes / result.duration / 1e6,
    bytesPerResponse: bytes / requests,
    serverCpuMsPerRequest: (serverCpuSeconds * 1000) / requests,
    serverCpuPercent: (100 * serverCpuSeconds) / result.duration,
    loadToolCpuPercent: (100 * (loadToolCpu.user + loadToolCpu.system)) / 1e6 / result.duration,
  };
}
