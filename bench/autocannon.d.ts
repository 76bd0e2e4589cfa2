/** The part of autocannon 8's API the benches use; the package ships no types. */
declare module 'autocannon' {
  interface Options {
    url: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    headers?: Record<string, string>;
    title?: string;
    /** Worker threads to spread the connections over; unset runs on the calling thread. */
    workers?: number;
  }

  /** hdr-histogram-percentiles-obj: latency in ms, requests per second, throughput in bytes per second. */
  interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    /** Set on `requests` (completed requests) and `throughput` (bytes), not on `latency`. */
    total?: number;
    p50: number;
    p90: number;
    p99: number;
  }

  interface Result {
    title?: string;
    url: string;
    latency: Histogram;
    requests: Histogram;
    throughput: Histogram;
    /** Seconds. */
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    statusCodeStats: Record<string, { count: number }>;
  }

  function autocannon(options: Options): Promise<Result> & { stop(): void };
  namespace autocannon {
    export type { Options, Result, Histogram };
  }
  export = autocannon;
}
