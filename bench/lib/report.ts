import type { LoadFigures } from './load.js';

export interface Goal {
  readonly name: string;
  readonly ratio: number;
  readonly target: string;
  readonly met: boolean;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

/**
 * Each column's median over several runs of one server. Other work on a small machine (a test
 * suite, a build) slows whole runs; a median ignores one such run where a mean would not.
 */
export function medianOf(label: string, runs: readonly LoadFigures[]): LoadFigures {
  if (runs.length === 0) throw new Error('no runs to summarise');
  const column = (key: Exclude<keyof LoadFigures, 'label'>) => median(runs.map((run) => run[key]));
  return {
    label,
    requests: column('requests'),
    requestsPerSecond: column('requestsPerSecond'),
    p50Ms: column('p50Ms'),
    p99Ms: column('p99Ms'),
    megabytesPerSecond: column('megabytesPerSecond'),
    bytesPerResponse: column('bytesPerResponse'),
    serverCpuMsPerRequest: column('serverCpuMsPerRequest'),
    serverCpuPercent: column('serverCpuPercent'),
    loadToolCpuPercent: column('loadToolCpuPercent'),
  };
}

/** (slowest − fastest) / median requests per second over one server's runs: how steady the machine was. */
export function spreadOf(runs: readonly LoadFigures[]): number {
  const rates = runs.map((run) => run.requestsPerSecond);
  return (Math.max(...rates) - Math.min(...rates)) / median(rates);
}

/** The goals: throughput ≥ 0.8× the bare route's, p99 ≤ 1.5× the bare route's. */
export function goalsMet(envdesk: LoadFigures, bare: LoadFigures): Goal[] {
  const throughput = envdesk.requestsPerSecond / bare.requestsPerSecond;
  const p99 = envdesk.p99Ms / bare.p99Ms;
  return [
    { name: 'throughput envdesk/bare', ratio: throughput, target: '≥ 0.8', met: throughput >= 0.8 },
    { name: 'p99 envdesk/bare', ratio: p99, target: '≤ 1.5', met: p99 <= 1.5 },
  ];
}

const columns: ReadonlyArray<{ heading: string; width: number; cell: (row: LoadFigures) => string }> = [
  { heading: '', width: 16, cell: (row) => row.label },
  { heading: 'req/s', width: 7, cell: (row) => row.requestsPerSecond.toFixed(1) },
  { heading: 'p50 ms', width: 7, cell: (row) => row.p50Ms.toFixed(0) },
  { heading: 'p99 ms', width: 7, cell: (row) => row.p99Ms.toFixed(0) },
  { heading: 'MB/s', width: 6, cell: (row) => row.megabytesPerSecond.toFixed(0) },
  { heading: 'bytes/resp', width: 10, cell: (row) => Math.round(row.bytesPerResponse).toString() },
  { heading: 'requests', width: 8, cell: (row) => Math.round(row.requests).toString() },
  { heading: 'srv CPU ms/req', width: 14, cell: (row) => row.serverCpuMsPerRequest.toFixed(2) },
  { heading: 'srv CPU %', width: 9, cell: (row) => row.serverCpuPercent.toFixed(0) },
  { heading: 'load tool CPU %', width: 15, cell: (row) => row.loadToolCpuPercent.toFixed(0) },
];

export function figuresTable(rows: readonly LoadFigures[]): string {
  const line = (cells: readonly string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(columns[0]?.width ?? 0) : cell.padStart(columns[i]?.width ?? 0))).join(' ');
  return [line(columns.map((column) => column.heading)), ...rows.map((row) => line(columns.map((column) => column.cell(row))))].join('\n');
}

export function goalsTable(goals: readonly Goal[]): string {
  return goals
    .map((goal) => `${goal.name.padEnd(24)} ${goal.ratio.toFixed(2).padStart(6)}   goal ${goal.target}   ${goal.met ? 'PASS' : '*** MISS ***'}`)
    .join('\n');
}
