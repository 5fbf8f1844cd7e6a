// The desired state the GitOps renderer reads: plain data, no I/O, no database types.
// The reconciler builds it from the database; tests and the benchmark build it by hand.
import type { SensitivityLevel } from '../../domain/permissions.ts';

export interface Zone {
  slug: string;
  /** Highest data sensitivity the zone accepts. */
  maxSensitivity: SensitivityLevel;
}

export interface Cluster {
  slug: string;
  /** Slug of the zone the cluster belongs to. */
  zone: string;
  kind: 'internal' | 'external' | 'dedicated';
  /** Namespace where the ingress controller runs; NetworkPolicies let it in. Default `ingress-nginx`. */
  ingressControllerNamespace?: string;
}

export interface Platform {
  zones: Zone[];
  clusters: Cluster[];
  /** Namespace where ArgoCD and its Applications/AppProjects live. Default `argocd`. */
  argocdNamespace?: string;
  /** URL ArgoCD uses to pull the GitOps repository itself (for the root "app of apps"). */
  gitopsRepositoryUrl: string;
  /** Name of the external-secrets ClusterSecretStore backed by the platform secret store. Default `dso-secrets`. */
  secretStoreName?: string;
  /** Prefix the Kubernetes API server adds to OIDC group claims (e.g. `oidc:`). Default none. */
  oidcGroupPrefix?: string;
}

/** A project role as Kubernetes sees it: an OIDC group with read-only or read-write access. */
export interface ProjectRoleBinding {
  /** Project role name, e.g. `developer`. */
  role: string;
  /** OIDC group whose members hold that role. */
  oidcGroup: string;
  /** Whether the role may change things in the namespace (ClusterRole `edit`) or only read (`view`). */
  write: boolean;
}

/** Who is on the other side of a declared flow. Exactly one of the two. */
export type FlowPeer =
  | { kind: 'namespace'; /** Labels of the peer namespaces, e.g. {'kubernetes.io/metadata.name': 'monitoring'}. */ namespaceLabels: Record<string, string> }
  | { kind: 'cidr'; cidr: string; except?: string[] };

export interface FlowPort {
  protocol: 'TCP' | 'UDP' | 'SCTP';
  port: number;
}

/** An extra network flow a project declares (EX43), rendered as one NetworkPolicy. */
export interface NetworkFlow {
  /** Slug, unique in the project; becomes part of the NetworkPolicy name. */
  name: string;
  direction: 'ingress' | 'egress';
  peer: FlowPeer;
  ports: FlowPort[];
}

/** A reference to a secret in the platform store: names and keys only, never the values. */
export interface SecretReference {
  /** Name of the Kubernetes Secret the ExternalSecret creates. */
  name: string;
  keys: string[];
  /** Environment names the secret is for; absent = every environment of the project. */
  environments?: string[];
}

export interface Project {
  id: string;
  slug: string;
  dataSensitivity: SensitivityLevel;
  roles: ProjectRoleBinding[];
  flows: NetworkFlow[];
  secrets: SecretReference[];
  environments: Environment[];
}

export interface Stage {
  slug: string;
  production: boolean;
}

export interface Quotas {
  cpuMillicores: number;
  memoryMiB: number;
  gpu: number;
}

export interface Deployment {
  /** The certified commit to run (40 or 64 hex digits); null when nothing has been deployed yet. */
  revision: string | null;
  /** Internal mirror URL of the project's infrastructure repository. */
  repositoryUrl: string;
  /** Folder of the manifests inside the infrastructure repository. */
  path: string;
}

export interface Environment {
  name: string;
  stage: Stage;
  /** Slug of the cluster the environment runs on. */
  cluster: string;
  quotas: Quotas;
  deployment: Deployment;
  /** Components from the platform's catalogue the team runs here (issue 17); absent = none. */
  services?: EnvironmentService[];
}

/**
 * A catalogue component instantiated in an environment. A chart becomes an ArgoCD Application whose Helm source is
 * the platform's chart repository, pinned to the published version (its digest travels as an annotation); an
 * operator-managed service becomes its custom resources, written next to the environment's other manifests.
 */
export type EnvironmentService = ChartService | OperatorService;

interface ServiceBase {
  /** Slug, unique in the environment: Helm release name and part of the Application name. */
  name: string;
  /** Slug of the catalogue item (the chart's name in the platform's Helm repository). */
  item: string;
  /** Published catalogue version (exact semver, never a range). */
  version: string;
}

export interface ChartService extends ServiceBase {
  kind: 'chart';
  /** `sha256:…` of the packaged chart, as published; recorded on the Application. */
  digest: string;
  /** The platform's Helm repository (chartRepositoryUrl). */
  chartRepositoryUrl: string;
  /** Values given by the team, written inline in the Application. */
  values: Record<string, unknown>;
}

export interface OperatorService extends ServiceBase {
  kind: 'operator';
  /** The custom resources the host's operator reconciles (their namespace is forced to the environment's). */
  resources: {
    apiVersion: string;
    kind: string;
    metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
    [field: string]: unknown;
  }[];
}

export interface DesiredState {
  platform: Platform;
  projects: Project[];
}

/** A rendering or validation problem, with the text a user can act on in both languages. */
export interface RenderError {
  /** Stable code, e.g. `quota.negative`, `revision.branch-in-production`, `schema.invalid`. */
  code: string;
  /** `Kind/name` of the object concerned, when there is one. */
  object?: string;
  message: { fr: string; en: string };
}
