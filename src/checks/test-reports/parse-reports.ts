// Readers of the usual report formats: JUnit XML (surefire, jest-junit, pytest, go-junit-report…),
// lcov, Cobertura XML and JaCoCo XML. Each returns counts, or an error value with a location.

export interface TestCounts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  failed: { suite: string; name: string; message: string }[];
}
export interface LineCounts { covered: number; valid: number }
export type Reading<T> = { ok: true; value: T } | { ok: false; message: string; line?: number };

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): Node[] => (Array.isArray(value) ? value.filter(isNode) : isNode(value) ? [value] : []);
const count = (value: unknown): number => {
  const n = typeof value === 'string' || typeof value === 'number' ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : 0;
};
const text = (value: unknown, max = 200): string => (typeof value === 'string' ? value : '').slice(0, max);

/** JUnit XML: counts from test cases when present (more reliable than suite attributes). */
export function junitCounts(document: Node): Reading<TestCounts> {
  const root = document.testsuites ?? document.testsuite;
  if (root === undefined) return { ok: false, message: 'no <testsuites> or <testsuite> element' };
  const suites: Node[] = [];
  const collect = (node: Node): void => {
    for (const suite of list(node.testsuite)) { suites.push(suite); collect(suite); }
  };
  if (document.testsuites !== undefined) for (const r of list(document.testsuites)) collect(r);
  else for (const suite of list(document.testsuite)) { suites.push(suite); collect(suite); }

  const counts: TestCounts = { tests: 0, failures: 0, errors: 0, skipped: 0, failed: [] };
  for (const suite of suites) {
    const cases = list(suite.testcase);
    if (cases.length === 0) {
      if (list(suite.testsuite).length > 0) continue; // a parent suite: its children are counted
      counts.tests += count(suite.tests);
      counts.failures += count(suite.failures);
      counts.errors += count(suite.errors);
      counts.skipped += count(suite.skipped ?? suite.disabled);
      continue;
    }
    for (const testcase of cases) {
      counts.tests++;
      // `<failure/>` without attributes parses to an empty string: present, but not a node.
      const failure = testcase.failure !== undefined ? (list(testcase.failure)[0] ?? {}) : undefined;
      const error = testcase.error !== undefined ? (list(testcase.error)[0] ?? {}) : undefined;
      if (failure) counts.failures++;
      else if (error) counts.errors++;
      else if (testcase.skipped !== undefined) counts.skipped++;
      const problem = failure ?? error;
      if (problem) {
        counts.failed.push({
          suite: text(testcase.classname) || text(suite.name),
          name: text(testcase.name),
          message: text(problem.message) || text(problem['#text']).split('\n')[0] || (failure ? 'failed' : 'error'),
        });
      }
    }
  }
  return { ok: true, value: counts };
}

/** lcov tracefile: sums LH/LF per record, falling back to DA lines when a record has no totals. */
export function lcovCounts(source: string): Reading<LineCounts> {
  let covered = 0;
  let valid = 0;
  let recordHits = 0;
  let recordLines = 0;
  let recordLf: number | undefined;
  let recordLh: number | undefined;
  let records = 0;
  let lineNumber = 0;
  let sawRecordStart = false;
  for (const raw of source.split('\n')) {
    lineNumber++;
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('SF:')) { sawRecordStart = true; recordHits = 0; recordLines = 0; recordLf = undefined; recordLh = undefined; continue; }
    if (line.startsWith('DA:')) {
      const [, hits] = line.slice(3).split(',');
      recordLines++;
      if (Number(hits) > 0) recordHits++;
      continue;
    }
    if (line.startsWith('LF:')) { recordLf = count(line.slice(3)); continue; }
    if (line.startsWith('LH:')) { recordLh = count(line.slice(3)); continue; }
    if (line === 'end_of_record') {
      if (!sawRecordStart) return { ok: false, message: 'end_of_record without SF', line: lineNumber };
      valid += recordLf ?? recordLines;
      covered += recordLh ?? recordHits;
      records++;
      sawRecordStart = false;
      continue;
    }
    if (!/^[A-Z]+:/.test(line) && line !== 'end_of_record') return { ok: false, message: `unexpected line "${line.slice(0, 40)}"`, line: lineNumber };
  }
  if (records === 0) return { ok: false, message: 'no coverage record (SF … end_of_record)' };
  return { ok: true, value: { covered: Math.min(covered, valid), valid } };
}

/** Cobertura: the root <coverage> carries lines-covered/lines-valid (or only line-rate in old versions). */
export function coberturaCounts(document: Node): Reading<LineCounts> {
  const coverage = document.coverage;
  if (!isNode(coverage)) return { ok: false, message: 'no <coverage> element' };
  if (coverage['lines-valid'] !== undefined) {
    return { ok: true, value: { covered: count(coverage['lines-covered']), valid: count(coverage['lines-valid']) } };
  }
  // Old Cobertura files have no totals: count <line hits> entries.
  let covered = 0;
  let valid = 0;
  for (const pkg of list(isNode(coverage.packages) ? coverage.packages.package : undefined)) {
    for (const cls of list(isNode(pkg.classes) ? pkg.classes.class : undefined)) {
      for (const line of list(isNode(cls.lines) ? cls.lines.line : undefined)) {
        valid++;
        if (count(line.hits) > 0) covered++;
      }
    }
  }
  return { ok: true, value: { covered, valid } };
}

/** JaCoCo: the LINE counter directly under <report> is the total. */
export function jacocoCounts(document: Node): Reading<LineCounts> {
  const report = document.report;
  if (!isNode(report)) return { ok: false, message: 'no <report> element' };
  const line = list(report.counter).find((c) => c.type === 'LINE');
  if (!line) return { ok: false, message: 'no LINE counter at report level' };
  const missed = count(line.missed);
  const covered = count(line.covered);
  return { ok: true, value: { covered, valid: covered + missed } };
}
