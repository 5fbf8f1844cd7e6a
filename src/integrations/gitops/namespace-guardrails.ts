// The namespace of an environment and the limits around it: labels, Pod Security Admission, quota, defaults.
import type { Environment, Project, Zone } from './model.ts';
import { labelPrefix, managedByLabels, type KubeObject } from './kube-object.ts';
import { namespaceOf } from './layout.ts';

// Every object of an environment carries the same labels: build them once per environment (read-only after).
const labelsByEnvironment = new WeakMap<
  Environment,
  { project: Project; zone: Zone; labels: Record<string, string> }
>();

export function environmentLabels(project: Project, environment: Environment, zone: Zone): Record<string, string> {
  const cached = labelsByEnvironment.get(environment);
  if (cached && cached.project === project && cached.zone === zone) return cached.labels;
  const labels = environmentLabelsOf(project, environment, zone);
  labelsByEnvironment.set(environment, { project, zone, labels });
  return labels;
}

function environmentLabelsOf(project: Project, environment: Environment, zone: Zone): Record<string, string> {
  return {
    ...managedByLabels,
    [`${labelPrefix}project`]: project.slug,
    [`${labelPrefix}environment`]: environment.name,
    [`${labelPrefix}stage`]: environment.stage.slug,
    [`${labelPrefix}production`]: String(environment.stage.production),
    [`${labelPrefix}zone`]: zone.slug,
    [`${labelPrefix}data-sensitivity`]: project.dataSensitivity,
  };
}

export function namespaceManifest(project: Project, environment: Environment, zone: Zone): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: namespaceOf(project.slug, environment.name),
      labels: {
        ...environmentLabels(project, environment, zone),
        // Every pod of a project must meet the "restricted" Pod Security Standard; audit and warn too, so a
        // team sees the reason in its kubectl output and in the audit log, not only a refusal.
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/audit-version': 'latest',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/warn-version': 'latest',
      },
    },
  };
}

export function resourceQuotaManifest(project: Project, environment: Environment, zone: Zone): KubeObject {
  const { cpuMillicores, memoryMiB, gpu } = environment.quotas;
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'environment-quota', namespace: namespaceOf(project.slug, environment.name), labels: environmentLabels(project, environment, zone) },
    spec: {
      hard: {
        'requests.cpu': `${cpuMillicores}m`,
        'limits.cpu': `${cpuMillicores}m`,
        'requests.memory': `${memoryMiB}Mi`,
        'limits.memory': `${memoryMiB}Mi`,
        'requests.nvidia.com/gpu': String(gpu),
      },
    },
  };
}

// Defaults for containers that declare nothing, so a quota'd namespace still accepts them; never above the quota.
const defaultLimit = { cpuMillicores: 500, memoryMiB: 512 };
const defaultRequest = { cpuMillicores: 100, memoryMiB: 128 };

export function limitRangeManifest(project: Project, environment: Environment, zone: Zone): KubeObject {
  const { cpuMillicores, memoryMiB } = environment.quotas;
  const cpu = (m: number) => `${Math.min(m, cpuMillicores)}m`;
  const mem = (mi: number) => `${Math.min(mi, memoryMiB)}Mi`;
  return {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: 'container-defaults', namespace: namespaceOf(project.slug, environment.name), labels: environmentLabels(project, environment, zone) },
    spec: {
      limits: [
        {
          type: 'Container',
          default: { cpu: cpu(defaultLimit.cpuMillicores), memory: mem(defaultLimit.memoryMiB) },
          defaultRequest: { cpu: cpu(defaultRequest.cpuMillicores), memory: mem(defaultRequest.memoryMiB) },
          max: { cpu: `${cpuMillicores}m`, memory: `${memoryMiB}Mi` },
        },
      ],
    },
  };
}
