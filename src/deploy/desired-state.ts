// The GitOps desired state of one project, read from the database: zones and clusters (the platform), the
// project's environments with their quotas and current deployment, its roles as OIDC groups, its secrets (names
// and keys only). Plain data for the pure renderer in integrations/gitops.
import { and, asc, desc, eq, inArray, isNull, or } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { clusters, deployments, environments, networkFlows, projectRoles, projectSecrets, projects, repositories, stages, zones } from '../db/schema.ts';
import { defaultProjectRoles, type ProjectPermission, type SensitivityLevel } from '../domain/permissions.ts';
import type { Platform, Project, ProjectRoleBinding } from '../integrations/gitops/index.ts';

type ProjectRow = typeof projects.$inferSelect;
type EnvironmentRow = typeof environments.$inferSelect;

/** OIDC group whose members hold `role` in the project; the identity provider manages membership. */
export function oidcGroupOf(projectSlug: string, role: string): string {
  return `dso-${projectSlug}-${role}`;
}

/** Roles that may change things in a namespace: those that manage environments. */
function writes(permissions: readonly string[]): boolean {
  return permissions.includes('environments.manage' satisfies ProjectPermission);
}

export async function loadPlatform(db: Db, config: Config): Promise<Platform> {
  const zoneRows = await db.select().from(zones).orderBy(asc(zones.slug));
  const clusterRows = await db.select({ slug: clusters.slug, kind: clusters.kind, zoneId: clusters.zoneId }).from(clusters).orderBy(asc(clusters.slug));
  const zoneSlug = new Map(zoneRows.map((z) => [z.id, z.slug]));
  return {
    zones: zoneRows.map((z) => ({ slug: z.slug, maxSensitivity: z.maxSensitivity as SensitivityLevel })),
    clusters: clusterRows.map((c) => ({ slug: c.slug, zone: zoneSlug.get(c.zoneId) ?? '', kind: c.kind })),
    gitopsRepositoryUrl: config.gitops.pullUrl,
  };
}

/** Internal mirror URL of a project repository, as ArgoCD pulls it. */
export function mirrorUrl(config: Config, projectSlug: string, repositoryName: string): string {
  return `${config.publicUrl}/git/${projectSlug}/${repositoryName}.git`;
}

/** The infrastructure repository deployments come from: the first one by name (a project usually has one). */
export async function infrastructureRepository(db: Db, projectId: string) {
  const [row] = await db
    .select()
    .from(repositories)
    .where(and(eq(repositories.projectId, projectId), eq(repositories.kind, 'infrastructure')))
    .orderBy(asc(repositories.name))
    .limit(1);
  return row;
}

/** The deployment an environment should run: its latest one that was not refused at render time. */
export async function currentDeployments(db: Db, environmentIds: string[]): Promise<Map<string, typeof deployments.$inferSelect>> {
  const current = new Map<string, typeof deployments.$inferSelect>();
  if (environmentIds.length === 0) return current;
  const rows = await db
    .select()
    .from(deployments)
    .where(and(inArray(deployments.environmentId, environmentIds), inArray(deployments.status, ['pending', 'committed'])))
    .orderBy(desc(deployments.createdAt), desc(deployments.id));
  for (const row of rows) if (!current.has(row.environmentId)) current.set(row.environmentId, row);
  return current;
}

export async function loadProjectModel(db: Db, config: Config, project: ProjectRow, environmentRows: EnvironmentRow[]): Promise<Project> {
  const stageRows = await db.select().from(stages);
  const clusterRows = await db.select({ id: clusters.id, slug: clusters.slug }).from(clusters);
  const stageById = new Map(stageRows.map((s) => [s.id, s]));
  const clusterSlug = new Map(clusterRows.map((c) => [c.id, c.slug]));
  const custom = await db.select().from(projectRoles).where(or(eq(projectRoles.projectId, project.id), isNull(projectRoles.projectId)));
  const roles = new Map<string, readonly string[]>(defaultProjectRoles.map((r) => [r.name, r.permissions]));
  for (const r of custom) if (r.projectId === project.id) roles.set(r.name, r.permissions);
  const roleBindings: ProjectRoleBinding[] = [...roles]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([role, permissions]) => ({ role, oidcGroup: oidcGroupOf(project.slug, role), write: writes(permissions) }));
  const secrets = await db.select().from(projectSecrets).where(eq(projectSecrets.projectId, project.id)).orderBy(asc(projectSecrets.name));
  const infra = await infrastructureRepository(db, project.id);
  const current = await currentDeployments(db, environmentRows.map((e) => e.id));
  const infraById = new Map<string, string>();
  for (const d of current.values()) {
    if (infraById.has(d.repositoryId)) continue;
    const [repo] = await db.select({ name: repositories.name }).from(repositories).where(eq(repositories.id, d.repositoryId)).limit(1);
    if (repo) infraById.set(d.repositoryId, repo.name);
  }
  return {
    id: project.id,
    slug: project.slug,
    dataSensitivity: project.dataSensitivity as SensitivityLevel,
    roles: roleBindings,
    flows: (await db.select().from(networkFlows).where(eq(networkFlows.projectId, project.id)).orderBy(asc(networkFlows.name))).map((f) => ({ name: f.name, direction: f.direction, peer: f.peerCidr ? { kind: 'cidr' as const, cidr: f.peerCidr, ...(f.peerExcept?.length ? { except: f.peerExcept } : {}) } : { kind: 'namespace' as const, namespaceLabels: f.peerNamespaceLabels ?? {} }, ports: f.ports })),
    secrets: secrets.map((s) => ({ name: s.name, keys: [...s.keys].sort(), ...(s.environments ? { environments: [...s.environments].sort() } : {}) })),
    environments: environmentRows.map((e) => {
      const stage = stageById.get(e.stageId);
      const deployment = current.get(e.id);
      const repoName = deployment ? infraById.get(deployment.repositoryId) : infra?.name;
      return {
        name: e.name,
        stage: { slug: stage?.slug ?? 'unknown', production: stage?.production ?? true },
        cluster: clusterSlug.get(e.clusterId) ?? '',
        quotas: { cpuMillicores: e.cpuMillicores, memoryMiB: e.memoryMiB, gpu: e.gpu },
        deployment: {
          revision: deployment?.revision ?? null,
          repositoryUrl: mirrorUrl(config, project.slug, repoName ?? 'infrastructure'),
          path: (infra?.deployPath ?? '.').replace(/^\/+/, '') || '.',
        },
      };
    }),
  };
}
