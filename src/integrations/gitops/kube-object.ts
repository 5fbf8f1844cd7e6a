// The shape every rendered manifest shares; the rest of each object is kind-specific.

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** `Kind/name` (with namespace when namespaced): how errors and commit messages name an object. */
export function objectRef(object: KubeObject): string {
  const ns = object.metadata?.namespace;
  return `${object.kind}/${ns ? `${ns}/` : ''}${object.metadata?.name}`;
}

/** Labels our platform puts on everything it renders, so people and tools can tell who owns it. */
export const managedByLabels = { 'app.kubernetes.io/managed-by': 'dso-pi' } as const;

/** Prefix of our own labels (a DNS subdomain, as Kubernetes requires for label prefixes). */
export const labelPrefix = 'dso.pi/';
