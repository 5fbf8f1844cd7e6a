// Secrets reach a namespace through the external-secrets operator: the repository holds only which secret and
// which keys to fetch from the platform store, never a value.
import type { Environment, Platform, Project, Zone } from './model.ts';
import type { KubeObject } from './kube-object.ts';
import { environmentLabels } from './namespace-guardrails.ts';
import { namespaceOf } from './layout.ts';

export const defaultSecretStoreName = 'dso-secrets';

/** Where a secret lives in the platform store: one entry per project, environment and secret name. */
export function secretStoreKey(project: string, environment: string, secret: string): string {
  return `${project}/${environment}/${secret}`;
}

export function externalSecretManifests(
  platform: Platform,
  project: Project,
  environment: Environment,
  zone: Zone,
): KubeObject[] {
  const namespace = namespaceOf(project.slug, environment.name);
  return project.secrets
    .filter((s) => !s.environments || s.environments.includes(environment.name))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((secret) => ({
      apiVersion: 'external-secrets.io/v1beta1',
      kind: 'ExternalSecret',
      metadata: { name: secret.name, namespace, labels: environmentLabels(project, environment, zone) },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: platform.secretStoreName ?? defaultSecretStoreName },
        target: { name: secret.name, creationPolicy: 'Owner' },
        data: [...secret.keys].sort().map((key) => ({
          secretKey: key,
          remoteRef: { key: secretStoreKey(project.slug, environment.name, secret.name), property: key },
        })),
      },
    }));
}
