/**
 * The Environments tab with 50,000 environments (issue 14; `--environments` for another count), in
 * Debian's Chromium (the e2e launch options):
 *  - keystroke → filtered table rendered: from the input event's timestamp to the first frame whose
 *    table shows that search (the tab marks the search its rows were rendered for in `data-search`),
 *    measured after a paint; every keystroke of 50 searches typed key by key. Goal: p95 ≤ 16 ms, one
 *    frame at 60 Hz. Beside it, in the same run: the same keystrokes with the app's section frozen and
 *    the rows it showed put in place by plain DOM code (what the browser alone takes to show them),
 *    and with no row changed at all (the frame and the measuring alone).
 *  - first render: from the list response's last byte to the first painted frame with rows (JSON and
 *    schema parsing, sorting, indexing and rendering).
 *  - initial JS: the gzip size of the scripts index.html loads at once. Goal: ≤ 100 kB (issue 14).
 * A MISS is a measurement, not a failure: the exit code is 0 unless the set-up broke.
 *
 * `--unpaced` launches Chromium without its 60 Hz frame pacing (no frame-rate limit, no vsync), so a
 * keystroke's figure is the work of showing it without the wait for the next frame: what separates
 * the two on a machine where the goal is missed.
 *
 *   npm run bench:ui-search [-- --environments 50000 --searches 50 --loads 5 --profile keys.cpuprofile --trace keys.json --unpaced]
 *
 * Seeding is part of the run: 50,000 environments take about a minute on two cores.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { type Browser, type Page, chromium } from '@playwright/test';
import { openDatabase } from '../apps/server/src/db/database.js';
import { chromiumLaunchOptions } from '../e2e/chromium.js';
import { type ServerProcess, envdeskMain, freePort, startServer, stopServer } from './lib/processes.js';
import { seedEnvironments } from './lib/seed-environments.js';

const GOAL_P95_MS = 16;
// Issue 14: the first page within 100 kB gzip. It was 140.7 kB before TanStack Router, 139.4 kB with
// it on React; the web app on Preact's compatibility layer (apps/web/preact-aliases.ts) brought it
// under, as react-dom alone weighed 60 kB of it.
const GOAL_INITIAL_JS_KB = 100;
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const webDist = path.join(repoRoot, 'apps/web/dist');

const { values: options } = parseArgs({
  options: {
    environments: { type: 'string', default: '50000' },
    searches: { type: 'string', default: '50' },
    loads: { type: 'string', default: '5' },
    // A CPU profile of the keystrokes (Chrome's .cpuprofile, for DevTools), and its busiest code.
    profile: { type: 'string' },
    // A Chromium trace of the keystrokes (for chrome://tracing or Perfetto), and the renderer work it shows.
    trace: { type: 'string' },
    unpaced: { type: 'boolean', default: false },
  },
});
const ENVIRONMENT_COUNT = Number(options.environments);
const searchCount = Number(options.searches);
const loadCount = Number(options.loads);

const say = (text: string) => process.stdout.write(`${text}\n`);
const ms = (value: number) => `${value.toFixed(1)} ms`;

/** The 1, 5 and 15 minute load averages: the machine may be shared, and the figures depend on it. */
const loadAverage = () => loadavg().map((load) => load.toFixed(2)).join(', ');

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** The gzip size of each script index.html loads before the app can run: its entry and modulepreloads. */
async function initialScripts(): Promise<Array<{ file: string; bytes: number; gzipBytes: number }>> {
  const html = await readFile(path.join(webDist, 'index.html'), 'utf8');
  const sources = [
    ...[...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((match) => match[1]),
    ...[...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((match) => match[1]),
  ].filter((source): source is string => Boolean(source));
  return Promise.all(
    sources.map(async (source) => {
      const content = await readFile(path.join(webDist, source.replace(/^\//, '')));
      return { file: source, bytes: content.length, gzipBytes: gzipSync(content).length };
    }),
  );
}

/**
 * Page scripts are plain strings: tsx compiles functions with a naming helper that does not exist
 * in the page, so functions handed to `evaluate` must not define named inner functions.
 *
 * Installed before the app starts: when the list arrived, and when rows were first painted. A
 * message posted from an animation frame arrives once that frame has painted; the channel is kept
 * on window, as an unreferenced MessageChannel may be collected before it delivers.
 */
const PAGE_PROBES = `
(() => {
  const channel = new MessageChannel();
  let pending = null;
  channel.port1.onmessage = () => pending && pending();
  window.__afterPaint = (callback) => { pending = callback; channel.port2.postMessage(null); };
  window.__channel = channel;
  const probe = { listResponseEnd: -1, rowsPaintedAt: -1 };
  window.__probe = probe;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (new URL(entry.name).pathname === '/__api__/v1/environments') probe.listResponseEnd = entry.responseEnd;
    }
  }).observe({ type: 'resource', buffered: true });
  const observer = new MutationObserver(() => {
    if (!document.querySelector('table[aria-label="Environments"] tbody tr[aria-rowindex]')) return;
    observer.disconnect();
    requestAnimationFrame(() => window.__afterPaint(() => { probe.rowsPaintedAt = performance.now(); }));
  });
  // The document itself: init scripts run before <html> is parsed.
  observer.observe(document, { childList: true, subtree: true });

  // One keystroke: from the input event's timestamp until a painted frame shows that search.
  window.__armKeystroke = () => {
    window.__keystroke = new Promise((resolve) => {
      document.addEventListener('input', (event) => {
        const input = event.target;
        const started = event.timeStamp;
        const section = document.querySelector('section[data-search]');
        const frame = () => {
          if (!section || section.dataset.search !== input.value) return requestAnimationFrame(frame);
          window.__afterPaint(() => resolve(performance.now() - started));
        };
        requestAnimationFrame(frame);
      }, { capture: true, once: true });
    });
  };

  // The baseline: what the browser itself takes to show the same rows. While the app is measured,
  // the rows it showed for each search text are kept; then the app's section is swapped for a copy
  // that no app code drives, and a few lines of DOM code put the kept rows in place for each
  // keystroke, replacing only the rows that differ. Mode 'none' changes no row: a keystroke's floor.
  const shownFor = new Map();
  const tableBody = (root) => root.querySelector('table[aria-label="Environments"] tbody');
  window.__record = () => {
    const section = document.querySelector('section[data-search]');
    const body = section && tableBody(section);
    if (!body || shownFor.has(section.dataset.search)) return;
    shownFor.set(section.dataset.search, { rows: [...body.children].map((row) => row.outerHTML), count: section.querySelector('#environment-count').textContent });
  };
  window.__freeze = (mode) => {
    const live = document.querySelector('section[data-search]');
    const copy = live.cloneNode(true);
    live.replaceWith(copy);
    const body = tableBody(copy);
    const input = copy.querySelector('input[type="search"]');
    const count = copy.querySelector('#environment-count');
    const parse = document.createElement('template');
    const nodesFor = new Map();
    for (const [text, shown] of shownFor) {
      parse.innerHTML = '<table><tbody>' + shown.rows.join('') + '</tbody></table>';
      nodesFor.set(text, [...parse.content.querySelector('tbody').children]);
    }
    let current = [...body.children].map((row) => row.outerHTML);
    input.addEventListener('input', () => {
      const shown = mode === 'rows' ? shownFor.get(input.value) : undefined;
      if (shown) {
        const rows = nodesFor.get(input.value);
        const existing = [...body.children];
        shown.rows.forEach((html, index) => {
          if (current[index] === html) return;
          const row = rows[index].cloneNode(true);
          if (existing[index]) existing[index].replaceWith(row);
          else body.append(row);
        });
        existing.slice(shown.rows.length).forEach((row) => row.remove());
        current = shown.rows;
        count.textContent = shown.count;
      }
      copy.dataset.search = input.value;
    });
  };
})();
`;

interface PageProbes {
  __probe: { listResponseEnd: number; rowsPaintedAt: number };
  __armKeystroke: () => void;
  __keystroke: Promise<number>;
  __record: () => void;
  __freeze: (mode: 'rows' | 'none') => void;
}

async function measureFirstRender(page: Page, url: string): Promise<{ afterData: number; fromNavigation: number }> {
  await page.goto(`${url}/environments`);
  await page
    .waitForFunction(() => (window as unknown as PageProbes).__probe.rowsPaintedAt > 0, null, { timeout: 60_000 })
    .catch(async (error: unknown) => {
      const shown = JSON.stringify(
        await page.evaluate(() => ({
          probe: (window as unknown as PageProbes).__probe,
          rows: document.querySelectorAll('table[aria-label="Environments"] tbody tr[aria-rowindex]').length,
        })),
      );
      throw new Error(`the table did not appear: ${(error as Error).message}\npage shows: ${shown.slice(0, 300)}`);
    });
  const probe = await page.evaluate(() => (window as unknown as PageProbes).__probe);
  if (probe.listResponseEnd < 0) throw new Error('the environment list request was not seen');
  return { afterData: probe.rowsPaintedAt - probe.listResponseEnd, fromNavigation: probe.rowsPaintedAt };
}

async function typeMeasured(page: Page, text: string): Promise<number[]> {
  const latencies: number[] = [];
  for (const character of text) {
    await page.evaluate(() => (window as unknown as PageProbes).__armKeystroke());
    await page.keyboard.type(character);
    latencies.push(await page.evaluate(() => (window as unknown as PageProbes).__keystroke));
    await page.evaluate(() => (window as unknown as PageProbes).__record());
  }
  return latencies;
}

/** Every keystroke of `searches`, each search typed into an emptied box: all latencies, and each search's last. */
async function typeSearches(page: Page, searches: readonly string[]): Promise<{ all: number[]; lastKeys: number[] }> {
  const search = page.getByLabel('Search environments');
  const all: number[] = [];
  const lastKeys: number[] = [];
  for (const query of searches) {
    await search.fill('');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('section[data-search]')?.dataset['search'] === '');
    await page.evaluate(() => (window as unknown as PageProbes).__record());
    const latencies = await typeMeasured(page, query);
    all.push(...latencies);
    lastKeys.push(latencies.at(-1) ?? Number.NaN);
  }
  await search.fill('');
  return { all, lastKeys };
}

/** Searches a site with many images would run: versions, titles, image parts, GUIDs, supervisor, combinations. */
function searchesFor(guids: readonly string[]): string[] {
  const fixed = [
    '3.11.9', '4.4.1', '1.4.557', '3.8', '4.2', '3.13.0', '1.5.57', '3.10.14', '4.3.3', '3.12',
    'finance', 'clinical', 'supply chain', 'research', 'dashboards', 'notebooks', 'marketing etl', 'platform apis', 'risk', 'nightly',
    'quay.io', 'gpu-runtime', 'registry.example.com', 'shiny-42', 'docker.io/rstudio', 'batch-77', 'py3.11', 'r4.4', 'notebook-1', 'api-9',
    'run-with-proxy', '#4242', '#77', '#9999', '#123',
    'finance 3.11', 'risk 4.4.1', 'gpu 3.12.4', 'quay shiny', 'clinical 1.5',
  ];
  const byGuid = guids.slice(0, Math.max(0, searchCount - fixed.length)).map((guid) => guid.slice(0, 8));
  return [...fixed, ...byGuid].slice(0, searchCount);
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }>;
  samples?: number[];
  timeDeltas?: number[];
}

/**
 * The functions with the most self time, with a glimpse of the (minified) source where each starts,
 * so the busy code can be found in the bundle.
 */
async function busiestCode(profile: CpuProfile, origin: string, top = 15): Promise<string[]> {
  const nodeById = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfTime = new Map<number, number>();
  const samples = profile.samples ?? [];
  samples.forEach((id, index) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas?.[index] ?? 0)));
  const byPlace = new Map<string, { micros: number; url: string; line: number; column: number; name: string }>();
  for (const [id, micros] of selfTime) {
    const frame = nodeById.get(id)?.callFrame;
    if (!frame) continue;
    const place = `${frame.functionName}@${frame.url}:${frame.lineNumber}:${frame.columnNumber}`;
    const entry = byPlace.get(place) ?? { micros: 0, url: frame.url, line: frame.lineNumber, column: frame.columnNumber, name: frame.functionName || '(anonymous)' };
    entry.micros += micros;
    byPlace.set(place, entry);
  }
  const total = [...byPlace.values()].reduce((sum, entry) => sum + entry.micros, 0);
  const sources = new Map<string, string[]>();
  const lines: string[] = [];
  for (const entry of [...byPlace.values()].sort((a, b) => b.micros - a.micros).slice(0, top)) {
    let glimpse = '';
    if (entry.url.startsWith(origin)) {
      if (!sources.has(entry.url)) sources.set(entry.url, (await readFile(path.join(webDist, new URL(entry.url).pathname), 'utf8').catch(() => '')).split('\n'));
      glimpse = (sources.get(entry.url)?.[entry.line] ?? '').slice(entry.column, entry.column + 70);
    }
    const where = entry.url ? `${path.basename(entry.url)}:${entry.line + 1}:${entry.column + 1}` : '';
    lines.push(`${((100 * entry.micros) / total).toFixed(1).padStart(5)}%  ${entry.name} ${where} ${glimpse}`);
  }
  return lines;
}

interface TraceFile {
  traceEvents: Array<{ name: string; ph: string; dur?: number; tid: number; pid: number; args?: { name?: string } }>;
}

/** Complete events summed by name on each process's busiest threads: where a keystroke's frames go. */
function busiestEvents(trace: TraceFile, keystrokes: number, top = 20): string[] {
  const threadNames = new Map<string, string>();
  for (const event of trace.traceEvents) if (event.ph === 'M' && event.name === 'thread_name') threadNames.set(`${event.pid}:${event.tid}`, event.args?.name ?? '?');
  const byName = new Map<string, number>();
  for (const event of trace.traceEvents) {
    if (event.ph !== 'X' || event.dur === undefined) continue;
    const key = `${threadNames.get(`${event.pid}:${event.tid}`) ?? event.tid} ${event.name}`;
    byName.set(key, (byName.get(key) ?? 0) + event.dur);
  }
  return [...byName]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, micros]) => `${(micros / 1000 / keystrokes).toFixed(2).padStart(7)} ms  ${name}`);
}

let server: ServerProcess | null = null;
let browser: Browser | null = null;
let dataDir: string | null = null;

async function cleanUp(): Promise<void> {
  await browser?.close().catch(() => undefined);
  browser = null;
  if (server) await stopServer(server);
  server = null;
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  dataDir = null;
}

process.once('SIGINT', () => {
  say('\ninterrupted; stopping');
  void cleanUp().finally(() => process.exit(130));
});

async function main(): Promise<void> {
  for (const required of [envdeskMain, path.join(webDist, 'index.html')]) {
    if (!existsSync(required)) throw new Error(`${path.relative(repoRoot, required)} is missing; run \`npm run build\` first`);
  }
  if ([ENVIRONMENT_COUNT, searchCount, loadCount].some((count) => !Number.isInteger(count) || count < 1)) {
    throw new Error('--environments, --searches and --loads must be whole numbers ≥ 1');
  }

  const scripts = await initialScripts();
  const initialKb = scripts.reduce((sum, script) => sum + script.gzipBytes, 0) / 1000;

  dataDir = await mkdtemp(path.join(tmpdir(), 'envdesk-ui-bench-'));
  const seeding = performance.now();
  const connection = await openDatabase({ dataDir });
  try {
    await seedEnvironments(connection, ENVIRONMENT_COUNT);
  } finally {
    await connection.close();
  }
  say(`seeded ${ENVIRONMENT_COUNT} environments in ${ms(performance.now() - seeding)}`);
  say(`load before measuring: ${loadAverage()}`);

  const admin = { username: 'admin', password: randomBytes(12).toString('hex') };
  const port = await freePort();
  server = await startServer({
    name: 'envdesk',
    args: [envdeskMain],
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      ENVDESK_DATA_DIR: dataDir,
      ENVDESK_BOOTSTRAP_USERNAME: admin.username,
      ENVDESK_BOOTSTRAP_PASSWORD: admin.password,
      ENVDESK_DEMO: '',
      ENVDESK_ENVIRONMENTS_FILE: '',
      LOG_LEVEL: 'warn',
    },
    port,
    logFile: path.join(dataDir, 'server.log'),
    readyPath: '/__ping__',
  });

  const unpacedArgs = options.unpaced ? ['--disable-frame-rate-limit', '--disable-gpu-vsync'] : [];
  browser = await chromium.launch({ ...chromiumLaunchOptions, args: [...(chromiumLaunchOptions.args ?? []), ...unpacedArgs] });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const login = await page.request.post(`${server.url}/__api__/v1/auth/login`, { data: admin });
  if (!login.ok()) throw new Error(`signing in failed: HTTP ${login.status()}`);
  const listed = await page.request.get(`${server.url}/__api__/v1/environments`);
  const guids = ((await listed.json()) as Array<{ guid: string }>).map((environment) => environment.guid);
  if (guids.length !== ENVIRONMENT_COUNT) throw new Error(`the server lists ${guids.length} environments, not ${ENVIRONMENT_COUNT}`);

  await page.addInitScript(PAGE_PROBES);
  const firstRenders: Array<{ afterData: number; fromNavigation: number }> = [];
  for (let load = 0; load < loadCount; load++) firstRenders.push(await measureFirstRender(page, server.url));
  const renderedRows = await page.locator('table[aria-label="Environments"] tbody tr[aria-rowindex]').count();
  const countText = await page.locator('#environment-count').textContent();

  const profiler = options.profile ? await context.newCDPSession(page) : null;
  if (profiler) {
    await profiler.send('Profiler.enable');
    await profiler.send('Profiler.setSamplingInterval', { interval: 100 });
    await profiler.send('Profiler.start');
  }
  // Where the keystrokes' main-thread time goes (Chromium's own counters, in seconds): script, style, layout, and the rest.
  const metrics = await context.newCDPSession(page);
  await metrics.send('Performance.enable');
  const counters = async () => {
    const { metrics: list } = await metrics.send('Performance.getMetrics');
    return Object.fromEntries(list.filter((metric) => /Duration$/.test(metric.name)).map((metric) => [metric.name, metric.value]));
  };
  const countersBefore = await counters();
  if (options.trace) await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.stack', 'blink', 'cc', 'gpu', 'viz'] });
  const searches = searchesFor(guids);
  const { all, lastKeys } = await typeSearches(page, searches);
  const countersAfter = await counters();
  if (options.trace) {
    const trace = await browser.stopTracing();
    await writeFile(options.trace, trace);
    say(`trace of the keystrokes: ${options.trace}; the renderer's busiest events per keystroke:`);
    for (const line of busiestEvents(JSON.parse(trace.toString('utf8')) as TraceFile, all.length)) say(`  ${line}`);
  }
  const perKeystroke = (name: string) => ms((1000 * ((countersAfter[name] ?? 0) - (countersBefore[name] ?? 0))) / all.length);
  if (profiler && options.profile) {
    const { profile } = await profiler.send('Profiler.stop');
    await writeFile(options.profile, JSON.stringify(profile));
    say(`CPU profile of the keystrokes: ${options.profile}; most time spent in:`);
    for (const line of await busiestCode(profile, server.url)) say(`  ${line}`);
  }
  if (pageErrors.length > 0) throw new Error(`the page reported errors: ${pageErrors.join('; ')}`);

  // The same keystrokes with no app code: the rows the app showed put in place by plain DOM code,
  // then with no row changed at all (the frame and the measuring alone).
  await page.evaluate(() => (window as unknown as PageProbes).__freeze('rows'));
  const withoutApp = (await typeSearches(page, searches)).all;
  await page.evaluate(() => (window as unknown as PageProbes).__freeze('none'));
  const unchanged = (await typeSearches(page, searches)).all;

  const p95 = percentile(all, 95);
  const afterData = firstRenders.map((figure) => figure.afterData);
  const fromNavigation = firstRenders.map((figure) => figure.fromNavigation);
  say('');
  say(`Environments tab, ${countText?.trim()}; ${renderedRows} rows in the DOM (virtualized)${options.unpaced ? '; frames unpaced (no 60 Hz limit)' : ''}`);
  say(`keystroke → filtered table painted, ${all.length} keystrokes of ${lastKeys.length} searches:`);
  say(`  p50 ${ms(percentile(all, 50))}   p95 ${ms(p95)}   max ${ms(Math.max(...all))}`);
  say(`  last keystroke of each search: p50 ${ms(percentile(lastKeys, 50))}   p95 ${ms(percentile(lastKeys, 95))}`);
  say(`  baseline, the same rows put in place by plain DOM code (no app): p50 ${ms(percentile(withoutApp, 50))}   p95 ${ms(percentile(withoutApp, 95))}`);
  say(`  floor, the same keystrokes changing no row: p50 ${ms(percentile(unchanged, 50))}   p95 ${ms(percentile(unchanged, 95))}`);
  say(
    `  main thread per keystroke (mean): tasks ${perKeystroke('TaskDuration')} = script ${perKeystroke('ScriptDuration')} + style ${perKeystroke('RecalcStyleDuration')} + layout ${perKeystroke('LayoutDuration')} + other`,
  );
  say(`first render after the list arrives (${loadCount} loads): median ${ms(percentile(afterData, 50))}   max ${ms(Math.max(...afterData))}`);
  say(`  navigation start → rows painted: median ${ms(percentile(fromNavigation, 50))}`);
  say(`initial JS (${scripts.map((script) => path.basename(script.file)).join(', ')}): ${initialKb.toFixed(1)} kB gzip (${(scripts.reduce((sum, script) => sum + script.bytes, 0) / 1000).toFixed(1)} kB raw)`);
  say('');
  const goals = [
    { name: 'keystroke p95', value: ms(p95), target: `≤ ${GOAL_P95_MS} ms`, met: p95 <= GOAL_P95_MS },
    { name: 'initial JS gzip', value: `${initialKb.toFixed(1)} kB`, target: `≤ ${GOAL_INITIAL_JS_KB} kB`, met: initialKb <= GOAL_INITIAL_JS_KB },
  ];
  say(`load after measuring: ${loadAverage()} (${cpus().length} cores)`);
  for (const goal of goals) say(`${goal.name.padEnd(18)} ${goal.value.padStart(10)}   goal ${goal.target}   ${goal.met ? 'PASS' : '*** MISS ***'}`);
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`bench:ui-search failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => cleanUp());
