// Reconcile steps, run in registration order for every project reconcile. Later features (GitOps, chain,
// secrets) register theirs; a step must be idempotent ("already exists" is success) because the reconciler is
// level-triggered: it may run twice, after a crash, or for a change it did not cause.
import type { Services } from '../system/services.ts';
import type { environments, projects, repositories } from '../db/schema.ts';

export type ProjectRow = typeof projects.$inferSelect;
export type EnvironmentRow = typeof environments.$inferSelect;
export type RepositoryRow = typeof repositories.$inferSelect;

export interface ReconcileContext {
  services: Services;
  /** The project's whole desired state, as read at the start of this reconcile. */
  project: ProjectRow;
  environments: EnvironmentRow[];
  repositories: RepositoryRow[];
  /** Resources whose desired state changed since they were last converged (observedGeneration < generation). */
  pending: { project: boolean; environmentIds: Set<string>; repositoryIds: Set<string> };
  signal: AbortSignal;
}

/** Throw to fail the reconcile: the message becomes the Failed condition (user-facing: no secrets). */
export type ReconcileStep = (context: ReconcileContext) => Promise<void>;

const steps: { name: string; run: ReconcileStep }[] = [];

export function registerReconcileStep(name: string, run: ReconcileStep): void {
  const existing = steps.findIndex((s) => s.name === name);
  if (existing >= 0) steps[existing] = { name, run };
  else steps.push({ name, run });
}

export function reconcileSteps(): readonly { name: string; run: ReconcileStep }[] {
  return steps;
}

/** Run when a reconcile finds its project gone (deleted for good): clean up what the project left in the world. */
export type ProjectRemovalStep = (services: Services, projectId: string) => Promise<void>;
const removalSteps: { name: string; run: ProjectRemovalStep }[] = [];
export function registerProjectRemovalStep(name: string, run: ProjectRemovalStep): void {
  const existing = removalSteps.findIndex((s) => s.name === name);
  if (existing >= 0) removalSteps[existing] = { name, run };
  else removalSteps.push({ name, run });
}
export function projectRemovalSteps(): readonly { name: string; run: ProjectRemovalStep }[] {
  return removalSteps;
}
