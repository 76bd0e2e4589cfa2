/**
 * Environment selection at 1,000 and 10,000 environments, against JSON.parse of those same
 * environments, in the same run. Goal: selection's p95 ≤ JSON.parse's p95 at each size (both
 * tails taken in interleaved rounds, so a busy machine slows both alike; the stricter p95 ≤
 * JSON.parse's median is printed beside it).
 *
 * What is timed is what a deploy pays once the server has its per-revision snapshot: the whole
 * selection with the full explanation (every candidate, its reasons, the deploy log), given the
 * installation index that is built once per environments revision. The index build is timed
 * apart: the first deploy after an environments change pays it once. Not timed: the one-row
 * revision read that tells the server its snapshot is current. `--direct` also times selection
 * without the index (every installation judged on every deploy, as before the index).
 * Pure CPU, no IO; a MISS is a measurement, not a failure (exit code 0). Each figure is the median
 * over rounds, so that one round slowed by other work on a small machine does not decide it.
 *
 *   npm run bench:select [-- --runs 200 --warmup 50 --rounds 3 --direct]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  DEFAULT_VERSION_MATCHING,
  type Environment,
  type EnvironmentGrant,
  type SelectionInput,
  type VersionMatching,
  buildInstallationIndex,
  selectEnvironment,
} from '@envdesk/domain';
import { aGuid, aManifest, anActor, anEnvironment } from '@envdesk/domain/testing';

const SIZES = [1_000, 10_000];

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
    direct: { type: 'boolean', default: false },
    // Internal: the one size this process measures (see below).
    size: { type: 'string' },
  },
});
const runs = Number(options.runs);
const warmup = Number(options.warmup);
const rounds = Number(options.rounds);
for (const [name, value] of Object.entries({ runs, warmup, rounds })) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number ≥ 1`);
}

const rVersions = ['3.6.3', '4.0.5', '4.1.3', '4.2.1', '4.2.3', '4.3.3', '4.4.1', '4.4.2'];
const pythonVersions = ['3.8.18', '3.9.19', '3.10.14', '3.11.3', '3.11.9', '3.12.4', '3.13.0', '3.13.0rc1'];
const quartoVersions = ['1.3.450', '1.4.557', '1.5.57', '1.6.39'];
const TEAM = aGuid(900_001);

/** The `n`th item of `list`, wrapping around: the same environments on every run. */
const pick = <T>(list: readonly T[], n: number): T => list[n % list.length]!;

/** `count` consecutive versions starting at the `n`th, each at its conventional path. */
const installations = (versions: readonly string[], n: number, count: number, path: (version: string) => string) => ({
  installations: Array.from({ length: count }, (_, offset) => pick(versions, n + offset)).map((version) => ({ version, path: path(version) })),
});

/** A site with many images: 0–2 R, 0–3 Python and 0–1 Quarto installations, varied matching and grants. */
function siteEnvironments(count: number): SelectionInput['environments'] {
  return Array.from({ length: count }, (_, n) => {
    const environment: Environment = anEnvironment({
      id: String(n + 1),
      guid: aGuid(100_000 + n),
      name: `registry.example.org/team-${n % 40}/runtime-${n}:jammy`,
      title: `Runtime #${n}`,
      matching: n % 11 === 0 ? 'none' : n % 7 === 0 ? 'exact' : 'any',
      r: installations(rVersions, n, n % 3, (version) => `/opt/R/${version}/bin/R`),
      python: installations(pythonVersions, n >> 1, n % 4, (version) => `/opt/python/${version}/bin/python`),
      quarto: installations(quartoVersions, n >> 2, n % 5 === 0 ? 0 : 1, (version) => `/opt/quarto/${version}/bin/quarto`),
    });
    const grants: EnvironmentGrant[] =
      n % 5 === 0 ? [{ user_guid: aGuid(800_000 + n), group_guid: null }] : n % 13 === 0 ? [{ user_guid: null, group_guid: TEAM }] : [];
    return { environment, grants };
  });
}

interface Scenario {
  name: string;
  input: SelectionInput;
}

const owner = anActor({ role: 'publisher', groupGuids: [TEAM] });
const content = { default_environment_guid: null, default_image_name: null, default_r_environment_management: null, default_py_environment_management: null };

function scenarios(environments: SelectionInput['environments']): Scenario[] {
  const index = buildInstallationIndex(environments);
  const scenario = (name: string, manifest: SelectionInput['manifest'], matching: VersionMatching = DEFAULT_VERSION_MATCHING): Scenario => ({
    name,
    input: { manifest, content, owner, readBy: owner, environments, matching, index },
  });
  return [
    scenario(
      'automatic, R + Python + Quarto, Connect defaults',
      aManifest({ platform: '4.2.3', python: { version: '3.11.9' }, quarto: { version: '1.4.557', engines: ['knitr'] } }),
    ),
    scenario(
      'automatic, constraints (>=4.2.0,<5.0 / ~=3.10)',
      aManifest({ platform: '4.2.3', python: { version: '3.11.9' }, environment: { r: { requires: '>=4.2.0, <5.0' }, python: { requires: '~=3.10' } } }),
    ),
    scenario('automatic, Python only, exact matching', aManifest({ python: { version: '3.11.9' } }), { r: 'exact', python: 'exact', quarto: 'exact' }),
    scenario('requested image (one of all)', aManifest({ python: { version: '3.11.9' }, environment: { image: 'registry.example.org/team-6/runtime-6:jammy' } })),
  ];
}

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

interface Round {
  median: number;
  p95: number;
  cpu: number;
}

/**
 * Median and p95 wall-clock ms of `count` timed calls, and the mean CPU ms per call: on a busy
 * machine the wall-clock tail includes time the process waited for a core, the CPU time not.
 */
function timeRound(work: () => unknown, count: number): Round {
  const times: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  const cpu = process.cpuUsage(cpuBefore);
  return { median: percentile(times, 0.5), p95: percentile(times, 0.95), cpu: (cpu.user + cpu.system) / 1000 / count };
}

/** Each figure's median over the rounds. */
const overRounds = (figures: readonly Round[]): Round => ({
  median: percentile(figures.map((round) => round.median), 0.5),
  p95: percentile(figures.map((round) => round.p95), 0.5),
  cpu: percentile(figures.map((round) => round.cpu), 0.5),
});

const ms = (value: number, width: number) => value.toFixed(3).padStart(width);
const say = (text: string) => process.stdout.write(`${text}\n`);

/** Measures one size in this process; true when every scenario met the goal. */
function measureSize(size: number): boolean {
  let allMet = true;
  const environments = siteEnvironments(size);
  const text = JSON.stringify(environments);
  const build = overRounds(Array.from({ length: rounds }, () => timeRound(() => buildInstallationIndex(environments), Math.max(5, Math.ceil(runs / 10)))));
  const cases = scenarios(environments);
  for (let i = 0; i < warmup; i++) {
    JSON.parse(text);
    for (const { input } of cases) selectEnvironment(input);
  }
  const parseRounds: Round[] = [];
  const selectRounds = cases.map((): Round[] => []);
  for (let round = 0; round < rounds; round++) {
    parseRounds.push(timeRound(() => JSON.parse(text), runs));
    cases.forEach(({ input }, i) => selectRounds[i]!.push(timeRound(() => selectEnvironment(input), runs)));
  }
  // After the indexed rounds, so that the old path's calls do not change what the JIT made of the new one.
  const direct = options.direct
    ? cases.map(({ input }) => overRounds(Array.from({ length: rounds }, () => timeRound(() => selectEnvironment({ ...input, index: undefined }), Math.max(5, Math.ceil(runs / 10))))))
    : [];
  const parse = overRounds(parseRounds);
  say('');
  say(`${size.toLocaleString('en-US')} environments: JSON.parse of their ${(text.length / 1e6).toFixed(1)} MB: median ${parse.median.toFixed(3)} ms, p95 ${parse.p95.toFixed(3)} ms, CPU ${parse.cpu.toFixed(3)} ms`);
  say(`  index build, once per environments revision: median ${build.median.toFixed(3)} ms, p95 ${build.p95.toFixed(3)} ms, CPU ${build.cpu.toFixed(3)} ms`);
  say(`  ${'scenario'.padEnd(50)} ${'accepted'.padStart(8)} ${'median ms'.padStart(10)} ${'p95 ms'.padStart(8)} ${'CPU ms'.padStart(7)}  ${'p95 ≤ parse p95'.padEnd(16)} p95 ≤ parse median${options.direct ? '   without index: median / p95 ms' : ''}`);
  cases.forEach(({ name, input }, i) => {
    const figures = overRounds(selectRounds[i]!);
    const met = figures.p95 <= parse.p95;
    allMet &&= met;
    const accepted = selectEnvironment(input).candidates.filter((candidate) => candidate.accepted).length;
    const strict = figures.p95 <= parse.median ? 'yes' : 'no';
    const old = direct[i] ? `   ${direct[i].median.toFixed(3)} / ${direct[i].p95.toFixed(3)}` : '';
    say(`  ${name.padEnd(50)} ${String(accepted).padStart(8)} ${ms(figures.median, 10)} ${ms(figures.p95, 8)} ${ms(figures.cpu, 7)}  ${(met ? 'PASS' : '*** MISS ***').padEnd(16)} ${strict}${old}`);
  });
  return allMet;
}

if (options.size) {
  process.exitCode = measureSize(Number(options.size)) ? 0 : 3;
} else {
  say(`selectEnvironment with the per-revision index vs JSON.parse of the same environments: ${warmup} warm-up runs, then ${rounds} interleaved rounds of ${runs} timed runs each (median over rounds)`);
  // Each size in a fresh process: what V8 learnt from 1,000 environments would flatter 10,000
  // (a server that holds 10,000 never selected among 1,000 first).
  let allMet = true;
  for (const size of SIZES) {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2), '--size', String(size)], {
      stdio: 'inherit',
    });
    if (child.status !== 0 && child.status !== 3) throw new Error(`measuring ${size} environments failed (${child.status ?? child.signal})`);
    allMet &&= child.status === 0;
  }
  say('');
  say(allMet ? "PASS: every scenario's p95 ≤ JSON.parse's p95 at its size" : "MISS: some scenario's p95 > JSON.parse's p95 at its size");
}
