// What a rendered service asks of its environment: the CPU and memory its containers request and are limited to,
// times the replicas. The environment's quota (a ResourceQuota on requests and limits) must hold every service;
// checking it before commit turns a pod that would never schedule into a refusal the team can act on.
import { parseAllDocuments } from 'yaml';
import { containersOf, isObject, podTemplateOf } from '../../checks/kubernetes/workloads.ts';

export interface Footprint {
  /** The larger of requests and limits, summed over containers and replicas (what the ResourceQuota counts). */
  cpuMillicores: number;
  memoryMiB: number;
}

export const noFootprint: Footprint = { cpuMillicores: 0, memoryMiB: 0 };

/** `500m`, `0.5`, `2` → millicores; undefined when not a CPU quantity. */
export function cpuMillicores(quantity: unknown): number | undefined {
  const text = typeof quantity === 'number' ? String(quantity) : typeof quantity === 'string' ? quantity.trim() : '';
  const match = /^(\d+(?:\.\d+)?|\.\d+)(m?)$/.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]);
  return Math.ceil(match[2] === 'm' ? value : value * 1000);
}

const memoryUnits: Record<string, number> = { '': 1 / 1048576, k: 1000 / 1048576, K: 1000 / 1048576, M: 1e6 / 1048576, G: 1e9 / 1048576, T: 1e12 / 1048576, Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1048576 };

/** `512Mi`, `1Gi`, `268435456` → MiB; undefined when not a memory quantity. */
export function memoryMiB(quantity: unknown): number | undefined {
  const text = typeof quantity === 'number' ? String(quantity) : typeof quantity === 'string' ? quantity.trim() : '';
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|K|M|G|T)?$/.exec(text);
  if (!match) return undefined;
  return Math.ceil(Number(match[1]) * memoryUnits[match[2] ?? '']!);
}

/** The footprint of rendered manifests (multi-document YAML). Containers that declare nothing count as zero. */
export function footprintOf(manifests: string): Footprint {
  let cpu = 0;
  let memory = 0;
  for (const document of parseAllDocuments(manifests)) {
    const object = document.toJS({ maxAliasCount: 100 }) as unknown;
    if (!isObject(object)) continue;
    const spec = isObject(object.spec) ? object.spec : {};
    const replicas = object.kind === 'Pod' ? 1 : typeof spec.replicas === 'number' ? spec.replicas : typeof spec.instances === 'number' ? spec.instances : 1;
    const template = podTemplateOf(object);
    // An operator's custom resource (a CloudNativePG Cluster…) states its pods' resources in spec.resources.
    const containers = template
      ? containersOf(template).map((c) => c.container)
      : isObject(spec.resources)
        ? [{ resources: spec.resources }]
        : [];
    for (const container of containers) {
      const resources = isObject(container.resources) ? container.resources : {};
      const requests = isObject(resources.requests) ? resources.requests : {};
      const limits = isObject(resources.limits) ? resources.limits : {};
      cpu += replicas * Math.max(cpuMillicores(requests.cpu) ?? 0, cpuMillicores(limits.cpu) ?? 0);
      memory += replicas * Math.max(memoryMiB(requests.memory) ?? 0, memoryMiB(limits.memory) ?? 0);
    }
  }
  return { cpuMillicores: cpu, memoryMiB: memory };
}

export function addFootprints(...footprints: Footprint[]): Footprint {
  return footprints.reduce(
    (a, b) => ({ cpuMillicores: a.cpuMillicores + b.cpuMillicores, memoryMiB: a.memoryMiB + b.memoryMiB }),
    noFootprint,
  );
}

export interface QuotaShortfall {
  resource: 'cpuMillicores' | 'memoryMiB';
  /** What this service asks. */
  requested: number;
  /** What the environment's quota leaves once its other services are counted. */
  available: number;
}

/** Does the service fit in what the environment's quota leaves after its other services? */
export function quotaShortfalls(quota: Footprint, others: Footprint, requested: Footprint): QuotaShortfall[] {
  const shortfalls: QuotaShortfall[] = [];
  for (const resource of ['cpuMillicores', 'memoryMiB'] as const) {
    const available = Math.max(0, quota[resource] - others[resource]);
    if (requested[resource] > available) shortfalls.push({ resource, requested: requested[resource], available });
  }
  return shortfalls;
}
