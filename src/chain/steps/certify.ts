// certify: record the certified revision (repository, commit, image digest, run) — what deployments may use.
// Unique per run, so a certify step that runs again after a crash changes nothing.
import { certifiedRevisions } from '../../db/schema.ts';
import type { Step } from './context.ts';

export const certifyStep: Step = async (ctx) => {
  if (ctx.results.gate?.certified !== true) return { status: 'skipped', message: 'révision non certifiée par la barrière' };
  if (!ctx.run.commitSha) return { status: 'failed', message: 'révision inconnue', fatal: true, retryable: false };
  await ctx.services.db
    .insert(certifiedRevisions)
    .values({ projectId: ctx.project.id, repositoryId: ctx.repository.id, commitSha: ctx.run.commitSha, imageDigest: ctx.run.imageDigest, runId: ctx.run.id, certifiedAt: ctx.services.now() })
    .onConflictDoNothing({ target: certifiedRevisions.runId });
  ctx.log(`Révision certifiée : ${ctx.run.commitSha}${ctx.run.imageDigest ? ` image ${ctx.run.imageDigest}` : ''}`);
  return { status: 'succeeded' };
};
