// Schema validation of built-in Kubernetes kinds with the precompiled validators of
// kubernetes-models, plus a list of known workload spec fields: those validators accept unknown
// fields, and a mistyped or mis-indented field is the most common manifest mistake.
import { createRequire } from 'node:module';
import type { Json, Path } from './workloads.ts';

const require = createRequire(import.meta.url);

interface SchemaError { instancePath: string; message?: string; params?: Record<string, unknown> }
type Validate = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };
interface ModelModule { [name: string]: unknown }

const validators = new Map<string, Validate | null>();

/** Loads the validator of `apiVersion`/`kind`, or null when the kind is not a built-in one. */
function validatorOf(apiVersion: string, kind: string): Validate | null {
  const key = `${apiVersion}/${kind}`;
  const cached = validators.get(key);
  if (cached !== undefined) return cached;
  let found: Validate | null = null;
  const match = /^(?:([a-z0-9.-]{1,100})\/)?(v\d+(?:(?:alpha|beta)\d+)?)$/.exec(apiVersion);
  if (match && /^[A-Z][A-Za-z0-9]{0,80}$/.test(kind)) {
    const group = match[1] ?? '';
    const version = match[2] ?? '';
    const modulePath = group === '' ? `kubernetes-models/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
    try {
      const module = require(modulePath) as ModelModule;
      const model = module[kind] as { prototype: { validate?: () => void } } | undefined;
      if (model) {
        found = (data: unknown): boolean => {
          try {
            const instance = Object.create(model.prototype) as Record<string, unknown> & { validate: () => void };
            Object.assign(instance, data);
            instance.validate();
            found!.errors = null;
            return true;
          } catch (error) {
            const errors = (error as { errors?: SchemaError[] }).errors;
            found!.errors = errors ?? [{ instancePath: '', message: (error as Error).message }];
            return false;
          }
        };
      }
    } catch {
      found = null; // not a built-in kind (CRD, kustomize…): nothing to validate against
    }
  }
  validators.set(key, found);
  return found;
}

export interface SchemaProblem { path: Path; message: string }

export function schemaProblemsOf(object: Json): SchemaProblem[] | undefined {
  if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') return undefined;
  const validate = validatorOf(object.apiVersion, object.kind);
  if (!validate) return undefined;
  if (validate(object)) return [];
  return (validate.errors ?? []).slice(0, 20).map((error) => {
    const path: Path = error.instancePath.split('/').filter((s) => s !== '').map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));

    const allowed = Array.isArray(error.params?.allowedValues) ? `: ${(error.params.allowedValues as unknown[]).join(', ')}` : '';
    return { path, message: `${error.instancePath || '/'} ${error.message ?? 'is invalid'}${allowed}` };
  });
}

const podSpecFields = [
  'activeDeadlineSeconds', 'affinity', 'automountServiceAccountToken', 'containers', 'dnsConfig', 'dnsPolicy', 'enableServiceLinks',
  'ephemeralContainers', 'hostAliases', 'hostIPC', 'hostNetwork', 'hostPID', 'hostUsers', 'hostname', 'hostnameOverride', 'imagePullSecrets',
  'initContainers', 'nodeName', 'nodeSelector', 'os', 'overhead', 'preemptionPolicy', 'priority', 'priorityClassName', 'readinessGates',
  'resourceClaims', 'resources', 'restartPolicy', 'runtimeClassName', 'schedulerName', 'schedulingGates', 'securityContext', 'serviceAccount',
  'serviceAccountName', 'setHostnameAsFQDN', 'shareProcessNamespace', 'subdomain', 'terminationGracePeriodSeconds', 'tolerations',
  'topologySpreadConstraints', 'volumes',
];
const containerFields = [
  'args', 'command', 'env', 'envFrom', 'image', 'imagePullPolicy', 'lifecycle', 'livenessProbe', 'name', 'ports', 'readinessProbe',
  'resizePolicy', 'resources', 'restartPolicy', 'restartPolicyRules', 'securityContext', 'startupProbe', 'stdin', 'stdinOnce',
  'targetContainerName', 'terminationMessagePath', 'terminationMessagePolicy', 'tty', 'volumeDevices', 'volumeMounts', 'workingDir',
];
const specFieldsByKind: Record<string, string[]> = {
  Deployment: ['minReadySeconds', 'paused', 'progressDeadlineSeconds', 'replicas', 'revisionHistoryLimit', 'selector', 'strategy', 'template'],
  StatefulSet: ['minReadySeconds', 'ordinals', 'persistentVolumeClaimRetentionPolicy', 'podManagementPolicy', 'replicas', 'revisionHistoryLimit',
    'selector', 'serviceName', 'template', 'updateStrategy', 'volumeClaimTemplates'],
  DaemonSet: ['minReadySeconds', 'revisionHistoryLimit', 'selector', 'template', 'updateStrategy'],
  ReplicaSet: ['minReadySeconds', 'replicas', 'selector', 'template'],
  ReplicationController: ['minReadySeconds', 'replicas', 'selector', 'template'],
  Job: ['activeDeadlineSeconds', 'backoffLimit', 'backoffLimitPerIndex', 'completionMode', 'completions', 'managedBy', 'manualSelector',
    'maxFailedIndexes', 'parallelism', 'podFailurePolicy', 'podReplacementPolicy', 'selector', 'successPolicy', 'suspend', 'template',
    'ttlSecondsAfterFinished'],
  CronJob: ['concurrencyPolicy', 'failedJobsHistoryLimit', 'jobTemplate', 'schedule', 'startingDeadlineSeconds', 'successfulJobsHistoryLimit',
    'suspend', 'timeZone'],
  Service: ['allocateLoadBalancerNodePorts', 'clusterIP', 'clusterIPs', 'externalIPs', 'externalName', 'externalTrafficPolicy',
    'healthCheckNodePort', 'internalTrafficPolicy', 'ipFamilies', 'ipFamilyPolicy', 'loadBalancerClass', 'loadBalancerIP',
    'loadBalancerSourceRanges', 'ports', 'publishNotReadyAddresses', 'selector', 'sessionAffinity', 'sessionAffinityConfig',
    'trafficDistribution', 'type'],
  Pod: podSpecFields,
};
const topLevelFields = new Set(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
export const knownPodSpecFields = new Set(podSpecFields);
export const knownContainerFields = new Set(containerFields);

/** Unknown fields at the top level, in the spec of a workload/Service, in a pod spec or a container. */
export function unknownFieldsOf(object: Json, podSpecPath: Path | undefined): Path[] {
  const kind = typeof object.kind === 'string' ? object.kind : '';
  const specFields = specFieldsByKind[kind];
  if (!specFields) return [];
  const unknown: Path[] = [];
  for (const key of Object.keys(object)) if (!topLevelFields.has(key)) unknown.push([key]);
  const spec = object.spec;
  if (spec && typeof spec === 'object' && !Array.isArray(spec)) {
    const allowed = new Set(specFields);
    for (const key of Object.keys(spec)) if (!allowed.has(key)) unknown.push(['spec', key]);
  }
  if (podSpecPath && kind !== 'Pod') {
    let podSpec: unknown = object;
    for (const key of podSpecPath) podSpec = podSpec && typeof podSpec === 'object' ? (podSpec as Record<string | number, unknown>)[key] : undefined;
    if (podSpec && typeof podSpec === 'object' && !Array.isArray(podSpec)) {
      for (const key of Object.keys(podSpec)) if (!knownPodSpecFields.has(key)) unknown.push([...podSpecPath, key]);
    }
  }
  return unknown;
}
