// What a repository's Kubernetes manifests (plain or rendered from a chart) deploy, as evidence for conformity:
// workloads with their images, probes, stop hooks and connection settings; network policies and their flow
// class; exposed HTTP routes and their class; backup resources and where they write; log collectors; OIDC
// issuers. Pure: objects in, observations out. The catalogue judges them (src/catalogue/evidence.ts).
import { bounded, type BackupObservation, type ManifestObservations, type NetworkPolicyObservation, type RouteObservation, type WorkloadObservation } from '../observations/model.ts';
import { containersOf, getIn, isObject, podTemplateOf, type Json } from './workloads.ts';

/** Images and names that ship logs from a pod or a node. */
const logShipper = /fluent-?bit|fluentd|vector|promtail|filebeat|logstash|otel(-|\/)?col|opentelemetry-collector|grafana-agent|alloy/i;
/** Annotations by which a platform collector picks a pod's logs up (Banzai logging operator, Datadog, Splunk…). */
const logAnnotation = /^(logging\.banzaicloud\.io|fluentbit\.io|ad\.datadoghq\.com|splunk\.com|dso\.gouv\.fr\/logs)/;
/** Resources of log-forwarding operators. */
const logForwarderKinds = new Set(['ClusterLogForwarder', 'Flow', 'ClusterFlow', 'Output', 'ClusterOutput', 'FluentBit', 'FluentBitConfig', 'ClusterFluentBitConfig', 'Logging']);
/** Backup resources: CloudNativePG, Velero, k8up, and the catalogue's managed databases. */
const backupKinds = new Set(['ScheduledBackup', 'Backup', 'Schedule', 'ObjectStore']);
const backupGroups = /(^|\.)(cnpg\.io|velero\.io|k8up\.io|barmancloud\.cnpg\.io)\//;

const connectionUrl = /^[a-z][a-z0-9+.-]{1,20}:\/\/\S+/i;
const connectionName = /(_URL|_URI|_DSN|_CONNECTION(_STRING)?|_ENDPOINT)$/i;
const issuerName = /(OIDC|OPENID|OAUTH2?|KEYCLOAK|AUTH|SSO)[A-Z0-9_]*(ISSUER|AUTHORITY|DISCOVERY|REALM_URL|SERVER_URL)/i;

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const nameOf = (object: Json): string => str(getIn(object, ['metadata', 'name'])) ?? '(unnamed)';

function labelsOf(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Strings anywhere under `value` (bounded depth), for destinations written in a spec. */
function stringsUnder(value: unknown, depth = 0, into: string[] = []): string[] {
  if (depth > 8 || into.length > 50) return into;
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsUnder(v, depth + 1, into);
  else if (isObject(value)) for (const v of Object.values(value)) stringsUnder(v, depth + 1, into);
  return into;
}

const byPlace = (a: { file: string; name: string }, b: { file: string; name: string }) =>
  a.file === b.file ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.file < b.file ? -1 : 1;

/** Charts and overlays render in parallel: a fixed order keeps a report the same from one run to the next. */
export function sortedObservations(o: ManifestObservations): ManifestObservations {
  return {
    ...o,
    workloads: [...o.workloads].sort(byPlace),
    networkPolicies: [...o.networkPolicies].sort(byPlace),
    routes: [...o.routes].sort(byPlace),
    backups: [...o.backups].sort(byPlace),
    logCollectors: [...o.logCollectors].sort(),
    oidcIssuers: [...o.oidcIssuers].sort(),
  };
}

export function emptyManifestObservations(): ManifestObservations {
  return {
    objects: 0,
    workloads: [],
    networkPolicies: [],
    routes: [],
    backups: [],
    logCollectors: [],
    oidcIssuers: [],
  };
}

/** Add what `objects` (from `file`) deploy to `into`. */
export function observeManifests(objects: readonly unknown[], file: string, into: ManifestObservations): void {
  for (const object of objects) {
    if (!isObject(object) || typeof object.kind !== 'string') continue;
    into.objects++;
    const kind = object.kind;
    const apiVersion = str(object.apiVersion) ?? '';
    const name = nameOf(object);
    const template = podTemplateOf(object);
    if (template) {
      const { workload, issuers } = observeWorkload(kind, name, file, template.spec, template.metadata);
      into.workloads.push(workload);
      into.oidcIssuers.push(...issuers);
      if (kind === 'DaemonSet' && containersOf(template).some((c) => logShipper.test(str(c.container.image) ?? ''))) into.logCollectors.push(`${kind}/${name}`);
      continue;
    }
    if (kind === 'NetworkPolicy') {
      const labels = { ...labelsOf(getIn(object, ['metadata', 'labels'])), ...labelsOf(getIn(object, ['metadata', 'annotations'])) };
      const policy: NetworkPolicyObservation = {
        name,
        file,
        policyTypes: Array.isArray(getIn(object, ['spec', 'policyTypes'])) ? (getIn(object, ['spec', 'policyTypes']) as unknown[]).filter((t): t is string => typeof t === 'string') : [],
        podSelector: labelsOf(getIn(object, ['spec', 'podSelector', 'matchLabels'])),
      };
      const flow = labels['dso.gouv.fr/flow'];
      if (flow) policy.flow = flow;
      into.networkPolicies.push(policy);
    } else if (kind === 'Ingress') {
      const className = str(getIn(object, ['spec', 'ingressClassName'])) ?? str(getIn(object, ['metadata', 'annotations', 'kubernetes.io/ingress.class']));
      into.routes.push({ kind: 'Ingress', name, file, classes: className ? [className] : [] });
    } else if (kind === 'HTTPRoute' || kind === 'GRPCRoute') {
      const parents = getIn(object, ['spec', 'parentRefs']);
      const classes = Array.isArray(parents)
        ? parents.map((p) => (isObject(p) ? str(p.name) : undefined)).filter((n): n is string => n !== undefined)
        : [];
      into.routes.push({ kind: 'HTTPRoute', name, file, classes } satisfies RouteObservation);
    } else if (kind === 'Gateway') {
      // A Gateway the project declares itself: its class is what its routes reach.
      const gatewayClass = str(getIn(object, ['spec', 'gatewayClassName']));
      if (gatewayClass) for (const r of into.routes) if (r.kind === 'HTTPRoute' && r.classes.includes(name)) r.classes.push(gatewayClass);
      into.routes.push({ kind: 'HTTPRoute', name: `gateway:${name}`, file, classes: gatewayClass ? [gatewayClass] : [] });
    } else if (backupKinds.has(kind) && backupGroups.test(`${apiVersion}/`)) {
      const destinations = stringsUnder(object.spec).filter((v) => /^(s3|https?|gs|azure):\/\//i.test(v));
      into.backups.push({
        kind,
        name,
        file,
        destinations: bounded([...new Set(destinations)]),
      } satisfies BackupObservation);
    } else if (kind === 'Cluster' && apiVersion.startsWith('postgresql.cnpg.io/') && isObject(getIn(object, ['spec', 'backup']))) {
      const destinations = stringsUnder(getIn(object, ['spec', 'backup'])).filter((v) => /^(s3|https?|gs|azure):\/\//i.test(v));
      into.backups.push({ kind, name, file, destinations: bounded([...new Set(destinations)]) });
    } else if (logForwarderKinds.has(kind)) {
      into.logCollectors.push(`${kind}/${name}`);
    } else if (kind === 'ConfigMap') {
      const data = getIn(object, ['data']);
      if (isObject(data)) for (const [key, value] of Object.entries(data)) if (typeof value === 'string' && issuerName.test(key) && /^https:\/\//.test(value)) into.oidcIssuers.push(value.trim());
    }
  }
  into.workloads = bounded(into.workloads);
  into.networkPolicies = bounded(into.networkPolicies);
  into.routes = bounded(into.routes);
  into.backups = bounded(into.backups);
  into.logCollectors = bounded(into.logCollectors);
  into.oidcIssuers = bounded([...new Set(into.oidcIssuers)]);
}

function observeWorkload(
  kind: string,
  name: string,
  file: string,
  spec: Json,
  metadata: Json,
): { workload: WorkloadObservation; issuers: string[] } {
  const containers = containersOf({ specPath: [], spec, metadataPath: [], metadata, longRunning: true });
  const main = containers.filter((c) => c.group === 'containers');
  const grace = spec.terminationGracePeriodSeconds;
  const variables: string[] = [];
  const literals: string[] = [];
  const issuers: string[] = [];
  for (const c of main) {
    const env = c.container.env;
    if (!Array.isArray(env)) continue;
    for (const e of env) {
      if (!isObject(e) || typeof e.name !== 'string') continue;
      const value = str(e.value);
      if (value !== undefined && issuerName.test(e.name) && /^https:\/\//.test(value)) issuers.push(value.trim());
      if (value !== undefined && connectionUrl.test(value)) {
        if (issuerName.test(e.name)) continue;
        literals.push(`${e.name}=${value.replace(/\/\/[^@/]*@/, '//…@')}`);
      } else if (connectionName.test(e.name)) variables.push(e.name);
    }
    if (Array.isArray(c.container.envFrom) && c.container.envFrom.length > 0) variables.push('envFrom');
  }
  const annotations = labelsOf(metadata.annotations);
  const observation: WorkloadObservation = {
    kind,
    name,
    file,
    images: [...new Set(containers.map((c) => str(c.container.image)).filter((i): i is string => i !== undefined))],
    readinessProbe: main.some((c) => isObject(c.container.readinessProbe)),
    startupProbe: main.some((c) => isObject(c.container.startupProbe)),
    livenessProbe: main.some((c) => isObject(c.container.livenessProbe)),
    preStop: main.some((c) => isObject(getIn(c.container, ['lifecycle', 'preStop']))),
    connectionVariables: [...new Set(variables)],
    literalConnectionUrls: literals.slice(0, 20),
    logCollector:
      containers.some(
        (c) =>
          c.group !== 'ephemeralContainers' &&
          c !== main[0] &&
          logShipper.test(`${c.name} ${str(c.container.image) ?? ''}`),
      ) || Object.keys(annotations).some((k) => logAnnotation.test(k)),
  };
  if (typeof grace === 'number' && Number.isFinite(grace)) observation.terminationGracePeriodSeconds = grace;
  const budget = startBudget(main.map((c) => c.container));
  if (budget !== undefined) observation.startBudgetSeconds = budget;
  return { workload: observation, issuers };
}

const num = (value: unknown, fallback: number): number => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback);

/**
 * How long Kubernetes waits, at most, for a container to start before it gives up (Kubernetes defaults apply):
 * a startup probe allows initialDelay + failureThreshold × period; without one, the readiness probe's first
 * success is expected after initialDelay + period. The slowest container of the pod decides.
 */
function startBudget(containers: readonly Json[]): number | undefined {
  let budget: number | undefined;
  for (const c of containers) {
    let mine: number | undefined;
    if (isObject(c.startupProbe))
      mine =
        num(c.startupProbe.initialDelaySeconds, 0) +
        num(c.startupProbe.failureThreshold, 3) * num(c.startupProbe.periodSeconds, 10);
    else if (isObject(c.readinessProbe))
      mine = num(c.readinessProbe.initialDelaySeconds, 0) + num(c.readinessProbe.periodSeconds, 10);
    if (mine !== undefined) budget = Math.max(budget ?? 0, mine);
  }
  return budget;
}
