// The test reports a repository declares in `.dso.yml` are read after its test command: a JUnit report with a
// failing test rejects the revision with a reason naming the test; lcov coverage is recorded, becomes the baseline
// once certified, and a later drop in coverage is refused — as `dso check` decides. The report files are listed in
// the evidence bundle; a declared report that is a link out of the tree is not read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiMethod } from './support/api-fixtures.ts';
import { waitForRun } from './support/chain.ts';
import { startChainProject, type ChainProject } from './support/chain-project.ts';

const referenceFiles = {
  'hello.txt': 'bonjour\n',
  Dockerfile: 'FROM scratch\nCOPY hello.txt /hello.txt\nUSER 10001\nHEALTHCHECK CMD ["/app", "health"]\n',
  'server.js': "// serves /healthz and /metrics (prom-client)\nrequire('prom-client');\n",
};

function junit(failing: boolean): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<testsuites><testsuite name="calculatrice" tests="2">',
    '<testcase classname="calculatrice" name="additionne deux nombres">',
    failing ? '<failure message="attendu 4, obtenu 5">AssertionError</failure>' : '',
    '</testcase>',
    '<testcase classname="calculatrice" name="soustrait deux nombres"/>',
    '</testsuite></testsuites>',
  ].join('\n');
}

function lcov(covered: number, valid: number): string {
  const lines = Array.from({ length: valid }, (_, i) => `DA:${i + 1},${i < covered ? 1 : 0}`);
  return ['TN:', 'SF:src/calc.js', ...lines, `LF:${valid}`, `LH:${covered}`, 'end_of_record', ''].join('\n');
}

/** A test command writing the given report files (the reports live in the repository as fixtures it copies). */
function revision(reports: { junit: string; lcov: string }): Record<string, string> {
  return {
    ...referenceFiles,
    'fixtures/junit.xml': reports.junit,
    'fixtures/lcov.info': reports.lcov,
    '.dso.yml': [
      'version: 1',
      'test:',
      '  command: mkdir -p reports coverage && cp fixtures/junit.xml reports/junit.xml && cp fixtures/lcov.info coverage/lcov.info && ln -s /etc/passwd reports/leak.xml',
      '  reports:',
      '    - reports/junit.xml',
      '    - { path: coverage/lcov.info, format: lcov }',
      '    - reports/leak.xml',
      '',
    ].join('\n'),
  };
}

describe('test reports declared in .dso.yml', () => {
  let bench: ChainProject;
  const call = (method: ApiMethod, url: string, payload?: object) => bench.call(method, url, payload);

  beforeAll(async () => {
    bench = await startChainProject('rapports', revision({ junit: junit(true), lcov: lcov(8, 10) }), { DSO_RUN_RETRY_DELAY_SECONDS: '0' });
  }, 300_000);

  afterAll(async () => {
    await bench?.stop();
  });

  const runToEnd = async () => {
    const started = await call('POST', bench.runsUrl, { ref: 'main' });
    expect(started.status).toBe(202);
    return waitForRun((url) => call('GET', url), started.body.id, 120_000);
  };

  it('rejects a revision whose JUnit report shows a failing test, naming it; lists the reports as evidence', async () => {
    const run = await runToEnd();
    expect(run.status).toBe('rejected');
    const failing = run.verdict.reasons.find((r: any) => r.code === 'tests-failing');
    expect(failing).toMatchObject({ blocking: true });
    expect(failing.message).toContain('1 of 2 tests fail');
    expect(failing.message).toContain('additionne deux nombres');
    // The console and the CLI say it in the reader's language, test names as written.
    expect(failing.text.fr).toMatch(/^1 test\(s\) en échec sur 2 : .*additionne deux nombres/);
    expect(failing.text.en).toBe(failing.message);

    const report = (await call('GET', `/api/v1/runs/${run.id}/artifacts/check-report`)).body;
    expect(report.tests).toMatchObject({ reports: ['reports/junit.xml'], tests: 2, failures: 1 });
    expect(report.coverage).toMatchObject({ reports: ['coverage/lcov.info'], lineRate: 80 });
    const findings = (await call('GET', `/api/v1/runs/${run.id}/findings`)).body.items;
    expect(findings.some((f: any) => f.ruleId === 'test-reports.failing-tests' && f.message.includes('additionne deux nombres'))).toBe(true);

    const evidence = (await call('GET', `/api/v1/runs/${run.id}/evidence`)).body;
    const listed = Object.fromEntries(evidence.testReports.map((r: any) => [r.path, r]));
    expect(listed['reports/junit.xml']).toMatchObject({ format: 'junit', status: 'read', size: Buffer.byteLength(junit(true)) });
    expect(listed['reports/junit.xml'].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(listed['coverage/lcov.info']).toMatchObject({ format: 'lcov', status: 'read' });
    // The link to /etc/passwd was not followed.
    expect(listed['reports/leak.xml']).toMatchObject({ status: 'outside-tree', sha256: null });
    const logs = (await call('GET', `/api/v1/runs/${run.id}/logs`)).body as string;
    expect(logs).not.toContain('root:x:0:0');
  }, 150_000);

  it('records the coverage of a passing revision, then refuses a revision whose coverage drops', async () => {
    bench.external.commit(revision({ junit: junit(false), lcov: lcov(8, 10) }), 'tests fixed');
    const certified = await runToEnd();
    expect({ status: certified.status, blocking: certified.verdict.reasons.filter((r: any) => r.blocking) }).toEqual({ status: 'certified', blocking: [] });
    expect(certified.verdict.reasons.find((r: any) => r.code === 'tests-passing')?.message).toBe('2 tests pass');
    const report = (await call('GET', `/api/v1/runs/${certified.id}/artifacts/check-report`)).body;
    expect(report.coverage).toMatchObject({ linesCovered: 8, linesValid: 10, lineRate: 80 });

    bench.external.commit(revision({ junit: junit(false), lcov: lcov(5, 10) }), 'fewer tests');
    const lower = await runToEnd();
    expect(lower.status).toBe('rejected');
    expect(lower.verdict.reasons.find((r: any) => r.blocking)).toMatchObject({ code: 'coverage-decreased', message: 'line coverage fell from 80% to 50%', text: { fr: 'couverture des lignes en baisse : 80 % → 50 %' } });
  }, 300_000);
});
