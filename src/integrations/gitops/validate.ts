// Every rendered manifest is checked before it can reach the repository: Kubernetes kinds against the API
// schemas (kubernetes-models), our custom resources (ArgoCD, external-secrets) against the minimal shape ArgoCD
// and the operator need, plus rules the schemas cannot express (non-negative quantities, no branch in production).
import { LimitRange, Namespace, ResourceQuota } from 'kubernetes-models/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import type { Finding } from '../../checks/model.ts';
import { checkManifests } from '../../checks/kubernetes/manifests.ts';
import type { RenderError } from './model.ts';
import { labelPrefix, objectRef, type KubeObject } from './kube-object.ts';
import { customResourceShape } from './services.ts';

/** A check run on the manifests of one file; by default our own Kubernetes checks (src/checks/kubernetes). */
export type ManifestCheck = (objects: KubeObject[], file: string) => Finding[];
export const ourKubernetesChecks: ManifestCheck = (objects, file) => checkManifests(objects, file);

interface Validatable {
  validate(): void;
}
const schemaModels: Record<string, new (data: never) => Validatable> = {
  'v1/Namespace': Namespace,
  'v1/ResourceQuota': ResourceQuota,
  'v1/LimitRange': LimitRange,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
};

const quantity = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/;
const commitSha = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const exactVersion = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

function invalid(object: KubeObject, detail: string): RenderError {
  const ref = objectRef(object);
  return { code: 'schema.invalid', object: ref, message: { fr: `Manifeste ${ref} invalide : ${detail}`, en: `Invalid manifest ${ref}: ${detail}` } };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (isRecord(v) ? v[key] : undefined), value);
}
function requireStrings(object: KubeObject, paths: string[]): string[] {
  return paths.filter((p) => !isString(at(object, p))).map((p) => `${p} doit être une chaîne non vide / must be a non-empty string`);
}

function customResourceProblems(object: KubeObject): string[] {
  const key = `${object.apiVersion}/${object.kind}`;
  const base = requireStrings(object, ['metadata.name', 'metadata.namespace']);
  switch (key) {
    case 'argoproj.io/v1alpha1/Application': {
      const problems = [...base, ...requireStrings(object, ['spec.project', 'spec.source.repoURL', 'spec.source.targetRevision', 'spec.destination.server', 'spec.destination.namespace'])];
      // A Helm chart source (catalogue service) names a chart and an exact version; a git source a path and a commit.
      const chart = at(object, 'spec.source.chart');
      if (chart !== undefined) {
        if (!isString(chart)) problems.push('spec.source.chart doit être une chaîne / must be a string');
        if (!(typeof at(object, 'spec.source.targetRevision') === 'string' && exactVersion.test(at(object, 'spec.source.targetRevision') as string))) {
          problems.push('spec.source.targetRevision doit être une version exacte de chart / must be an exact chart version');
        }
      } else if (typeof at(object, 'spec.source.path') !== 'string') problems.push('spec.source.path doit être une chaîne / must be a string');
      const production = object.metadata.labels?.[`${labelPrefix}production`] === 'true';
      const revision = at(object, 'spec.source.targetRevision');
      if (production && chart === undefined && !(typeof revision === 'string' && commitSha.test(revision))) {
        problems.push('en production, targetRevision doit être un commit certifié, jamais une branche / in production, targetRevision must be a certified commit, never a branch');
      }
      if (production && at(object, 'spec.syncPolicy.automated') !== undefined) problems.push('pas de synchronisation automatique en production / no automated sync in production');
      return problems;
    }
    case 'argoproj.io/v1alpha1/AppProject': {
      const problems = [...base];
      const repos = at(object, 'spec.sourceRepos');
      if (!Array.isArray(repos) || !repos.every(isString)) problems.push('spec.sourceRepos doit être une liste de chaînes / must be a list of strings');
      const destinations = at(object, 'spec.destinations');
      if (!Array.isArray(destinations) || !destinations.every((d) => isString(at(d, 'server')) && isString(at(d, 'namespace')))) problems.push('spec.destinations doit lister server et namespace / must list server and namespace');
      return problems;
    }
    case 'external-secrets.io/v1beta1/ExternalSecret': {
      const problems = [...base, ...requireStrings(object, ['spec.secretStoreRef.name', 'spec.secretStoreRef.kind', 'spec.target.name'])];
      const data = at(object, 'spec.data');
      if (!Array.isArray(data) || data.length === 0) problems.push('spec.data doit lister des clés / must list keys');
      // A reference, never a value: only these two fields may appear in an item.
      else if (!data.every((d) => isRecord(d) && Object.keys(d).every((k) => k === 'secretKey' || k === 'remoteRef') && isString(d.secretKey) && isString(at(d, 'remoteRef.key')))) {
        problems.push('spec.data ne doit contenir que des références (secretKey, remoteRef) / must only hold references (secretKey, remoteRef)');
      }
      if (at(object, 'spec.target.template') !== undefined) problems.push('spec.target.template interdit : aucune valeur dans le dépôt / forbidden: no value in the repository');
      return problems;
    }
    default:
      return [`type ${key} inconnu du validateur / kind unknown to the validator`];
  }
}

function quantityProblems(object: KubeObject): string[] {
  const values: [string, unknown][] = [];
  if (object.kind === 'ResourceQuota') values.push(...Object.entries((at(object, 'spec.hard') as Record<string, unknown>) ?? {}));
  if (object.kind === 'LimitRange') {
    for (const limit of (at(object, 'spec.limits') as unknown[]) ?? []) {
      for (const field of ['default', 'defaultRequest', 'max', 'min']) values.push(...Object.entries((at(limit, field) as Record<string, unknown>) ?? {}).map(([k, v]): [string, unknown] => [`${field}.${k}`, v]));
    }
  }
  return values
    .filter(([, v]) => !(typeof v === 'string' && quantity.test(v)))
    .map(([k, v]) => `${k} = ${String(v).slice(0, 40)} : quantité positive attendue / a non-negative quantity is expected`);
}

export interface ValidateOptions {
  /** The objects are an operator's custom resources (catalogue service): only their minimal shape is known here. */
  operatorResources?: boolean;
}

/** Problems of one object; empty when it may be committed. */
export function validateObject(object: KubeObject, options: ValidateOptions = {}): RenderError[] {
  const key = `${object.apiVersion}/${object.kind}`;
  const model = schemaModels[key];
  const problems: string[] = [];
  if (model) {
    try {
      new model(object as never).validate();
    } catch (e) {
      problems.push(e instanceof Error ? e.message : String(e));
    }
    problems.push(...quantityProblems(object));
  } else if (options.operatorResources && !object.apiVersion?.startsWith('argoproj.io/')) {
    problems.push(...customResourceShape(object));
  } else {
    problems.push(...customResourceProblems(object));
  }
  return problems.map((p) => invalid(object, p));
}

/** Findings of our own checks that block a commit: the platform must not ship what it refuses from teams. */
const blockingSeverities = new Set(['critical', 'high']);

export function validateObjects(
  objects: KubeObject[],
  file: string,
  check: ManifestCheck = ourKubernetesChecks,
  options: ValidateOptions = {},
): RenderError[] {
  const errors = objects.flatMap((o) => validateObject(o, options));
  for (const finding of check(objects, file)) {
    if (!blockingSeverities.has(finding.severity)) continue;
    errors.push({
      code: `check.${finding.ruleId}`,
      message: { fr: `${file} : ${finding.message}`, en: `${file}: ${finding.message}` },
    });
  }
  return errors;
}
