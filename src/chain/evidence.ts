// The evidence bundle of a run: a manifest naming every artifact with its sha256 and size, the tool and rule set
// that produced it, the commit and image digest, and the times of each step — what an auditor needs to tie a
// certified image back to what was checked.
import { createHash } from 'node:crypto';
import { allRules } from '../checks/registry.ts';
import type { runArtifacts, runSteps, runs } from '../db/schema.ts';
import { productName, version } from '../version.ts';
import type { ReportFile } from './test-reports.ts';
import { unevaluatedText, type Unevaluated } from '../checks/unevaluated.ts';

type Run = typeof runs.$inferSelect;
type StepRow = typeof runSteps.$inferSelect;
type Artifact = Pick<typeof runArtifacts.$inferSelect, 'kind' | 'mediaType' | 'sha256' | 'size' | 'tool' | 'createdAt'>;

/** Identifies the rule set: same rules, same severities and requirements → same digest. */
export function ruleSetDigest(): { count: number; sha256: string } {
  const rules = [...allRules()]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((r) => [r.id, r.severity, r.kind, [...r.requirements].sort()]);
  return { count: rules.length, sha256: createHash('sha256').update(JSON.stringify(rules)).digest('hex') };
}

function testReportsOf(
  steps: StepRow[],
): { path: string; format: string; status: string; size: number | null; sha256: string | null }[] {
  const reports = (
    steps.find((s) => s.name === 'tests')?.result as { reports?: { files?: ReportFile[] } } | null | undefined
  )?.reports;
  return (reports?.files ?? []).map((f) => ({
    path: f.path,
    format: f.format,
    status: f.status,
    size: f.size ?? null,
    sha256: f.sha256 ?? null,
  }));
}

type Outcome = 'passed' | 'failed' | 'not-evaluated';
type Reason = {
  code: string;
  outcome?: Outcome;
  blocking: boolean;
  message: string;
  text?: { fr: string; en: string };
};

/**
 * What was and was not evaluated, said explicitly so that no reader takes a silent criterion for a passed one: each
 * verdict reason with its outcome (reasons recorded before outcomes existed: failed when blocking, else passed, as
 * the console shows them), `complete` only when nothing was left not evaluated, and the check report's list.
 */
export function evaluationOf(
  verdict: { reasons?: Reason[] } | null | undefined,
  unevaluated: readonly Unevaluated[] | undefined,
) {
  const criteria = (verdict?.reasons ?? []).map((r) => ({
    code: r.code,
    outcome: r.outcome ?? (r.blocking ? 'failed' : 'passed'),
    blocking: r.blocking,
    text: r.text ?? { fr: r.message, en: r.message },
  }));
  const items = (unevaluated ?? []).map((u) => ({
    item: u.item,
    kind: u.kind,
    code: u.code,
    params: u.params,
    ...(u.extent ? { extent: u.extent } : {}),
    text: { fr: unevaluatedText(u, 'fr'), en: unevaluatedText(u, 'en') },
  }));
  return {
    complete:
      verdict != null &&
      unevaluated !== undefined &&
      items.length === 0 &&
      criteria.every((c) => c.outcome !== 'not-evaluated'),
    criteria,
    unevaluated: items,
  };
}

export function evidenceManifest(
  run: Run,
  steps: StepRow[],
  artifacts: Artifact[],
  repository: { id: string; name: string; externalUrl: string | null; source?: 'external' | 'hosted' },
  unevaluated?: readonly Unevaluated[],
) {
  return {
    schema: 'https://dso.example.gouv.fr/schemas/run-evidence/v1',
    generatedBy: { name: productName, version },
    run: {
      id: run.id,
      status: run.status,
      trigger: run.trigger,
      attempt: run.attempt,
      createdAt: run.createdAt.toISOString(),
      startedAt: run.startedAt?.toISOString() ?? null,
      finishedAt: run.finishedAt?.toISOString() ?? null,
    },
    source: {
      repositoryId: repository.id,
      repository: repository.name,
      url: repository.externalUrl ?? `hosted:${repository.name}`,
      ref: run.ref,
      commit: run.commitSha,
    },
    image: { digest: run.imageDigest },
    verdict: run.verdict ?? null,
    evaluation: evaluationOf(run.verdict as { reasons?: Reason[] } | null, unevaluated),
    rules: ruleSetDigest(),
    steps: [...steps]
      .sort((a, b) => a.position - b.position)
      .map((s) => ({
        name: s.name,
        status: s.status,
        startedAt: s.startedAt?.toISOString() ?? null,
        finishedAt: s.finishedAt?.toISOString() ?? null,
        workMs: s.workMs,
      })),
    // The report files the tests wrote (declared in .dso.yml), as read from the run's working copy.
    testReports: testReportsOf(steps),
    artifacts: artifacts
      .sort((a, b) => a.kind.localeCompare(b.kind))
      .map((a) => ({
        kind: a.kind,
        path: `/api/v1/runs/${run.id}/artifacts/${a.kind}`,
        mediaType: a.mediaType,
        sha256: a.sha256,
        size: a.size,
        tool: a.tool,
        createdAt: a.createdAt.toISOString(),
      })),
  };
}
