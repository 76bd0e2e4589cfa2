/**
 * Reads pytest's JUnit report of the Connect client suite into passes and failures per test file
 * (tools/test-clients.ts prints it and writes test-results/clients.json from it).
 */

export type Outcome = 'passed' | 'failed' | 'skipped';

export interface TestCase {
  readonly file: string;
  readonly name: string;
  outcome: Outcome;
  /** First line of each failure or error (a call failure and a teardown error both show). */
  messages: string[];
}

export interface FileResult {
  passed: number;
  failed: number;
  skipped: number;
  failures: string[];
}

export interface ClientsReport {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly files: Record<string, FileResult>;
}

const unescapeXml = (text: string) =>
  text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(parseInt(code, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/**
 * The test file of a JUnit `classname` (`integration.tests.posit.connect.test_content.TestContent`
 * → tests/posit/connect/test_content.py): the module is the path up to its last `test_…` part.
 */
export function fileOf(classname: string): string {
  const parts = classname.split('.');
  let last = parts.length - 1;
  while (last > 0 && !parts[last]!.startsWith('test_')) last -= 1;
  const first = Math.max(0, parts.indexOf('tests'));
  return `${parts.slice(first, last + 1).join('/')}.py`;
}

/**
 * Each test of pytest's JUnit report with its outcome. A teardown error comes as a second entry
 * for the same test: it fails that test rather than counting as one more.
 */
export function readJunit(xml: string): TestCase[] {
  const cases = new Map<string, TestCase>();
  for (const match of xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const attributes = match[1]!;
    const body = match[3] ?? '';
    const attribute = (name: string) => unescapeXml(new RegExp(`\\b${name}="([^"]*)"`).exec(attributes)?.[1] ?? '');
    const problem = /<(failure|error)\b[^>]*?message="([^"]*)"/.exec(body) ?? /<(failure|error)\b/.exec(body);
    const outcome: Outcome = problem ? 'failed' : /<skipped\b/.test(body) ? 'skipped' : 'passed';
    const id = `${attribute('classname')}::${attribute('name')}`;
    const seen = cases.get(id) ?? { file: fileOf(attribute('classname')), name: attribute('name'), outcome, messages: [] };
    if (problem) {
      seen.outcome = 'failed';
      seen.messages.push(unescapeXml(problem[2] ?? problem[1]!).split('\n')[0]!.slice(0, 200));
    }
    cases.set(id, seen);
  }
  return [...cases.values()];
}

/** Passes, failures and skips per file (sorted) and in total; a run that failed with no failing test still fails. */
export function summarize(cases: readonly TestCase[], pytestExitCode: number | null): ClientsReport {
  const files: Record<string, FileResult> = {};
  for (const testCase of [...cases].sort((a, b) => a.file.localeCompare(b.file))) {
    const result = (files[testCase.file] ??= { passed: 0, failed: 0, skipped: 0, failures: [] });
    result[testCase.outcome] += 1;
    if (testCase.outcome === 'failed') result.failures.push(`${testCase.name}: ${testCase.messages.join(' | ')}`);
  }
  const count = (outcome: Outcome) => cases.filter((testCase) => testCase.outcome === outcome).length;
  const failed = count('failed');
  return { passed: count('passed'), failed: pytestExitCode !== 0 && failed === 0 ? 1 : failed, skipped: count('skipped'), files };
}
