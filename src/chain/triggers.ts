// Creating a run: the row, its steps (all pending) and a wake-up of the executor, whatever asked for it (the
// primary chain's API call, a forge webhook, a person, the nightly re-scan). Never waits for the run itself.
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { certifiedRevisions, repositories, runSteps, runs } from '../db/schema.ts';
import type { Config } from '../config.ts';
import { stepNames } from './steps/context.ts';

export type RunRow = typeof runs.$inferSelect;

export interface RunRequest {
  projectId: string;
  repositoryId: string;
  trigger: RunRow['trigger'];
  ref?: string | undefined;
  revision?: string | undefined;
  requestedBy?: string | undefined;
}

export async function createRun(db: Db, config: Config, request: RunRequest): Promise<RunRow> {
  return db.transaction(async (tx) => {
    const [run] = await tx
      .insert(runs)
      .values({
        projectId: request.projectId,
        repositoryId: request.repositoryId,
        trigger: request.trigger,
        ref: request.ref ?? null,
        requestedRevision: request.revision ?? null,
        maxAttempts: config.chain.maxAttempts,
        requestedBy: request.requestedBy ?? null,
      })
      .returning();
    if (!run) throw new Error('insert returned nothing');
    await tx.insert(runSteps).values(stepNames.map((name, position) => ({ runId: run.id, name, position })));
    return run;
  });
}

/** Runs to create for the nightly re-scan: each repository's last certified revision. */
export async function nightlyRescanRequests(db: Db): Promise<RunRequest[]> {
  const repos = await db.select({ id: repositories.id, projectId: repositories.projectId }).from(repositories);
  const requests: RunRequest[] = [];
  for (const repo of repos) {
    const [last] = await db
      .select({ commitSha: certifiedRevisions.commitSha })
      .from(certifiedRevisions)
      .where(and(eq(certifiedRevisions.repositoryId, repo.id)))
      .orderBy(desc(certifiedRevisions.certifiedAt))
      .limit(1);
    if (last) requests.push({ projectId: repo.projectId, repositoryId: repo.id, trigger: 'nightly', revision: last.commitSha, requestedBy: 'nightly-rescan' });
  }
  return requests;
}
