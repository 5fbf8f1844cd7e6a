// gate: the pure gate of the checks library on this run's findings, the baseline, the tests and the
// derogations in force, plus what only the chain knows (image build, .dso.yml validity). Its verdict and
// reasons are what the team reads.
import type { CheckReport } from '../../checks/engine.ts';
import { evaluateGate } from '../../checks/gate.ts';
import type { TestSummary } from '../../checks/model.ts';
import { allRules } from '../../checks/registry.ts';
import { baselineFromJson } from '../../checks/baseline.ts';
import { loadArtifact, saveArtifact } from '../artifacts.ts';
import { approvedDerogations } from '../derogations.ts';
import { baselineReport } from './checks.ts';
import type { Step } from './context.ts';

export interface VerdictReason {
  code: string;
  blocking: boolean;
  message: string;
}

export const gateStep: Step = async (ctx) => {
  const artifact = await loadArtifact(ctx.services.db, ctx.run.id, 'check-report');
  if (!artifact) return { status: 'failed', message: 'rapport de contrôle introuvable', fatal: true, retryable: true };
  const report = JSON.parse(artifact.content) as CheckReport;
  const baseline = await baselineReport(ctx.services.db, ctx.repository.id, ctx.run.id);
  const parsedBaseline = baseline ? baselineFromJson(baseline.report) : undefined;
  const baselineFindings = parsedBaseline && 'findings' in parsedBaseline ? parsedBaseline : undefined;

  // Test results: the reports the checks found, and the sandbox's own outcome.
  let tests: TestSummary | undefined = report.tests;
  const sandbox = ctx.results.tests as { outcome?: string } | undefined;
  if (sandbox?.outcome) {
    const failed = sandbox.outcome === 'passed' ? 0 : 1;
    tests = tests ? { ...tests, failures: tests.failures + failed } : { reports: [], tests: 1, failures: failed, errors: 0, skipped: 0 };
  }
  const gate = evaluateGate({
    findings: report.findings,
    ...(baselineFindings ? { baseline: baselineFindings.findings, ...(baselineFindings.coverage ? { baselineCoverage: baselineFindings.coverage } : {}) } : {}),
    ...(tests ? { tests } : {}),
    ...(report.coverage ? { coverage: report.coverage } : {}),
    rules: allRules(),
    derogations: await approvedDerogations(ctx.services.db, ctx.project.id),
    context: { repositoryId: ctx.repository.id },
    now: ctx.services.now(),
  });
  const reasons: VerdictReason[] = gate.reasons.map((r) => ({ code: r.code, blocking: r.blocking, message: r.message }));
  const dsoErrors = (ctx.results.checkout?.dsoErrors as string[] | undefined) ?? [];
  if (dsoErrors.length > 0) reasons.push({ code: 'configuration-invalid', blocking: true, message: `.dso.yml is invalid: ${dsoErrors.slice(0, 5).join('; ')}` });
  const build = ctx.results.build as { reason?: string } | undefined;
  if (build?.reason === 'build-failed') reasons.push({ code: 'image-build-failed', blocking: true, message: 'The image could not be built (see the build log).' });
  if (build?.reason === 'no-image-builder') {
    reasons.push({ code: 'no-image-builder', blocking: ctx.services.config.chain.requireImage, message: 'No image builder on this platform: the image was not rebuilt.' });
  }
  const certified = !reasons.some((r) => r.blocking);
  const verdict = { certified, reasons };
  await ctx.updateRun({ verdict });
  await saveArtifact(ctx.services.db, ctx.run.id, 'gate', 'application/json', `${JSON.stringify({ ...verdict, comparison: gate.comparison ?? null, excused: gate.excused }, null, 2)}\n`, report.tool);
  for (const r of reasons) ctx.log(`${r.blocking ? '✗' : '✓'} ${r.message}`);
  ctx.log(certified ? 'Verdict : révision certifiée' : 'Verdict : révision non certifiée');
  return { status: 'succeeded', message: certified ? 'certifiable' : 'non certifiable', result: { certified } };
};
