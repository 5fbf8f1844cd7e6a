// Where each environment's desired state lives in the GitOps repository. ArgoCD in a cluster only reads its
// own folder, so the layout is zone → cluster → project → environment.

export function clusterFolder(zone: string, cluster: string): string {
  return `clusters/${zone}/${cluster}`;
}

export function clusterRootFile(zone: string, cluster: string): string {
  return `${clusterFolder(zone, cluster)}/root.yaml`;
}

export function projectFolder(zone: string, cluster: string, project: string): string {
  return `${clusterFolder(zone, cluster)}/projects/${project}`;
}

export function environmentFolder(zone: string, cluster: string, project: string, environment: string): string {
  return `${projectFolder(zone, cluster, project)}/${environment}`;
}

/** Every folder a project may occupy, whatever the cluster: for `applyChanges({remove})`. */
export function projectFolderOnAnyCluster(project: string): string {
  return `clusters/*/*/projects/${project}`;
}

/** Number of path segments of an environment folder (clusters/<zone>/<cluster>/projects/<project>/<env>). */
export const environmentFolderDepth = 6;

/** Recognises an environment folder path, for commit messages. */
export function parseEnvironmentFolder(
  path: string,
): { zone: string; cluster: string; project: string; environment: string } | null {
  const parts = path.split('/');
  if (parts.length !== environmentFolderDepth || parts[0] !== 'clusters' || parts[3] !== 'projects') return null;
  return { zone: parts[1]!, cluster: parts[2]!, project: parts[4]!, environment: parts[5]! };
}

/** Kubernetes namespace of an environment. */
export function namespaceOf(project: string, environment: string): string {
  return `${project}-${environment}`;
}
