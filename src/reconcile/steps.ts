// Reconcile steps, run in the order of the list the composition root gives the queue (src/api/compose.ts): the
// order is written in one place and no step depends on which module happened to be imported first. A step must be
// idempotent ("already exists" is success) because the reconciler is level-triggered: it may run twice, after a crash,
// or for a change it did not cause.
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

/** Run when a reconcile finds its project gone (deleted for good): clean up what the project left in the world. */
export type ProjectRemovalStep = (services: Services, projectId: string) => Promise<void>;
/** A step and the name its failure is reported under (the Failed condition, the failure metric). */
export interface NamedStep<Run> {
  name: string;
  run: Run;
}

/** The reconciler's steps, in the order they run; built by the composition root (src/api/compose.ts). */
export interface ReconcileSteps {
  converge: readonly NamedStep<ReconcileStep>[];
  /** Run in order when the project is gone. */
  removal: readonly NamedStep<ProjectRemovalStep>[];
}
