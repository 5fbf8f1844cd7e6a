// Who may do what in an environment's namespace: each project role's OIDC group gets the built-in ClusterRole
// `edit` (read-write) or `view` (read-only). In production nobody gets write access by hand (EX14): changes go
// through GitOps only.
import type { Environment, Platform, Project, Zone } from './model.ts';
import type { KubeObject } from './kube-object.ts';
import { environmentLabels } from './namespace-guardrails.ts';
import { namespaceOf } from './layout.ts';

export function roleBindingManifests(
  platform: Platform,
  project: Project,
  environment: Environment,
  zone: Zone,
): KubeObject[] {
  const namespace = namespaceOf(project.slug, environment.name);
  const labels = environmentLabels(project, environment, zone);
  return [...project.roles]
    .sort((a, b) => a.role.localeCompare(b.role))
    .map((role) => {
      const clusterRole = role.write && !environment.stage.production ? 'edit' : 'view';
      return {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: `dso-role-${role.role}`, namespace, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole },
        subjects: [
          {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'Group',
            name: `${platform.oidcGroupPrefix ?? ''}${role.oidcGroup}`,
          },
        ],
      };
    });
}
