// Where each workload kind keeps its pod template, and which kinds run forever (need probes).

export type Path = (string | number)[];
export type Json = Record<string, unknown>;

export interface PodTemplate {
  /** Path from the object root to the pod spec. */
  specPath: Path;
  spec: Json;
  /** Path to the pod metadata (annotations), when the kind has one. */
  metadataPath: Path;
  metadata: Json;
  /** Jobs end by design: they need no liveness/readiness probes. */
  longRunning: boolean;
}

export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

const templatePaths: Record<string, { spec: Path; metadata: Path; longRunning: boolean }> = {
  Pod: { spec: ['spec'], metadata: ['metadata'], longRunning: true },
  PodTemplate: { spec: ['template', 'spec'], metadata: ['template', 'metadata'], longRunning: true },
  Deployment: { spec: ['spec', 'template', 'spec'], metadata: ['spec', 'template', 'metadata'], longRunning: true },
  StatefulSet: { spec: ['spec', 'template', 'spec'], metadata: ['spec', 'template', 'metadata'], longRunning: true },
  DaemonSet: { spec: ['spec', 'template', 'spec'], metadata: ['spec', 'template', 'metadata'], longRunning: true },
  ReplicaSet: { spec: ['spec', 'template', 'spec'], metadata: ['spec', 'template', 'metadata'], longRunning: true },
  ReplicationController: { spec: ['spec', 'template', 'spec'], metadata: ['spec', 'template', 'metadata'], longRunning: true },
  Job: { spec: ['spec', 'template', 'spec'], metadata: ['spec', 'template', 'metadata'], longRunning: false },
  CronJob: {
    spec: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
    metadata: ['spec', 'jobTemplate', 'spec', 'template', 'metadata'],
    longRunning: false,
  },
};

export const workloadKinds: readonly string[] = Object.keys(templatePaths);

export function getIn(value: unknown, path: Path): unknown {
  let current = value;
  for (const key of path) {
    if (typeof key === 'number') current = Array.isArray(current) ? current[key] : undefined;
    else current = isObject(current) ? current[key] : undefined;
  }
  return current;
}

export function podTemplateOf(object: Json): PodTemplate | undefined {
  const kind = typeof object.kind === 'string' ? object.kind : '';
  const where = templatePaths[kind];
  if (!where) return undefined;
  const spec = getIn(object, where.spec);
  if (!isObject(spec)) return undefined;
  const metadata = getIn(object, where.metadata);
  return {
    specPath: where.spec,
    spec,
    metadataPath: where.metadata,
    metadata: isObject(metadata) ? metadata : {},
    longRunning: where.longRunning,
  };
}

export type ContainerGroup = 'containers' | 'initContainers' | 'ephemeralContainers';
export const containerGroups: readonly ContainerGroup[] = ['containers', 'initContainers', 'ephemeralContainers'];

export interface ContainerEntry {
  group: ContainerGroup;
  index: number;
  name: string;
  container: Json;
  path: Path;
}

export function containersOf(template: PodTemplate): ContainerEntry[] {
  const entries: ContainerEntry[] = [];
  for (const group of containerGroups) {
    const list = template.spec[group];
    if (!Array.isArray(list)) continue;
    list.forEach((container, index) => {
      if (!isObject(container)) return;
      const name = typeof container.name === 'string' ? container.name : `#${index}`;
      entries.push({ group, index, name, container, path: [...template.specPath, group, index] });
    });
  }
  return entries;
}
