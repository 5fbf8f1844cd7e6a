// gate: the pure gate of the checks library on this run's findings, the baseline, the tests and the
// derogations in force, plus what only the chain knows (image build, .dso.yml validity). Its verdict and
// reasons are what the team reads.
import type { CheckReport } from '../../checks/engine.ts';
import { note } from '../step-notes.ts';
import { evaluateGate } from '../../checks/gate.ts';
import type { TestSummary } from '../../checks/model.ts';
import { allRules } from '../../checks/registry.ts';
import { baselineFromJson } from '../../checks/baseline.ts';
import { formatJson } from '../../checks/format/json.ts';
import { toSarif } from '../../checks/format/sarif.ts';
import { outcomeMark } from '../../checks/format/messages.ts';
import { testReportRules } from '../../checks/test-reports/rules.ts';
import { withDeclaredReports, type DeclaredReportsResult } from '../test-reports.ts';
import { loadArtifact, saveArtifact } from '../artifacts.ts';
import { approvedDerogations } from '../derogations.ts';
import { baselineReport } from './checks.ts';
import type { Step } from './context.ts';
import { chainReason, gateVerdictReason, verdictReasonText, type VerdictReason } from '../verdict.ts';

export const gateStep: Step = async (ctx) => {
  const artifact = await loadArtifact(ctx.services.db, ctx.run.id, 'check-report');
  if (!artifact) return { status: 'failed', note: note('gate.report-missing'), fatal: true, retryable: true };
  // The reports the tests step read (declared in .dso.yml) take the place of any committed in the tree; the merged
  // report is saved again so the findings, the SARIF and the next run's baseline (coverage) carry them.
  const sandbox = ctx.results.tests as
    { outcome?: string; detail?: string; reports?: DeclaredReportsResult } | undefined;
  const noSandbox = sandbox?.outcome === 'sandbox-unavailable';
  const report = sandbox?.reports
    ? withDeclaredReports(JSON.parse(artifact.content) as CheckReport, sandbox.reports)
    : (JSON.parse(artifact.content) as CheckReport);
  const baseline = await baselineReport(ctx.services.db, ctx.repository.id, ctx.run.id);
  const parsedBaseline = baseline ? baselineFromJson(baseline.report) : undefined;
  const baselineFindings = parsedBaseline && 'findings' in parsedBaseline ? parsedBaseline : undefined;

  // Test results: the reports, and the sandbox's own outcome — a failing command counts as one failure unless the
  // reports already show failing tests (they are the same failure).
  let tests: TestSummary | undefined = report.tests;
  if (sandbox?.outcome && !noSandbox) {
    const failed = sandbox.outcome === 'passed' || (tests && tests.failures + tests.errors > 0) ? 0 : 1;
    tests = tests
      ? { ...tests, failures: tests.failures + failed }
      : { reports: [], tests: 1, failures: failed, errors: 0, skipped: 0 };
  }
  const gate = evaluateGate({
    findings: report.findings,
    ...(baselineFindings
      ? {
          baseline: baselineFindings.findings,
          ...(baselineFindings.coverage ? { baselineCoverage: baselineFindings.coverage } : {}),
        }
      : {}),
    ...(tests ? { tests } : {}),
    ...(report.coverage ? { coverage: report.coverage } : {}),
    rules: allRules(),
    derogations: await approvedDerogations(ctx.services.db, ctx.project.id),
    context: { repositoryId: ctx.repository.id },
    now: ctx.services.now(),
    // Reports written before the unevaluated list existed have none: nothing more is known about them.
    unevaluated: report.unevaluated ?? [],
    ...(report.extent ? { extent: report.extent } : {}),
    // The policy the checks applied (platform's, with the project's .dso.yml over it); older reports: the platform's.
    policy: report.policy ?? ctx.services.config.evaluationPolicy,
  });
  // Name the failing tests, so the team sees which ones without opening the findings.
  const failingNames = report.findings.filter((f) => f.ruleId === testReportRules.failingTests.id).map((f) => f.message.replace(/^Test failed: /, ''));
  const failingTests = failingNames.length > 0 ? `${failingNames.slice(0, 5).join('; ').slice(0, 600)}${failingNames.length > 5 ? ` (+${failingNames.length - 5})` : ''}` : undefined;
  const reasons: VerdictReason[] = gate.reasons.map((r) => gateVerdictReason(r, r.code === 'tests-failing' ? failingTests : undefined));
  const dsoErrors = (ctx.results.checkout?.dsoErrors as string[] | undefined) ?? [];
  if (dsoErrors.length > 0) reasons.push(chainReason('configuration-invalid', true, dsoErrors.slice(0, 5).join('; ')));
  if (noSandbox) reasons.push(chainReason('sandbox-unavailable', true, sandbox.detail));
  const build = ctx.results.build as { reason?: string } | undefined;
  if (build?.reason === 'build-failed') reasons.push(chainReason('image-build-failed', true));
  if (build?.reason === 'no-image-builder') reasons.push(chainReason('no-image-builder', ctx.services.config.chain.requireImage));
  const certified = !reasons.some((r) => r.blocking);
  const verdict = { certified, reasons };
  await ctx.updateRun({ verdict });
  if (sandbox?.reports && (sandbox.reports.tests || sandbox.reports.coverage)) {
    const merged = { ...report, gate };
    await saveArtifact(ctx.services.db, ctx.run.id, 'check-report', 'application/json', formatJson(merged), report.tool);
    await saveArtifact(ctx.services.db, ctx.run.id, 'sarif', 'application/sarif+json', `${JSON.stringify(toSarif(merged, allRules(), 'fr', ctx.services.config.publicUrl), null, 2)}\n`, report.tool);
  }
  await saveArtifact(ctx.services.db, ctx.run.id, 'gate', 'application/json', `${JSON.stringify({ ...verdict, comparison: gate.comparison ?? null, excused: gate.excused }, null, 2)}\n`, report.tool);
  for (const r of reasons) ctx.log(`${outcomeMark(r)} ${verdictReasonText(r, 'fr')}`);
  ctx.log(certified ? 'Verdict : révision certifiée' : 'Verdict : révision non certifiée');
  return { status: 'succeeded', note: note(certified ? 'gate.certifiable' : 'gate.not-certifiable'), result: { certified } };
};
