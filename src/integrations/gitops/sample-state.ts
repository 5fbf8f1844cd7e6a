// Desired states for the golden tests and the benchmark: a seeded project with dev, staging and prod, and a
// generator of many such projects.
import type { DesiredState, Platform, Project } from './model.ts';

export const samplePlatform: Platform = {
  zones: [
    { slug: 'z-public', maxSensitivity: 'internal' },
    { slug: 'z-sensitive', maxSensitivity: 'sensitive' },
  ],
  clusters: [
    { slug: 'c-dev', zone: 'z-sensitive', kind: 'internal' },
    { slug: 'c-prod', zone: 'z-sensitive', kind: 'internal', ingressControllerNamespace: 'ingress-system' },
    { slug: 'c-public', zone: 'z-public', kind: 'external' },
  ],
  gitopsRepositoryUrl: 'https://dso.example.gouv.fr/git/_platform/gitops.git',
  oidcGroupPrefix: 'oidc:',
};

/** A full commit id, derived from a number so generated projects are deterministic. */
export function sampleRevision(n: number): string {
  return n.toString(16).padStart(8, '0').repeat(5);
}

export function sampleProject(slug: string, n = 1): Project {
  const repositoryUrl = `https://dso.example.gouv.fr/git/${slug}/infra.git`;
  return {
    id: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
    slug,
    dataSensitivity: 'sensitive',
    roles: [
      { role: 'owner', oidcGroup: `/projects/${slug}/owner`, write: true },
      { role: 'developer', oidcGroup: `/projects/${slug}/developer`, write: true },
      { role: 'read-only', oidcGroup: `/projects/${slug}/read-only`, write: false },
    ],
    flows: [
      { name: 'to-database', direction: 'egress', peer: { kind: 'cidr', cidr: '10.20.0.0/16', except: ['10.20.99.0/24'] }, ports: [{ protocol: 'TCP', port: 5432 }] },
      { name: 'from-monitoring', direction: 'ingress', peer: { kind: 'namespace', namespaceLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, ports: [{ protocol: 'TCP', port: 9090 }] },
    ],
    secrets: [
      { name: 'database', keys: ['username', 'password'] },
      { name: 'smtp', keys: ['password'], environments: ['prod'] },
    ],
    environments: [
      {
        name: 'dev',
        stage: { slug: 'dev', production: false },
        cluster: 'c-dev',
        quotas: { cpuMillicores: 2000, memoryMiB: 4096, gpu: 0 },
        deployment: { revision: sampleRevision(n), repositoryUrl, path: 'deploy/dev' },
      },
      {
        name: 'staging',
        stage: { slug: 'staging', production: false },
        cluster: 'c-dev',
        quotas: { cpuMillicores: 2000, memoryMiB: 4096, gpu: 0 },
        deployment: { revision: null, repositoryUrl, path: 'deploy/staging' },
      },
      {
        name: 'prod',
        stage: { slug: 'prod', production: true },
        cluster: 'c-prod',
        quotas: { cpuMillicores: 4000, memoryMiB: 8192, gpu: 1 },
        deployment: { revision: sampleRevision(n), repositoryUrl, path: 'deploy/prod' },
      },
    ],
  };
}

export function sampleState(projectCount: number): DesiredState {
  const projects = Array.from({ length: projectCount }, (_, i) => sampleProject(`project-${String(i).padStart(5, '0')}`, i + 1));
  return { platform: samplePlatform, projects };
}

/** The platform's Helm repository in the samples. */
export const sampleChartRepositoryUrl = 'https://dso.example.gouv.fr/catalogue/charts';

/** Catalogue services for a sample project: a chart in dev and prod, an operator-managed database in staging. */
export function withSampleServices(project: Project): Project {
  const digest = `sha256:${'ab'.repeat(32)}`;
  const site = { kind: 'chart' as const, name: 'docs', item: 'static-site', version: '1.2.0', digest, chartRepositoryUrl: sampleChartRepositoryUrl, values: { replicaCount: 2, ingress: { host: `${project.slug}.example.gouv.fr` } } };
  const cache = { kind: 'chart' as const, name: 'cache', item: 'redis', version: '7.4.1', digest: `sha256:${'cd'.repeat(32)}`, chartRepositoryUrl: sampleChartRepositoryUrl, values: { persistence: { size: '1Gi' } } };
  const database = {
    kind: 'operator' as const,
    name: 'db',
    item: 'postgresql',
    version: '16.4.0',
    resources: [
      { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'db' }, spec: { instances: 2, storage: { size: '5Gi' }, backup: { barmanObjectStore: { destinationPath: `s3://backups/${project.slug}/db` } } } },
      { apiVersion: 'postgresql.cnpg.io/v1', kind: 'ScheduledBackup', metadata: { name: 'db-daily' }, spec: { schedule: '0 0 3 * * *', cluster: { name: 'db' } } },
    ],
  };
  const services: Record<string, Project['environments'][number]['services']> = { dev: [site, cache], staging: [database], prod: [site] };
  return {
    ...project,
    environments: project.environments.map((e) => (services[e.name] ? { ...e, services: services[e.name] } : e)),
  };
}
