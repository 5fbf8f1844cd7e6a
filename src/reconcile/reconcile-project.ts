// The project reconciler: level-triggered. It reads the project's current desired state (not the event that woke
// it), runs every step of the list it is given, in order, then records the outcome on each resource it found pending:
// Ready and the generation it converged, or Failed with the step and its message. Safe to run twice or after a crash.
import { eq, sql } from 'drizzle-orm';
import type { Services } from '../system/services.ts';
import { environments, projects, repositories, type Condition } from '../db/schema.ts';
import { failedConditions, progressingConditions, readyConditions } from './conditions.ts';
import { TransientReconcileError } from './transient.ts';
import { conditionMessageOfError, conditionMessageText, type ConditionMessage } from './condition-messages.ts';
import type { ReconcileContext, ReconcileSteps } from './steps.ts';

export type ReconcileOutcome =
  | { result: 'ready' }
  /** `message`: the English text of `said` (logs, metrics); `said` is what the conditions store. */
  | { result: 'failed'; step: string; message: string; said: ConditionMessage }
  /** A transient failure: retried by the queue, shown as progressing (pending) with its reason. */
  | { result: 'retrying'; step: string; reason: string; message: string; said: ConditionMessage }
  | { result: 'gone' };

export async function reconcileProject(
  services: Services,
  steps: ReconcileSteps,
  projectId: string,
  signal: AbortSignal = new AbortController().signal,
): Promise<ReconcileOutcome> {
  const { db } = services;
  const [project] = await db.select().from(projects).where(eq(projects.id, projectId)).limit(1);
  if (!project) {
    // Errors propagate: the queue retries until what the project left behind (GitOps folders…) is gone.
    for (const step of steps.removal) await step.run(services, projectId);
    return { result: 'gone' };
  }
  const envs = await db.select().from(environments).where(eq(environments.projectId, projectId));
  const repos = await db.select().from(repositories).where(eq(repositories.projectId, projectId));
  const context: ReconcileContext = {
    services,
    project,
    environments: envs,
    repositories: repos,
    pending: {
      project: project.observedGeneration < project.generation,
      environmentIds: new Set(envs.filter((e) => e.observedGeneration < e.generation).map((e) => e.id)),
      repositoryIds: new Set(repos.filter((r) => r.observedGeneration < r.generation).map((r) => r.id)),
    },
    signal,
  };

  let outcome: ReconcileOutcome = { result: 'ready' };
  for (const step of steps.converge) {
    try {
      await step.run(context);
    } catch (error) {
      const transient = error instanceof TransientReconcileError;
      // Parameters are bounded where the message is made (conditionMessage), so a long error stays user-sized.
      const said = conditionMessageOfError(error, step.name, transient);
      const message = conditionMessageText(said).en;
      outcome = transient
        ? { result: 'retrying', step: step.name, reason: error.reason, message, said }
        : { result: 'failed', step: step.name, message, said };
      services.metrics.reconcileFailures.labels(step.name).inc();
      services.logger.warn({ projectId, step: step.name, error: message }, 'reconcile step failed');
      break;
    }
  }

  const now = services.now();
  const write = async (
    table: typeof projects | typeof environments | typeof repositories,
    row: { id: string; generation: number; conditions: Condition[] },
  ) => {
    if (outcome.result === 'retrying') {
      await db
        .update(table)
        .set({
          status: 'pending',
          conditions: progressingConditions(row.conditions, outcome.reason, outcome.said, now),
        })
        .where(eq(table.id, row.id));
      return;
    }
    if (outcome.result === 'failed') {
      // observedGeneration stays behind: the retry still sees the resource as pending.
      await db
        .update(table)
        .set({ status: 'failed', conditions: failedConditions(row.conditions, outcome.step, outcome.said, now) })
        .where(eq(table.id, row.id));
      return;
    }
    // A change made while we ran has a higher generation: it stays pending (its own reconcile is queued).
    await db
      .update(table)
      .set({
        observedGeneration: sql`greatest(${table.observedGeneration}, ${row.generation})`,
        status: sql`case when ${table.generation} = ${row.generation} then 'ready' else ${table.status} end`,
        conditions: readyConditions(row.conditions, now),
      })
      .where(eq(table.id, row.id));
  };

  // A resource left failed by an earlier reconcile is rewritten too: once its cause is gone (a repository removed,
  // the allow-list changed), its Failed condition clears instead of staying forever.
  const stale = (row: { status: string }) => row.status === 'failed';
  if (context.pending.project || outcome.result === 'failed' || outcome.result === 'retrying' || stale(project))
    await write(projects, project);
  for (const env of envs)
    if (context.pending.environmentIds.has(env.id) || (outcome.result === 'ready' && stale(env)))
      await write(environments, env);
  for (const repo of repos)
    if (context.pending.repositoryIds.has(repo.id) || (outcome.result === 'ready' && stale(repo)))
      await write(repositories, repo);
  return outcome;
}
