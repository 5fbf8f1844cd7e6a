import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { testReportsChecker } from './checker.ts';
import { folderInput, memoryInput } from '../containers/fixture-input.ts';
import type { CheckInput } from '../model.ts';

const fixtures = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
/** What a `.dso.yml` declaring these report paths gives the checker. */
const declaring = (input: CheckInput, ...paths: string[]): CheckInput => ({ ...input, project: { testReports: paths.map((path) => ({ path, format: 'junit' })), scope: { test: [], production: [] } } });

describe('test and coverage reports', () => {
  it('sums surefire results and back-end coverage, one report per folder, front end apart', async () => {
    const result = await testReportsChecker.check(declaring(folderInput(fixtures('passing')), 'target/surefire-reports/', 'target/site/jacoco/jacoco.xml', 'coverage/*', 'web/coverage/lcov.info'));
    expect(result.tests).toEqual({ reports: ['target/surefire-reports/TEST-fr.gouv.demo.ApiTest.xml'], tests: 3, failures: 0, errors: 0, skipped: 1 });
    // lcov (4/5) is preferred to the Cobertura file of the same folder; JaCoCo adds 38/40.
    expect(result.coverage).toEqual({ reports: ['coverage/lcov.info', 'target/site/jacoco/jacoco.xml'], linesCovered: 42, linesValid: 45, lineRate: 93.33 });
    expect(result.findings.map((f) => f.ruleId)).toEqual(['test-reports.back-end-coverage']);
    expect(result.notes.map((n) => n.file)).toContain('web/coverage/lcov.info');
  });

  it('reports each failing test by name, and old Cobertura files without totals', async () => {
    const result = await testReportsChecker.check(declaring(folderInput(fixtures('failing')), 'reports/junit.xml', 'coverage.xml'));
    expect(result.tests).toMatchObject({ tests: 3, failures: 1, errors: 1, skipped: 0 });
    const failing = result.findings.filter((f) => f.ruleId === 'test-reports.failing-tests');
    expect(failing.map((f) => f.message)).toEqual([
      'Test failed: projects refuses a duplicate slug › projects refuses a duplicate slug — expected 409, got 500',
      'Test failed: projects pytest style › errors out — error',
    ]);
    expect(result.coverage).toMatchObject({ linesCovered: 2, linesValid: 2, lineRate: 100 });
  });

  it('turns malformed reports into located findings and ignores other XML', async () => {
    const result = await testReportsChecker.check(declaring(folderInput(fixtures('broken')), '*.xml', 'lcov.info'));
    expect(result.findings.map((f) => `${f.ruleId}@${f.location.file}:${f.location.line}`).sort()).toEqual([
      'test-reports.unparsable@TEST-broken.xml:4',
      'test-reports.unparsable@lcov.info:3',
    ]);
    expect(result.tests).toBeUndefined();
  });

  it('survives hostile XML: deep nesting, entities, huge counts', async () => {
    const deep = `<testsuites>${'<testsuite>'.repeat(20_000)}${'</testsuite>'.repeat(20_000)}</testsuites>`;
    const entities = '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><testsuite name="&b;" tests="1"><testcase name="&b;"/></testsuite>';
    const result = await testReportsChecker.check(declaring(memoryInput({
      'deep/TEST-deep.xml': deep,
      'ent/TEST-ent.xml': entities,
      'neg/TEST-neg.xml': '<testsuite tests="-5" failures="1e400"></testsuite>',
    }), 'TEST-*.xml'));
    expect(result.findings.filter((f) => f.location.file === 'deep/TEST-deep.xml').map((f) => f.ruleId)).toEqual(['test-reports.unparsable']);
    expect(result.tests?.tests).toBe(1);
    expect(result.tests?.failures).toBe(0);
  });
});

describe('only the project\'s own test reports count', () => {
  const scannerOutput = '<?xml version="1.0"?><testsuites><testsuite name="scan" tests="3" failures="2"><testcase name="a"><failure message="finding"/></testcase><testcase name="b"><failure message="finding"/></testcase><testcase name="c"/></testsuite></testsuites>';
  const ownReport = '<testsuite name="api" tests="2" failures="0"><testcase name="x"/><testcase name="y"/></testsuite>';

  it('never reads a JUnit-shaped file outside the declared paths (a scanner\'s output in unittests/scans)', async () => {
    const texts = { 'unittests/scans/acunetix/many_findings.xml': scannerOutput, 'build/test-results/TEST-api.xml': ownReport };
    const result = await testReportsChecker.check(declaring(memoryInput(texts), 'build/test-results/'));
    expect(result.tests).toEqual({ reports: ['build/test-results/TEST-api.xml'], tests: 2, failures: 0, errors: 0, skipped: 0 });
    expect(result.findings).toEqual([]);
  });

  it('reads no test result at all when .dso.yml declares none, and says so', async () => {
    const result = await testReportsChecker.check(memoryInput({ 'unittests/scans/acunetix/many_findings.xml': scannerOutput }));
    expect(result.tests).toBeUndefined();
    expect(result.findings).toEqual([]);
    expect(result.notes.map((n) => n.message)).toEqual(['No test report declared in .dso.yml (test.reports): test results and coverage were not read.']);
  });
});
