// The test and coverage reports a repository declares in `.dso.yml` (test.reports), read from the copy its test
// command ran in, then handed to the checks library's own test-report checker — so tests run/failed, line coverage
// and failing-test findings are exactly what `dso check` would find in the same files. Reading is bounded: a
// declared path is resolved inside the tree (a link leading out of it is refused), only regular files are read,
// each capped in size and all of them together too.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { CheckReport } from '../checks/engine.ts';
import type { CoverageSummary, Finding, Note, Rule, Severity, TestSummary } from '../checks/model.ts';
import { reportFormatOf, testReportsChecker } from '../checks/test-reports/checker.ts';
import { testReportRuleList } from '../checks/test-reports/rules.ts';
import type { ReportFormat } from './dso-yml.ts';

export const reportMaxBytes = 8 * 1024 ** 2;
export const reportsTotalMaxBytes = 32 * 1024 ** 2;

export type ReportFileStatus = 'read' | 'listed' | 'missing' | 'outside-tree' | 'not-a-file' | 'too-large' | 'not-recognised';

export interface ReportFile {
  path: string;
  format: ReportFormat;
  status: ReportFileStatus;
  size?: number;
  sha256?: string;
}

/** What the declared reports say, kept in the tests step's result (the gate and the evidence read it). */
export interface DeclaredReportsResult {
  files: ReportFile[];
  tests?: TestSummary;
  coverage?: CoverageSummary;
  findings: Finding[];
  notes: Note[];
}

/** Formats the test-report checker reads; the others (SARIF, CycloneDX) are only listed with their digest. */
const readFormats = new Set<ReportFormat>(['junit', 'lcov', 'cobertura', 'jacoco']);

async function readBounded(
  root: string,
  relative: string,
  budget: number,
): Promise<{ status: ReportFileStatus; content?: Buffer }> {
  let real: string;
  try {
    real = await realpath(path.join(root, relative));
  } catch {
    return { status: 'missing' };
  }
  if (!real.startsWith(`${root}${path.sep}`)) return { status: 'outside-tree' };
  let handle;
  try {
    // O_NONBLOCK: a FIFO left by the command must not hang the run.
    handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return { status: 'missing' };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { status: 'not-a-file' };
    const cap = Math.min(reportMaxBytes, budget);
    if (info.size > cap) return { status: 'too-large' };
    // Sized to the file as it is once the tests have ended (not to the cap): most reports are small.
    const buffer = Buffer.alloc(Math.min(cap, info.size) + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > cap) return { status: 'too-large' };
    return { status: 'read', content: buffer.subarray(0, bytesRead) };
  } finally {
    await handle.close();
  }
}

/** Reads the declared reports under `tree` (the copy the tests ran in) and what the checks library finds in them. */
export async function readDeclaredReports(
  tree: string,
  declared: readonly { path: string; format: ReportFormat }[],
): Promise<DeclaredReportsResult> {
  const root = await realpath(tree);
  const files: ReportFile[] = [];
  const texts = new Map<string, string>();
  const notes: Note[] = [];
  let budget = reportsTotalMaxBytes;
  for (const report of declared) {
    if (files.some((f) => f.path === report.path)) continue;
    const read = await readBounded(root, report.path, budget);
    const file: ReportFile = { path: report.path, format: report.format, status: read.status };
    files.push(file);
    if (!read.content) {
      const why: Record<string, string> = {
        missing: 'not found after the test command',
        'outside-tree': 'leads out of the repository, not read',
        'not-a-file': 'not a regular file, not read',
        'too-large': `larger than ${Math.min(reportMaxBytes, budget) / 1024 ** 2} MiB, not read`,
      };
      notes.push({
        file: report.path,
        message: `Declared ${report.format} report ${why[read.status] ?? read.status}.`,
      });
      continue;
    }
    budget -= read.content.length;
    file.size = read.content.length;
    file.sha256 = createHash('sha256').update(read.content).digest('hex');
    if (!readFormats.has(report.format)) {
      file.status = 'listed';
      continue;
    }
    const text = read.content.toString('utf8');
    // The checker recognises a report by its name and first bytes, as `dso check` does on a tree.
    if (reportFormatOf(report.path, text) !== report.format) {
      file.status = 'not-recognised';
      notes.push({
        file: report.path,
        message: `Declared ${report.format} report not recognised as such (name or content), not read.`,
      });
      continue;
    }
    texts.set(report.path, text);
  }

  const result: DeclaredReportsResult = { files, findings: [], notes };
  if (texts.size === 0) return result;
  const checked = await testReportsChecker.check({
    root,
    files: [...texts].map(([p, t]) => ({ path: p, size: Buffer.byteLength(t) })),
    readText: async (p) => texts.get(p),
    options: { dataDir: root, now: new Date(0) },
    project: {
      testReports: [...texts.keys()].map((p) => ({
        path: p,
        format: declared.find((d) => d.path === p)?.format ?? 'junit',
      })),
      scope: { test: [], production: [] },
    },
  });
  result.findings = checked.findings;
  // The checker's "no JUnit report / no coverage report" notes are about a whole tree, not declared files.
  result.notes.push(...checked.notes.filter((n) => n.file !== undefined));
  if (checked.tests) result.tests = checked.tests;
  if (checked.coverage) result.coverage = checked.coverage;
  return result;
}

const testReportRuleIds = new Set(testReportRuleList.map((r: Rule) => r.id));

/**
 * The check report with what the declared reports say in place of what the checks found in the committed tree
 * (the command's fresh reports supersede stale committed ones): same rules, so the gate, SARIF and the next run's
 * baseline see them as `dso check` would. Idempotent: applying it twice gives the same report.
 */
export function withDeclaredReports(report: CheckReport, declared: DeclaredReportsResult): CheckReport {
  const hasTests = declared.tests !== undefined;
  const hasCoverage = declared.coverage !== undefined;
  if (!hasTests && !hasCoverage) return report;
  const declaredPaths = new Set(declared.files.map((f) => f.path));
  const superseded = (f: Finding) =>
    testReportRuleIds.has(f.ruleId) &&
    (declaredPaths.has(f.location.file) || (hasTests && f.ruleId === 'test-reports.failing-tests') || (hasCoverage && f.ruleId === 'test-reports.back-end-coverage'));
  const seen = new Set<string>();
  const findings = [...report.findings.filter((f) => !superseded(f)), ...declared.findings].filter(
    (f) => !seen.has(f.fingerprint) && seen.add(f.fingerprint),
  );
  const bySeverity = Object.fromEntries(Object.keys(report.summary.bySeverity).map((s) => [s, 0])) as Record<
    Severity,
    number
  >;
  const byRule: Record<string, number> = {};
  for (const f of findings) {
    bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
    byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  }
  const merged: CheckReport = {
    ...report,
    findings,
    summary: { ...report.summary, findings: findings.length, bySeverity, byRule },
  };
  if (declared.tests) merged.tests = declared.tests;
  if (declared.coverage) merged.coverage = declared.coverage;
  const stale = /^No (JUnit XML test report|coverage report)/;
  merged.notes = report.notes.filter((n) => !(n.file === undefined && stale.test(n.message) && ((hasTests && n.message.includes('JUnit')) || (hasCoverage && n.message.includes('coverage')))));
  return merged;
}
