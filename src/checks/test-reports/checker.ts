// The test report checker: tests run and failed (JUnit XML) and back-end line coverage (lcov,
// Cobertura, JaCoCo) from the project's own reports — those at the paths `.dso.yml` declares (`test.reports`,
// exact paths or .gitignore-style patterns), e.g. produced by the chain's test step. A JUnit-shaped file anywhere
// else (a scanner's output, a fixture) is never taken for the project's test results.
import ignore from 'ignore';
import { findingOf, type Checker, type CheckerResult, type CoverageSummary, type TestSummary } from '../model.ts';
import { testReportRuleList, testReportRules as rules } from './rules.ts';
import { readXml } from './xml.ts';
import { bounded, type EndToEndObservation } from '../observations/model.ts';
import { coberturaCounts, jacocoCounts, junitCounts, lcovCounts, type LineCounts, type Reading } from './parse-reports.ts';
import { say } from './messages.ts';

type Format = 'junit' | 'lcov' | 'cobertura' | 'jacoco';

/** Folders whose reports describe a front end; the framework's coverage target is for the back end. */
const frontEndFolder = /(^|\/)(web|webapp|front|frontend|front-end|client|ui)\//i;
const maxFailedFindings = 50;
/** Reports of end-to-end (front-end functional) suites, by their folder or name: Playwright, Cypress, e2e… (EX9). */
export const endToEndReport = /(^|\/|[-_.])(e2e|end-to-end|playwright|cypress|functional)([-_./]|$)/i;

/** Recognises a report by its name and, for XML, by the root element in its first bytes. */
export function reportFormatOf(path: string, head: string): Format | undefined {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (base === 'lcov.info' || base.endsWith('.lcov') || /^lcov.*\.info$/.test(base)) return 'lcov';
  if (!base.endsWith('.xml')) return undefined;
  const start = head.slice(0, 4096).replace(/<\?xml[^>]*>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>/g, '').trimStart();
  if (/^<testsuites?[\s>/]/.test(start)) return 'junit';
  if (/^<coverage[\s>]/.test(start) && /line-rate|lines-valid/.test(start)) return 'cobertura';
  if (/^<report[\s>]/.test(start) && /jacoco/i.test(head.slice(0, 4096) + base)) return 'jacoco';
  return undefined;
}

export const testReportsChecker: Checker = {
  name: 'tests',
  rules: testReportRuleList,
  async check(input): Promise<CheckerResult> {
    const result: CheckerResult = { findings: [], notes: [] };
    const tests: TestSummary = { reports: [], tests: 0, failures: 0, errors: 0, skipped: 0 };
    /** One coverage report per folder: lcov and Cobertura side by side describe the same run. */
    const coverageByFolder = new Map<string, { file: string; format: Format; counts: LineCounts }>();
    const preference: Format[] = ['lcov', 'cobertura', 'jacoco'];
    let failedReported = 0;
    const endToEnd: EndToEndObservation = { reports: [], tests: 0, failures: 0, errors: 0 };

    const declared = input.project?.testReports ?? [];
    if (declared.length === 0) {
      result.notes.push({ message: 'No test report declared in .dso.yml (test.reports): test results and coverage were not read.' });
      return result;
    }
    const isDeclared = ignore().add(declared.map((d) => d.path));
    for (const file of input.files) {
      if (!isDeclared.ignores(file.path)) continue;
      const base = file.path.slice(file.path.lastIndexOf('/') + 1).toLowerCase();
      if (!base.endsWith('.xml') && !base.endsWith('.info') && !base.endsWith('.lcov')) continue;
      const text = await input.readText(file.path);
      if (text === undefined) continue;
      const format = reportFormatOf(file.path, text);
      if (!format) continue;
      const unreadable = (reading: { message: string; line?: number }): void => {
        const location = reading.line === undefined ? { file: file.path } : { file: file.path, line: reading.line };
        result.findings.push(findingOf(rules.unparsable, location, say['test-reports.unparsable'].parse({ format, reason: reading.message.slice(0, 200) }), 'parse'));
      };

      if (format === 'junit') {
        const xml = readXml(text);
        if (!xml.ok) { unreadable(xml); continue; }
        const reading = junitCounts(xml.document);
        if (!reading.ok) { unreadable(reading); continue; }
        const counts = reading.value;
        tests.reports.push(file.path);
        tests.tests += counts.tests;
        tests.failures += counts.failures;
        tests.errors += counts.errors;
        tests.skipped += counts.skipped;
        if (endToEndReport.test(file.path)) {
          endToEnd.reports.push(file.path);
          endToEnd.tests += counts.tests;
          endToEnd.failures += counts.failures;
          endToEnd.errors += counts.errors;
        }
        for (const failed of counts.failed) {
          if (failedReported++ >= maxFailedFindings) break;
          result.findings.push(findingOf(rules.failingTests, { file: file.path },
            say['test-reports.failing-tests'].failed({ test: `${failed.suite ? `${failed.suite} › ` : ''}${failed.name}`, reason: failed.message }), `${failed.suite}\0${failed.name}`));
        }
        const unnamed = counts.failures + counts.errors - counts.failed.length;
        if (unnamed > 0 && counts.failed.length === 0) {
          result.findings.push(findingOf(rules.failingTests, { file: file.path }, say['test-reports.failing-tests'].unnamed({ count: unnamed }), 'suite-totals'));
        }
        continue;
      }

      if (frontEndFolder.test(file.path)) {
        result.notes.push({ file: file.path, message: 'Front-end coverage report: not counted in back-end line coverage.' });
        continue;
      }
      let reading: Reading<LineCounts>;
      if (format === 'lcov') {
        reading = lcovCounts(text);
      } else {
        const xml = readXml(text);
        if (!xml.ok) { unreadable(xml); continue; }
        reading = format === 'cobertura' ? coberturaCounts(xml.document) : jacocoCounts(xml.document);
      }
      if (!reading.ok) { unreadable(reading); continue; }
      const folder = file.path.includes('/') ? file.path.slice(0, file.path.lastIndexOf('/')) : '';
      const current = coverageByFolder.get(folder);
      if (!current || preference.indexOf(format) < preference.indexOf(current.format)) {
        coverageByFolder.set(folder, { file: file.path, format, counts: reading.value });
      }
    }

    if (endToEnd.reports.length > 0)
      result.observations = { endToEnd: { ...endToEnd, reports: bounded(endToEnd.reports) } };
    if (tests.reports.length > 0) result.tests = tests;
    else result.notes.push({ message: 'No JUnit XML test report found: tests run and failures are unknown.' });

    if (coverageByFolder.size > 0) {
      const reports = [...coverageByFolder.values()];
      const linesCovered = reports.reduce((sum, r) => sum + r.counts.covered, 0);
      const linesValid = reports.reduce((sum, r) => sum + r.counts.valid, 0);
      const coverage: CoverageSummary = {
        reports: reports.map((r) => r.file),
        linesCovered,
        linesValid,
        lineRate: linesValid === 0 ? 100 : Math.round((linesCovered / linesValid) * 10_000) / 100,
      };
      result.coverage = coverage;
      if (coverage.lineRate < 100) {
        result.findings.push(findingOf(rules.backEndCoverage, { file: reports[0]!.file },
          say['test-reports.back-end-coverage'].below({ rate: coverage.lineRate, covered: linesCovered, valid: linesValid }), 'coverage'));
      }
    } else {
      result.notes.push({ message: 'No coverage report (lcov, Cobertura, JaCoCo) found: back-end coverage is unknown.' });
    }
    return result;
  },
};
