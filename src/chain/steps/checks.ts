// checks: the checks library on the checked-out tree, compared with the last certified run of the repository
// (its report is the baseline, so only new problems count), producing the report, SARIF and SBOM artifacts.
import { and, desc, eq, ne } from 'drizzle-orm';
import { runChecksWithArtifacts } from '../../checks/engine.ts';
import { formatJson } from '../../checks/format/json.ts';
import { toSarif } from '../../checks/format/sarif.ts';
import { allRules } from '../../checks/registry.ts';
import { certifiedRevisions } from '../../db/schema.ts';
import type { Db } from '../../db/client.ts';
import { loadArtifact, saveArtifact } from '../artifacts.ts';
import { approvedDerogations } from '../derogations.ts';
import { imageUserInspector } from '../../integrations/registry/image-user.ts';
import { ensureTree, treeDir } from './checkout.ts';
import type { Step } from './context.ts';

/** The check report of the repository's last certified run other than `runId`, if any. */
export async function baselineReport(
  db: Db,
  repositoryId: string,
  runId: string,
): Promise<{ runId: string; report: unknown } | undefined> {
  const [last] = await db
    .select({ runId: certifiedRevisions.runId })
    .from(certifiedRevisions)
    .where(and(eq(certifiedRevisions.repositoryId, repositoryId), ne(certifiedRevisions.runId, runId)))
    .orderBy(desc(certifiedRevisions.certifiedAt))
    .limit(1);
  if (!last) return undefined;
  const artifact = await loadArtifact(db, last.runId, 'check-report');
  return artifact ? { runId: last.runId, report: JSON.parse(artifact.content) as unknown } : undefined;
}

export const checksStep: Step = async (ctx) => {
  const tree = await ensureTree(ctx);
  if (!tree.ok) return { status: 'failed', note: tree.note, fatal: true, retryable: tree.retryable };
  const baseline = await baselineReport(ctx.services.db, ctx.repository.id, ctx.run.id);
  ctx.log(baseline ? `Référence : dernière exécution certifiée ${baseline.runId}` : 'Pas de révision certifiée antérieure : tout constat est nouveau.');
  const checked = await runChecksWithArtifacts({
    root: treeDir(ctx),
    baseline: baseline?.report,
    derogations: await approvedDerogations(ctx.services.db, ctx.project.id),
    options: {
      dataDir: ctx.services.config.dataDir,
      chartRepository: ctx.services.config.chain.chartRepository,
      now: ctx.services.now(),
      context: { repositoryId: ctx.repository.id },
      inspectImage: imageUserInspector(),
      policy: ctx.services.config.evaluationPolicy,
      advisoryMaxAgeDays: ctx.services.config.conformity.advisoryMaxAgeDays,
      mavenCommand: ctx.services.config.maven.command,
      mavenOnline: ctx.services.config.maven.online,
      ...(ctx.services.config.maven.repository ? { mavenRepository: ctx.services.config.maven.repository } : {}),
    },
  });
  const report = checked.report;
  // The tree lives in a throw-away folder: keep the revision, not the path.
  report.target = { path: '.', revision: tree.commit };
  const tool = report.tool;
  await saveArtifact(ctx.services.db, ctx.run.id, 'check-report', 'application/json', formatJson(report), tool);
  await saveArtifact(ctx.services.db, ctx.run.id, 'sarif', 'application/sarif+json', `${JSON.stringify(toSarif(report, allRules(), 'fr', ctx.services.config.publicUrl), null, 2)}\n`, tool);
  if (checked.sbom !== undefined) await saveArtifact(ctx.services.db, ctx.run.id, 'sbom', 'application/vnd.cyclonedx+json', `${JSON.stringify(checked.sbom, null, 2)}\n`, tool);
  const s = report.summary;
  ctx.log(`${s.findings} constat(s) sur ${s.filesScanned} fichiers (critique ${s.bySeverity.critical}, élevé ${s.bySeverity.high}, moyen ${s.bySeverity.medium}, faible ${s.bySeverity.low})${s.baseline ? ` ; nouveaux ${s.baseline.new}, corrigés ${s.baseline.fixed}` : ''}`);
  for (const note of report.notes.slice(0, 20)) ctx.log(`note : ${note.file ? `${note.file} : ` : ''}${note.message}`);
  return { status: 'succeeded', result: { findings: s.findings, bySeverity: s.bySeverity, baselineRunId: baseline?.runId ?? null } };
};
