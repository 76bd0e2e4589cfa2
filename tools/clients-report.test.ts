import { describe, expect, it } from 'vitest';
import { fileOf, readJunit, summarize } from './clients-report.js';

/** pytest 7's JUnit report, as the client suite writes it: a teardown error is a second <testcase>. */
const REPORT = `<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="1" failures="1" skipped="1" tests="5">
<testcase classname="integration.tests.posit.connect.test_env.TestEnvVars" name="test_clear" time="0.013" />
<testcase classname="integration.tests.posit.connect.test_env.TestEnvVars" name="test_update" time="0.01" />
<testcase classname="integration.tests.posit.connect.test_env.TestEnvVars" name="test_update" time="0.003"><error message="failed on teardown with &quot;AssertionError: assert 4 == 0&#10; +  where 4 = count()&quot;">cls = &lt;class&gt;</error></testcase>
<testcase classname="integration.tests.posit.connect.test_tags.TestTags" name="test_tags_find" time="0.004"><failure message="posit.connect.errors.ClientError: {&quot;error_code&quot;: 4}">trace</failure></testcase>
<testcase classname="integration.tests.posit.connect.test_bundles.TestBundles" name="test_active_bundle" time="0.000"><skipped type="pytest.skip" message="Requires Connect 2025.02.0 or later">skip</skipped></testcase>
<testcase classname="integration.tests.posit.connect.test_client" name="test_version[a&amp;b]" time="0.001" />
</testsuite></testsuites>`;

describe('the client suite report', () => {
  it('finds each test file from the JUnit class name, with or without a test class', () => {
    expect(fileOf('integration.tests.posit.connect.test_content.TestContent')).toBe('tests/posit/connect/test_content.py');
    expect(fileOf('tests.posit.connect.test_client')).toBe('tests/posit/connect/test_client.py');
  });

  it('counts a test whose teardown fails once, as failed, with the teardown message', () => {
    const cases = readJunit(REPORT);
    expect(cases).toHaveLength(5);
    expect(cases.find((testCase) => testCase.name === 'test_update')).toEqual({
      file: 'tests/posit/connect/test_env.py',
      name: 'test_update',
      outcome: 'failed',
      messages: ['failed on teardown with "AssertionError: assert 4 == 0'],
    });
    expect(cases.find((testCase) => testCase.name === 'test_version[a&b]')?.outcome).toBe('passed');
  });

  it('sums passes, failures and skips per file and in total', () => {
    expect(summarize(readJunit(REPORT), 1)).toEqual({
      passed: 2,
      failed: 2,
      skipped: 1,
      files: {
        'tests/posit/connect/test_bundles.py': { passed: 0, failed: 0, skipped: 1, failures: [] },
        'tests/posit/connect/test_client.py': { passed: 1, failed: 0, skipped: 0, failures: [] },
        'tests/posit/connect/test_env.py': { passed: 1, failed: 1, skipped: 0, failures: ['test_update: failed on teardown with "AssertionError: assert 4 == 0'] },
        'tests/posit/connect/test_tags.py': { passed: 0, failed: 1, skipped: 0, failures: ['test_tags_find: posit.connect.errors.ClientError: {"error_code": 4}'] },
      },
    });
  });

  it('fails a run whose pytest failed without a failing test (a collection error), and passes a clean one', () => {
    expect(summarize([], 2)).toMatchObject({ passed: 0, failed: 1 });
    expect(summarize(readJunit(REPORT).filter((testCase) => testCase.outcome !== 'failed'), 0)).toMatchObject({ passed: 2, failed: 0, skipped: 1 });
  });
});
