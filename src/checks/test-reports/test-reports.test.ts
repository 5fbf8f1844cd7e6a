import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { testReportsChecker } from './checker.ts';
import { folderInput, memoryInput } from '../containers/fixture-input.ts';

const fixtures = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('test and coverage reports', () => {
  it('sums surefire results and back-end coverage, one report per folder, front end apart', async () => {
    const result = await testReportsChecker.check(folderInput(fixtures('passing')));
    expect(result.tests).toEqual({ reports: ['target/surefire-reports/TEST-fr.gouv.demo.ApiTest.xml'], tests: 3, failures: 0, errors: 0, skipped: 1 });
    // lcov (4/5) is preferred to the Cobertura file of the same folder; JaCoCo adds 38/40.
    expect(result.coverage).toEqual({ reports: ['coverage/lcov.info', 'target/site/jacoco/jacoco.xml'], linesCovered: 42, linesValid: 45, lineRate: 93.33 });
    expect(result.findings.map((f) => f.ruleId)).toEqual(['test-reports.back-end-coverage']);
    expect(result.notes.map((n) => n.file)).toContain('web/coverage/lcov.info');
  });

  it('reports each failing test by name, and old Cobertura files without totals', async () => {
    const result = await testReportsChecker.check(folderInput(fixtures('failing')));
    expect(result.tests).toMatchObject({ tests: 3, failures: 1, errors: 1, skipped: 0 });
    const failing = result.findings.filter((f) => f.ruleId === 'test-reports.failing-tests');
    expect(failing.map((f) => f.message)).toEqual([
      'Test failed: projects refuses a duplicate slug › projects refuses a duplicate slug — expected 409, got 500',
      'Test failed: projects pytest style › errors out — error',
    ]);
    expect(result.coverage).toMatchObject({ linesCovered: 2, linesValid: 2, lineRate: 100 });
  });

  it('turns malformed reports into located findings and ignores other XML', async () => {
    const result = await testReportsChecker.check(folderInput(fixtures('broken')));
    expect(result.findings.map((f) => `${f.ruleId}@${f.location.file}:${f.location.line}`).sort()).toEqual([
      'test-reports.unparsable@TEST-broken.xml:4',
      'test-reports.unparsable@lcov.info:3',
    ]);
    expect(result.tests).toBeUndefined();
  });

  it('survives hostile XML: deep nesting, entities, huge counts', async () => {
    const deep = `<testsuites>${'<testsuite>'.repeat(20_000)}${'</testsuite>'.repeat(20_000)}</testsuites>`;
    const entities = '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><testsuite name="&b;" tests="1"><testcase name="&b;"/></testsuite>';
    const result = await testReportsChecker.check(memoryInput({
      'deep/TEST-deep.xml': deep,
      'ent/TEST-ent.xml': entities,
      'neg/TEST-neg.xml': '<testsuite tests="-5" failures="1e400"></testsuite>',
    }));
    expect(result.findings.filter((f) => f.location.file === 'deep/TEST-deep.xml').map((f) => f.ruleId)).toEqual(['test-reports.unparsable']);
    expect(result.tests?.tests).toBe(1);
    expect(result.tests?.failures).toBe(0);
  });
});
