// Catalogue components a team runs in an environment, as GitOps manifests. A chart becomes one ArgoCD Application
// in the project's AppProject, deploying into the environment's namespace from the platform's Helm repository:
// `targetRevision` is the exact published version, and the packaged chart's digest is recorded as an annotation.
// Why an annotation and not an OCI digest: the platform serves a classic Helm repository (index.yaml + .tgz) in
// which a published version is immutable (unique item+version, digest stored at publication, listed as `digest`
// in index.yaml), and ArgoCD's Helm sources take a version, not a digest; the annotation lets a reviewer or a policy
// compare what the cluster runs with what was checked. An operator-managed service becomes its custom resources.
import type { ChartService, Environment, EnvironmentService, OperatorService, Platform, Project, RenderError, Zone } from './model.ts';
import { labelPrefix, objectRef, type KubeObject } from './kube-object.ts';
import { environmentLabels } from './namespace-guardrails.ts';
import { namespaceOf } from './layout.ts';
import { isRepositoryUrl, isSlug } from './preconditions.ts';
import { defaultArgocdNamespace, platformOwnedKinds } from './argocd.ts';

const inCluster = 'https://kubernetes.default.svc';
/** Exact semver (no range, no `v` prefix): what a published catalogue version is. */
const exactVersion = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const sha256Digest = /^sha256:[0-9a-f]{64}$/;

export const chartDigestAnnotation = `${labelPrefix}chart-digest`;

/** File of a service inside the environment folder. */
export function serviceFile(service: Pick<EnvironmentService, 'name'>): string {
  return `service-${service.name}.yaml`;
}

/** Name of the ArgoCD Application of a chart service: unique in ArgoCD's namespace. */
export function serviceApplicationName(project: string, environment: string, service: string): string {
  return `${namespaceOf(project, environment)}-${service}`;
}

function serviceLabels(
  project: Project,
  environment: Environment,
  zone: Zone,
  service: EnvironmentService,
): Record<string, string> {
  return {
    ...environmentLabels(project, environment, zone),
    [`${labelPrefix}service`]: service.name,
    [`${labelPrefix}catalogue-item`]: service.item,
    [`${labelPrefix}catalogue-version`]: service.version,
  };
}

function chartApplication(
  platform: Platform,
  project: Project,
  environment: Environment,
  zone: Zone,
  service: ChartService,
): KubeObject {
  const namespace = namespaceOf(project.slug, environment.name);
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: serviceApplicationName(project.slug, environment.name, service.name),
      namespace: platform.argocdNamespace ?? defaultArgocdNamespace,
      labels: serviceLabels(project, environment, zone, service),
      annotations: { [chartDigestAnnotation]: service.digest },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: project.slug,
      source: {
        repoURL: service.chartRepositoryUrl,
        chart: service.item,
        targetRevision: service.version,
        helm: { releaseName: service.name, valuesObject: service.values },
      },
      destination: { server: inCluster, namespace },
      syncPolicy: environment.stage.production
        ? { syncOptions: ['CreateNamespace=false'] }
        : { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=false'] },
    },
  };
}

function operatorResources(
  project: Project,
  environment: Environment,
  zone: Zone,
  service: OperatorService,
): KubeObject[] {
  const namespace = namespaceOf(project.slug, environment.name);
  return service.resources.map((resource) => ({
    ...resource,
    metadata: {
      ...resource.metadata,
      namespace,
      labels: { ...(resource.metadata.labels ?? {}), ...serviceLabels(project, environment, zone, service) },
    },
  }));
}

/** The manifests of each service of an environment, by file name. */
export function serviceManifests(
  platform: Platform,
  project: Project,
  environment: Environment,
  zone: Zone,
): Record<string, KubeObject[]> {
  const files: Record<string, KubeObject[]> = {};
  for (const service of [...(environment.services ?? [])].sort((a, b) => a.name.localeCompare(b.name))) {
    files[serviceFile(service)] =
      service.kind === 'chart'
        ? [chartApplication(platform, project, environment, zone, service)]
        : operatorResources(project, environment, zone, service);
  }
  return files;
}

function error(code: string, service: string, fr: string, en: string): RenderError {
  return { code, object: `service/${service}`, message: { fr, en } };
}

/** Problems of the services of an environment before rendering: names, versions, digests, resource kinds. */
export function serviceErrors(environment: Environment): RenderError[] {
  const errors: RenderError[] = [];
  const seen = new Set<string>();
  for (const service of environment.services ?? []) {
    const name = service.name;
    if (!isSlug(name) || !isSlug(service.item)) errors.push(error('service.slug-invalid', name, `Nom de service invalide : « ${name.slice(0, 80)} ».`, `Invalid service name: "${name.slice(0, 80)}".`));
    if (seen.has(name)) errors.push(error('service.duplicate', name, `Service « ${name} » défini deux fois.`, `Service "${name}" is defined twice.`));
    seen.add(name);
    if (!exactVersion.test(service.version)) errors.push(error('service.version-not-exact', name, `La version « ${service.version} » doit être une version publiée exacte.`, `Version "${service.version}" must be an exact published version.`));
    if (service.kind === 'chart') {
      if (!sha256Digest.test(service.digest)) errors.push(error('service.digest-invalid', name, 'Empreinte du chart absente ou invalide (sha256 attendu).', 'Chart digest missing or invalid (sha256 expected).'));
      if (!isRepositoryUrl(service.chartRepositoryUrl)) errors.push(error('service.repository-invalid', name, 'Adresse du dépôt de charts invalide.', 'Invalid chart repository URL.'));
      continue;
    }
    for (const resource of service.resources) {
      const ref = `${resource.kind}/${resource.metadata?.name}`;
      if (typeof resource.apiVersion !== 'string' || !resource.apiVersion.includes('/') || typeof resource.kind !== 'string' || typeof resource.metadata?.name !== 'string') {
        errors.push(error('service.resource-invalid', name, `Ressource ${ref} invalide : apiVersion (groupe/version), kind et metadata.name attendus.`, `Invalid resource ${ref}: apiVersion (group/version), kind and metadata.name expected.`));
        continue;
      }
      const group = resource.apiVersion.split('/')[0];
      if (platformOwnedKinds.some((k) => k.group === group && k.kind === resource.kind) || resource.apiVersion.startsWith('argoproj.io/')) {
        errors.push(error('service.resource-forbidden', name, `La ressource ${ref} est réservée à la plateforme.`, `Resource ${ref} is reserved to the platform.`));
      }
    }
  }
  return errors;
}

/** Minimal shape of an operator's custom resource (its schema lives in the cluster, with the operator). */
export function customResourceShape(object: KubeObject): string[] {
  const problems: string[] = [];
  if (typeof object.metadata?.name !== 'string' || !object.metadata.name) problems.push('metadata.name doit être une chaîne non vide / must be a non-empty string');
  if (typeof object.metadata?.namespace !== 'string') problems.push('metadata.namespace manquant / missing');
  if (object.spec !== undefined && (typeof object.spec !== 'object' || object.spec === null)) problems.push(`${objectRef(object)}: spec doit être un objet / must be an object`);
  return problems;
}
