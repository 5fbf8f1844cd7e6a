// ArgoCD objects: per project an AppProject fencing it to its namespaces and repositories, per deployed
// environment an Application pinned to the certified commit, per cluster a root "app of apps".
import type { Cluster, Environment, Platform, Project, Zone } from './model.ts';
import { managedByLabels, labelPrefix, type KubeObject } from './kube-object.ts';
import { environmentLabels } from './namespace-guardrails.ts';
import { clusterFolder, namespaceOf } from './layout.ts';
import { isRepositoryUrl } from './preconditions.ts';

/** Chart repositories the project's catalogue services pull from: the AppProject must allow them. */
function serviceRepositories(environments: readonly Environment[]): string[] {
  return environments.flatMap((e) => (e.services ?? []).flatMap((s) => (s.kind === 'chart' && isRepositoryUrl(s.chartRepositoryUrl) ? [s.chartRepositoryUrl] : [])));
}

export const defaultArgocdNamespace = 'argocd';
/** Each cluster runs its own ArgoCD, which deploys to the cluster it runs in. */
const inCluster = 'https://kubernetes.default.svc';
/** The AppProject of the root applications: the only one allowed to create namespaces. */
export const platformAppProject = 'dso-platform';

/** Kinds the platform owns inside a project namespace; a team's own manifests may not replace them. */
export const platformOwnedKinds = [
  { group: '', kind: 'ResourceQuota' },
  { group: '', kind: 'LimitRange' },
  { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
  { group: 'rbac.authorization.k8s.io', kind: 'Role' },
];

export function appProjectManifest(platform: Platform, project: Project, environments: Environment[]): KubeObject {
  const repositories = [
    ...new Set([
      ...environments.map((e) => e.deployment.repositoryUrl).filter(isRepositoryUrl),
      ...serviceRepositories(environments),
    ]),
  ].sort();
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: {
      name: project.slug,
      namespace: platform.argocdNamespace ?? defaultArgocdNamespace,
      labels: { ...managedByLabels, [`${labelPrefix}project`]: project.slug },
    },
    spec: {
      description: `DSO π project ${project.slug}`,
      sourceRepos: repositories,
      destinations: environments
        .map((e) => ({ server: inCluster, namespace: namespaceOf(project.slug, e.name) }))
        .sort((a, b) => a.namespace.localeCompare(b.namespace)),
      // No cluster-scoped resource at all: namespaces and guardrails come from the platform, not from teams.
      clusterResourceWhitelist: [],
      namespaceResourceBlacklist: platformOwnedKinds,
    },
  };
}

/** The Application of an environment, or null when nothing has been deployed there yet. */
export function applicationManifest(
  platform: Platform,
  project: Project,
  environment: Environment,
  zone: Zone,
): KubeObject | null {
  const { revision, repositoryUrl, path } = environment.deployment;
  if (revision === null) return null;
  const production = environment.stage.production;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: namespaceOf(project.slug, environment.name),
      namespace: platform.argocdNamespace ?? defaultArgocdNamespace,
      labels: environmentLabels(project, environment, zone),
      // Deleting the environment's Application also deletes what it deployed.
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: project.slug,
      source: { repoURL: repositoryUrl, path, targetRevision: revision },
      destination: { server: inCluster, namespace: namespaceOf(project.slug, environment.name) },
      // Outside production ArgoCD converges by itself; in production a person starts each sync.
      syncPolicy: production
        ? { syncOptions: ['CreateNamespace=false'] }
        : { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=false'] },
    },
  };
}

/** Bootstrapped once per cluster by its administrators; then everything else flows from this repository. */
export function clusterRootManifests(platform: Platform, cluster: Cluster): KubeObject[] {
  const argocdNamespace = platform.argocdNamespace ?? defaultArgocdNamespace;
  const labels = { ...managedByLabels, [`${labelPrefix}zone`]: cluster.zone, [`${labelPrefix}cluster`]: cluster.slug };
  return [
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: platformAppProject, namespace: argocdNamespace, labels },
      spec: {
        description: 'DSO π platform: namespaces, guardrails and project applications',
        sourceRepos: [platform.gitopsRepositoryUrl],
        destinations: [{ server: inCluster, namespace: '*' }],
        clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
      },
    },
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: `dso-root-${cluster.slug}`, namespace: argocdNamespace, labels },
      spec: {
        project: platformAppProject,
        source: {
          repoURL: platform.gitopsRepositoryUrl,
          path: clusterFolder(cluster.zone, cluster.slug),
          targetRevision: 'main',
          directory: { recurse: true, exclude: 'root.yaml' },
        },
        destination: { server: inCluster, namespace: argocdNamespace },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    },
  ];
}
