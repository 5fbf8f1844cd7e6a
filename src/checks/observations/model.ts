// What the checkers saw in a tree, as positive evidence (not findings): the languages of its files, the
// Dockerfiles, the workloads and other objects its Kubernetes manifests render, the advisory database the
// dependencies were matched against, the end-to-end test reports. Findings say what is wrong; observations say
// what was there to look at, so that conformity never claims "satisfied" for something nobody could check.
// Every list is bounded (`observationListLimit`) so a hostile tree cannot bloat a stored report.

export const observationListLimit = 200;

export interface WorkloadObservation {
  kind: string;
  name: string;
  file: string;
  images: string[];
  readinessProbe: boolean;
  startupProbe: boolean;
  livenessProbe: boolean;
  /** A preStop hook on at least one container. */
  preStop: boolean;
  terminationGracePeriodSeconds?: number;
  /** Longest time the probes allow for start-up (startup probe budget, else the readiness probe's first check). */
  startBudgetSeconds?: number;
  /** Names of environment variables that carry a connection URL (scheme://…) or point to one (valueFrom). */
  connectionVariables: string[];
  /** Connection URLs written in clear in the manifest (not read from the environment's secrets/config). */
  literalConnectionUrls: string[];
  /** A log-shipping sidecar or annotation (fluent-bit, fluentd, vector, promtail…). */
  logCollector: boolean;
}

export interface NetworkPolicyObservation {
  name: string;
  file: string;
  policyTypes: string[];
  /** The labels the policy selects pods by (empty: every pod of the namespace). */
  podSelector: Record<string, string>;
  /** The flow class it declares through the `dso.gouv.fr/flow` label or annotation (user, service, admin). */
  flow?: string;
}

export interface RouteObservation {
  kind: 'Ingress' | 'HTTPRoute';
  name: string;
  file: string;
  /** ingressClassName (Ingress) or the gateway class / parent gateway names (HTTPRoute). */
  classes: string[];
}

export interface BackupObservation {
  kind: string;
  name: string;
  file: string;
  /** Object storage endpoint or bucket URL it writes to, when the manifest says. */
  destinations: string[];
}

export interface ManifestObservations {
  /** Kubernetes objects read (plain manifests and rendered charts). */
  objects: number;
  workloads: WorkloadObservation[];
  networkPolicies: NetworkPolicyObservation[];
  routes: RouteObservation[];
  backups: BackupObservation[];
  /** Log collectors deployed by the manifests themselves (DaemonSet, ClusterLogForwarder, Flow/Output…). */
  logCollectors: string[];
  /** OIDC issuer URLs the application is configured with (environment variables, ConfigMaps). */
  oidcIssuers: string[];
}

export interface AdvisoryObservation {
  /** Components read from lockfiles and manifests. */
  components: number;
  /** The advisory database they were matched against; undefined when none could be opened. */
  database?: { origin: 'imported' | 'default'; updatedAt: string };
}

export interface EndToEndObservation {
  reports: string[];
  tests: number;
  failures: number;
  errors: number;
}

export interface RunObservations {
  /** Files per language, detected from names and extensions. */
  languages?: Record<string, number>;
  dockerfiles?: string[];
  manifests?: ManifestObservations;
  dependencies?: AdvisoryObservation;
  endToEnd?: EndToEndObservation;
}

/** Merge what several checkers observed (each fills its own keys). */
export function mergeObservations(all: readonly (RunObservations | undefined)[]): RunObservations | undefined {
  const merged: RunObservations = {};
  let any = false;
  for (const o of all) {
    if (!o) continue;
    any = true;
    Object.assign(merged, o);
  }
  return any ? merged : undefined;
}

export const bounded = <T>(list: T[]): T[] =>
  list.length > observationListLimit ? list.slice(0, observationListLimit) : list;
