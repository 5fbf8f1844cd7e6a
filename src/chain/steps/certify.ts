// certify: record the certified revision (repository, commit, image digest, run) — what deployments may use.
// Unique per run, so a certify step that runs again after a crash changes nothing. The project's conformity is
// then recomputed at once (its automated requirements now rest on this run), so the team's conformity page and
// history reflect the certification without waiting for the periodic sweep.
import { currentCatalogue } from '../../catalogue/catalogue.ts';
import { note } from '../step-notes.ts';
import { certifiedRevisions } from '../../db/schema.ts';
import { recomputeProjectConformity } from '../../homologation/recompute.ts';
import type { Step } from './context.ts';

export const certifyStep: Step = async (ctx) => {
  if (ctx.results.gate?.certified !== true) return { status: 'skipped', note: note('certify.not-certifiable') };
  if (!ctx.run.commitSha) return { status: 'failed', note: note('certify.unknown-revision'), fatal: true, retryable: false };
  const certifiedAt = ctx.services.now();
  await ctx.services.db
    .insert(certifiedRevisions)
    .values({
      projectId: ctx.project.id,
      repositoryId: ctx.repository.id,
      commitSha: ctx.run.commitSha,
      imageDigest: ctx.run.imageDigest,
      runId: ctx.run.id,
      certifiedAt,
    })
    .onConflictDoNothing({ target: certifiedRevisions.runId });
  ctx.log(`Révision certifiée : ${ctx.run.commitSha}${ctx.run.imageDigest ? ` image ${ctx.run.imageDigest}` : ''}`);
  try {
    const recorded = await recomputeProjectConformity(
      ctx.services.db,
      ctx.project.id,
      ctx.services.now(),
      currentCatalogue,
      ctx.services.config.conformity,
    );
    if (recorded) ctx.log(`Conformité du projet réévaluée${recorded.changed ? ` : ${recorded.changes.length} exigence(s) changent d'état` : ' : inchangée'}.`);
    return { status: 'succeeded', result: { conformityRecomputed: recorded !== undefined, conformityChanged: recorded?.changed ?? false } };
  } catch (error) {
    // The certification stands; the periodic sweep re-evaluates every project with a revision certified since
    // its last evaluation, so this one is caught up there.
    ctx.log(`Conformité du projet non réévaluée (reprise par la réévaluation périodique) : ${(error as Error).message.slice(0, 200)}`);
    return { status: 'succeeded', result: { conformityRecomputed: false } };
  }
};
