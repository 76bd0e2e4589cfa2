/**
 * The process bench:inspect measures (`node inspect-child.mjs LAYOUT TAG1 TAG2`): inspects the
 * layout's image TAG1 with a fresh layer cache, then TAG2 with the cache TAG1 left, and prints its
 * figures as JSON.
 * The bench runs it bundled, as `npm start` runs the server, so its memory is the server's code's
 * and not a TypeScript loader's.
 */
import { inspectedTitle } from '@envdesk/domain';
import { createImageInspector } from '../../apps/server/src/inspection/image-inspector.js';
import { registryClientFromSettings } from '../../apps/server/src/inspection/registry/registry-client.js';

export interface ChildFigures {
  readonly firstMs: number;
  readonly secondMs: number;
  /** CPU time (user + system, every thread: inflating runs on libuv's pool) of each inspection. */
  readonly firstCpuMs: number;
  readonly secondCpuMs: number;
  /** The process's peak resident set size. */
  readonly maxRssMb: number;
  readonly found: string;
  readonly secondLines: readonly string[];
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

async function main(layout: string, firstTag: string, secondTag: string): Promise<void> {
  const registry = await registryClientFromSettings({ registry: { authFile: undefined, insecureRegistries: [] } });
  const inspector = createImageInspector({ registry, allowLocalPaths: true, maxBytes: 16 * 1024 ** 3, timeoutMs: 600_000 });
  let started = performance.now();
  let cpu = process.cpuUsage();
  const first = await inspector.inspect({ name: `oci:${layout}:${firstTag}`, pathLookups: true });
  const firstMs = performance.now() - started;
  const firstCpuMs = cpuMs(cpu);
  const secondLines: string[] = [];
  started = performance.now();
  cpu = process.cpuUsage();
  await inspector.inspect({ name: `oci:${layout}:${secondTag}`, pathLookups: true, onProgress: (line) => secondLines.push(line) });
  const figures: ChildFigures = {
    firstMs,
    secondMs: performance.now() - started,
    firstCpuMs,
    secondCpuMs: cpuMs(cpu),
    // kilobytes on Linux
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    found: inspectedTitle(first.installations) ?? 'nothing',
    secondLines,
  };
  process.stdout.write(JSON.stringify(figures));
}

const [layout, firstTag, secondTag] = process.argv.slice(2);
if (!layout || !firstTag || !secondTag) throw new Error('usage: inspect-child LAYOUT TAG1 TAG2');
await main(layout, firstTag, secondTag);
