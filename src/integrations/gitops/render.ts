// The pure renderer: desired state in, files out. Same input, same bytes: keys are sorted and objects ordered,
// so a reconcile with nothing changed produces an identical tree and the writer makes no commit.
import type { Cluster, DesiredState, Environment, Platform, Project, RenderError, Zone } from './model.ts';
import type { KubeObject } from './kube-object.ts';
import { appProjectManifest, applicationManifest, clusterRootManifests } from './argocd.ts';
import { externalSecretManifests } from './external-secrets.ts';
import { clusterRootFile, environmentFolder, projectFolder } from './layout.ts';
import { limitRangeManifest, namespaceManifest, resourceQuotaManifest } from './namespace-guardrails.ts';
import { networkPolicyManifests } from './network-policies.ts';
import { environmentErrors, isSlug, platformErrors } from './preconditions.ts';
import { keepPrevious, type TreeFiles } from './tree-input.ts';
import { validateObjects, type ManifestCheck } from './validate.ts';
import { roleBindingManifests } from './role-bindings.ts';
import { serviceErrors, serviceManifests } from './services.ts';
import { yamlDocument } from './yaml-emitter.ts';

export interface RenderOptions {
  /** Replaces our own Kubernetes checks (src/checks/kubernetes); findings of high severity block an environment. */
  kubernetesChecks?: ManifestCheck;
}

/** Why an environment was not rendered; its previous folder, if any, is kept. */
export interface EnvironmentFailure {
  project: string;
  environment: string;
  /** Folder of the environment, or null when its names cannot form a safe path. */
  folder: string | null;
  errors: RenderError[];
}

export interface ProjectRender {
  /** Project folder (one per cluster the project uses) → files relative to it. */
  folders: Map<string, TreeFiles>;
  failures: EnvironmentFailure[];
}

export function toYaml(objects: KubeObject[]): string {
  return objects.map(yamlDocument).join('---\n');
}

interface Placed {
  environment: Environment;
  cluster: Cluster;
  zone: Zone;
}

/** The files of one environment, by file name, or the reasons it cannot be rendered. */
function renderEnvironment(
  platform: Platform,
  project: Project,
  placed: Placed,
  options: RenderOptions,
): { files: Record<string, KubeObject[]> } | { errors: RenderError[] } {
  const { environment, cluster, zone } = placed;
  const preconditions = [...environmentErrors(project, environment, zone), ...serviceErrors(environment)];
  if (preconditions.length) return { errors: preconditions };
  const files: Record<string, KubeObject[]> = {
    'namespace.yaml': [namespaceManifest(project, environment, zone)],
    'resourcequota.yaml': [resourceQuotaManifest(project, environment, zone)],
    'limitrange.yaml': [limitRangeManifest(project, environment, zone)],
    'networkpolicies.yaml': networkPolicyManifests(project, environment, cluster, zone),
    'rolebindings.yaml': roleBindingManifests(platform, project, environment, zone),
    'externalsecrets.yaml': externalSecretManifests(platform, project, environment, zone),
  };
  const application = applicationManifest(platform, project, environment, zone);
  if (application) files['application.yaml'] = [application];
  const errors: RenderError[] = [];
  for (const [name, objects] of Object.entries(files)) {
    if (objects.length === 0) delete files[name];
    else errors.push(...validateObjects(objects, name, options.kubernetesChecks));
  }
  for (const [name, objects] of Object.entries(serviceManifests(platform, project, environment, zone))) {
    errors.push(...validateObjects(objects, name, options.kubernetesChecks, { operatorResources: true }));
    files[name] = objects;
  }
  return errors.length ? { errors } : { files };
}

/** Renders one project on every cluster it uses. */
export function renderProject(platform: Platform, project: Project, options: RenderOptions = {}): ProjectRender {
  const failures: EnvironmentFailure[] = [];
  const byFolder = new Map<
    string,
    { zone: Zone; cluster: Cluster; placed: Environment[]; rendered: Environment[]; files: TreeFiles }
  >();
  const seen = new Set<string>();
  for (const environment of [...project.environments].sort((a, b) => a.name.localeCompare(b.name))) {
    const fail = (folder: string | null, errors: RenderError[]) =>
      failures.push({ project: project.slug, environment: environment.name, folder, errors });
    const placement = platformErrors(platform, environment);
    if (!placement.cluster || !placement.zone) {
      fail(null, placement.errors);
      continue;
    }
    const { cluster, zone } = placement;
    const safe = [project.slug, environment.name, cluster.slug, zone.slug].every(isSlug);
    if (seen.has(environment.name)) {
      fail(null, [{ code: 'environment.duplicate', message: { fr: `Environnement « ${environment.name} » défini deux fois.`, en: `Environment "${environment.name}" is defined twice.` } }]);
      continue;
    }
    seen.add(environment.name);
    const result = renderEnvironment(platform, project, { environment, cluster, zone }, options);
    if (!safe) {
      fail(null, 'errors' in result ? result.errors : [{ code: 'slug.invalid', message: { fr: 'Identifiant invalide.', en: 'Invalid slug.' } }]);
      continue;
    }
    const folder = projectFolder(zone.slug, cluster.slug, project.slug);
    let entry = byFolder.get(folder);
    if (!entry) byFolder.set(folder, (entry = { zone, cluster, placed: [], rendered: [], files: new Map() }));
    // A failed environment keeps its previous folder, so the AppProject must keep allowing it.
    entry.placed.push(environment);
    if ('errors' in result) {
      fail(environmentFolder(zone.slug, cluster.slug, project.slug, environment.name), result.errors);
      entry.files.set(environment.name, keepPrevious);
      continue;
    }
    entry.rendered.push(environment);
    for (const [name, objects] of Object.entries(result.files)) entry.files.set(`${environment.name}/${name}`, toYaml(objects));
  }

  const folders = new Map<string, TreeFiles>();
  for (const [folder, { zone, placed, rendered, files }] of byFolder) {
    const appProject = appProjectManifest(platform, project, placed);
    const errors = validateObjects([appProject], 'appproject.yaml', options.kubernetesChecks);
    if (errors.length) {
      // Without a valid AppProject none of the project's applications on this cluster may change.
      for (const e of rendered)
        failures.push({
          project: project.slug,
          environment: e.name,
          folder: environmentFolder(zone.slug, e.cluster, project.slug, e.name),
          errors,
        });
      folders.set(folder, new Map([['', keepPrevious]]));
      continue;
    }
    files.set('appproject.yaml', toYaml([appProject]));
    folders.set(folder, new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
  }
  return { folders, failures };
}

export interface DesiredStateRender {
  /** Every file of the GitOps repository, by path from its root. */
  files: TreeFiles;
  failures: EnvironmentFailure[];
}

/** Renders the whole repository: a root application per cluster, then every project. */
export function renderDesiredState(state: DesiredState, options: RenderOptions = {}): DesiredStateRender {
  const files: TreeFiles = new Map();
  const failures: EnvironmentFailure[] = [];
  for (const cluster of [...state.platform.clusters].sort((a, b) => a.slug.localeCompare(b.slug))) {
    if (!isSlug(cluster.slug) || !isSlug(cluster.zone)) continue;
    files.set(clusterRootFile(cluster.zone, cluster.slug), toYaml(clusterRootManifests(state.platform, cluster)));
  }
  for (const project of [...state.projects].sort((a, b) => a.slug.localeCompare(b.slug))) {
    const rendered = renderProject(state.platform, project, options);
    failures.push(...rendered.failures);
    for (const [folder, folderFiles] of rendered.folders) {
      for (const [path, content] of folderFiles) files.set(path ? `${folder}/${path}` : folder, content);
    }
  }
  return { files, failures };
}
