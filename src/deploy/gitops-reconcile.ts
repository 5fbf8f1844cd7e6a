// Reconcile step "gitops": the project's desired state (from the database) rendered and committed to the GitOps
// repository, one commit per reconcile and none when nothing changed. An environment whose render is refused
// keeps its last valid folder and shows why (Failed condition); its pending deployments are marked failed.
// An archived project, or one deleted for good (removal step), has its folders removed. External repository:
// pushed after commit.
import path from 'node:path';
import { and, eq, ne } from 'drizzle-orm';
import type { Services } from '../system/services.ts';
import { deployments, environmentDeploymentStatus, environments, gitopsProjects } from '../db/schema.ts';
import { applyChanges, clusterFolder, commitToRemote, ensureRepository, GitopsContendedError, namespaceOf, projectFolderOnAnyCluster, renderProject, keepPrevious, type Changes, type TreeFiles } from '../integrations/gitops/index.ts';
import { gitReplicationOf } from '../chain/mirror-copy.ts';
import { TransientReconcileError } from '../reconcile/transient.ts';
import { toYaml } from '../integrations/gitops/render.ts';
import { clusterRootManifests } from '../integrations/gitops/argocd.ts';
import { failedConditions } from '../reconcile/conditions.ts';
import { conditionMessage, ReconcileFailure, type ConditionMessage } from '../reconcile/condition-messages.ts';
import type { ReconcileContext } from '../reconcile/steps.ts';
import { readApplicationStatus } from './argocd-status.ts';
import { applicationStatusDetail } from './argocd-status-text.ts';
import type { LocalisedText } from '../errors.ts';
import { recordServicesAfterCommit } from './service-status.ts';
import { currentDeployments, loadPlatform, loadProjectModel } from './desired-state.ts';

/** The embedded GitOps repository, served read-only to platform administrators at /git/_platform/gitops.git. */
export function gitopsRepositoryPath(dataDir: string): string {
  return path.join(dataDir, 'git', '_platform', 'gitops.git');
}

/** Key of the embedded GitOps repository in the durable git store. */
const gitopsKey = '_platform/gitops.git';

/**
 * One GitOps commit, whichever replica makes it: under the repository's cross-replica lock, on the latest history
 * (the durable copy, or the external remote's main when there is one), recorded or pushed before the lock goes.
 * A race with another writer is transient: the reconcile shows as progressing and runs again.
 */
async function commitAndPush(services: Pick<Services, 'config' | 'gitReplication'>, changes: Changes, now: Date) {
  const { config } = services;
  const repository = gitopsRepositoryPath(config.dataDir);
  const remote = config.gitops.remote;
  const result = await gitReplicationOf(services)
    .update(gitopsKey, repository, ensureRepository, async () => {
      await ensureRepository(repository);
      const commit = () => applyChanges(repository, changes, { now });
      return remote
        ? commitToRemote(repository, { url: remote.url, ...(remote.token ? { token: remote.token } : {}) }, commit)
        : commit();
    })
    .catch((error: unknown) => {
      if (error instanceof GitopsContendedError) throw new TransientReconcileError('GitopsRetrying', conditionMessage('gitops.contended'));
      throw error;
    });
  if (!result.ok) {
    if (result.error.code === 'gitops.concurrent-update') throw new TransientReconcileError('GitopsRetrying', conditionMessage('gitops.failed', result.error.message));
    throw new ReconcileFailure(conditionMessage('gitops.failed', result.error.message));
  }
  return result;
}

export async function reconcileGitops(context: ReconcileContext): Promise<void> {
  const { services, project } = context;
  const { db, config } = services;
  const now = services.now();
  if (project.archived) {
    // An archived project keeps its records in the console but runs nowhere: its folders leave the GitOps
    // repository (ArgoCD then prunes its namespaces); restoring the project renders them again.
    const removed = await commitAndPush(services, { remove: [projectFolderOnAnyCluster(project.slug)] }, now);
    await db
      .insert(gitopsProjects)
      .values({ projectId: project.id, slug: project.slug, lastCommit: removed.commit, reconciledAt: now })
      .onConflictDoUpdate({
        target: gitopsProjects.projectId,
        set: { slug: project.slug, lastCommit: removed.commit, reconciledAt: now },
      });
    return;
  }
  const platform = await loadPlatform(db, config);
  const model = await loadProjectModel(db, config, project, context.environments);
  const { folders, failures } = renderProject(platform, model);

  const upsert: NonNullable<Changes['upsert']> = [];
  // The root "app of apps" of every cluster the project uses (the rest of the cluster folder is kept).
  const clusterSlugs = new Set(model.environments.map((e) => e.cluster));
  for (const cluster of platform.clusters.filter((c) => clusterSlugs.has(c.slug))) {
    const files: TreeFiles = new Map<string, string | typeof keepPrevious>([
      ['root.yaml', toYaml(clusterRootManifests(platform, cluster))],
      ['projects', keepPrevious],
    ]);
    upsert.push({ path: clusterFolder(cluster.zone, cluster.slug), files });
  }
  for (const [folder, files] of folders) upsert.push({ path: folder, files });
  const result = await commitAndPush(services, { remove: [projectFolderOnAnyCluster(project.slug)], upsert }, now);
  const commit = result.commit;

  await db
    .insert(gitopsProjects)
    .values({ projectId: project.id, slug: project.slug, lastCommit: commit, reconciledAt: now })
    .onConflictDoUpdate({
      target: gitopsProjects.projectId,
      set: { slug: project.slug, lastCommit: commit, reconciledAt: now },
    });

  // Why each refused environment was refused, in both languages (the render errors are).
  const refusals = new Map<string, ConditionMessage>(
    failures.map((f) => [
      f.environment,
      conditionMessage('render.refused', {
        fr: f.errors.map((e) => `${e.object ? `${e.object} : ` : ''}${e.message.fr}`).join(' '),
        en: f.errors.map((e) => `${e.object ? `${e.object}: ` : ''}${e.message.en}`).join(' '),
      }),
    ]),
  );
  await recordServicesAfterCommit(services, project.slug, context.environments, commit, refusals);
  const current = await currentDeployments(db, context.environments.map((e) => e.id));
  for (const environment of context.environments) {
    const refusal = refusals.get(environment.name);
    if (refusal) {
      const message = String(refusal.params?.en ?? '');
      // Written here, and taken out of the reconciler's "pending" set so that it does not mark the environment Ready.
      context.pending.environmentIds.delete(environment.id);
      await db
        .update(environments)
        .set({ status: 'failed', conditions: failedConditions(environment.conditions, 'render', refusal, now) })
        .where(eq(environments.id, environment.id));
      await db
        .update(deployments)
        .set({ status: 'failed', message, note: refusal })
        .where(and(eq(deployments.environmentId, environment.id), eq(deployments.status, 'pending')));
      continue;
    }
    const deployed = current.get(environment.id);
    if (deployed && commit) {
      await db.update(deployments).set({ status: 'committed', gitopsCommit: commit, committedAt: now }).where(and(eq(deployments.id, deployed.id), eq(deployments.status, 'pending')));
      await db
        .update(deployments)
        .set({ status: 'superseded' })
        .where(and(eq(deployments.environmentId, environment.id), eq(deployments.status, 'pending'), ne(deployments.id, deployed.id)));
    }
    await recordEnvironmentStatus(
      services,
      { id: environment.id, projectId: project.id, name: environment.name },
      project.slug,
      commit,
      deployed?.revision ?? null,
    );
  }
}

/** Deployment status of an environment: the GitOps commit, plus ArgoCD's sync and health when configured. */
export async function recordEnvironmentStatus(
  services: Services,
  environment: { id: string; projectId: string; name: string },
  projectSlug: string,
  commit: string | null,
  revision: string | null,
) {
  let values = {
    gitopsCommit: commit,
    revision,
    syncStatus: null as string | null,
    healthStatus: null as string | null,
    syncedRevision: null as string | null,
    message: null as string | null,
    statusDetail: null as LocalisedText | null,
    argocdMessage: null as string | null,
  };
  const argocd = services.config.gitops.argocd;
  if (argocd && revision) {
    const status = await readApplicationStatus(argocd, namespaceOf(projectSlug, environment.name));
    // The detail says, in both languages, what the sync and health words leave out (a failed sync, an error
    // condition, no answer); `message` stays what the API always gave, ArgoCD's own message is kept to quote it.
    const statusDetail = applicationStatusDetail(status);
    values = status.ok
      ? {
          ...values,
          syncStatus: status.sync,
          healthStatus: status.health,
          syncedRevision: status.revision,
          message: status.message,
          statusDetail,
          argocdMessage: status.message,
        }
      : { ...values, syncStatus: 'Unknown', healthStatus: 'Unknown', message: status.message, statusDetail };
  }
  const observedAt = services.now();
  await services.db
    .insert(environmentDeploymentStatus)
    .values({ environmentId: environment.id, projectId: environment.projectId, ...values, observedAt })
    .onConflictDoUpdate({ target: environmentDeploymentStatus.environmentId, set: { ...values, observedAt } });
  return { ...values, observedAt };
}

/** Folders of projects deleted for good (remembered in gitops_projects, which outlives the project). */
export async function removeProjectFromGitops(services: Services, projectId: string): Promise<void> {
  const { db } = services;
  const [known] = await db.select().from(gitopsProjects).where(eq(gitopsProjects.projectId, projectId)).limit(1);
  if (!known) return;
  await commitAndPush(services, { remove: [projectFolderOnAnyCluster(known.slug)] }, services.now());
  await db.delete(gitopsProjects).where(eq(gitopsProjects.projectId, projectId));
}

const gitopsReadme = `# Dépôt GitOps de DSO π

Écrit par la console DSO π uniquement : ne le modifiez pas à la main. Pointez l'ArgoCD de chaque cluster sur le
dossier \`clusters/<zone>/<cluster>\` (fichier \`root.yaml\`, l'application racine) ; chaque projet y ajoute ses
environnements quand il est provisionné.

Written by the DSO π console only: do not edit it by hand. Point each cluster's ArgoCD at
\`clusters/<zone>/<cluster>\` (\`root.yaml\`, the root application); each project adds its environments there.
`;

/**
 * At start: the GitOps repository exists with every cluster's root application, before any project does, so that
 * an administrator can point ArgoCD at it right after installing. Idempotent (no commit when nothing changed).
 */
export async function initialiseGitopsRepository(services: Pick<Services, 'config' | 'db' | 'gitReplication'>, now: Date): Promise<void> {
  const platform = await loadPlatform(services.db, services.config);
  const upsert: NonNullable<Changes['upsert']> = [{ path: '_dso', files: new Map([['README.md', gitopsReadme]]) }];
  for (const cluster of platform.clusters) {
    upsert.push({ path: clusterFolder(cluster.zone, cluster.slug), files: new Map<string, string | typeof keepPrevious>([['root.yaml', toYaml(clusterRootManifests(platform, cluster))], ['projects', keepPrevious]]) });
  }
  await commitAndPush(services, { upsert }, now);
}
