// The GitOps desired state of a project, read from the database: zones and clusters (the platform), the
// project's environments with their quotas and current deployment, its roles as OIDC groups, its secrets (names
// and keys only). Plain data for the pure renderer in integrations/gitops. One project for its reconcile, or many
// in a fixed number of queries for a full render (`loadProjectModels`, `desiredProjectsInChunks`).
import { and, asc, desc, eq, gt, inArray, isNull } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { catalogueItems, catalogueVersions, clusters, deployments, environments, environmentServices, networkFlows, projectRoles, projectSecrets, projects, repositories, stages, zones } from '../db/schema.ts';
import { chartRepositoryUrl } from '../component-catalogue/index.ts';
import { parseAllDocuments } from 'yaml';
import { defaultProjectRoles, type ProjectPermission, type SensitivityLevel } from '../domain/permissions.ts';
import type { EnvironmentService, OperatorService, Platform, Project, ProjectRoleBinding } from '../integrations/gitops/index.ts';

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
  const clusterRows = await db
    .select({ slug: clusters.slug, kind: clusters.kind, zoneId: clusters.zoneId })
    .from(clusters)
    .orderBy(asc(clusters.slug));
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
export async function currentDeployments(
  db: Db,
  environmentIds: string[],
): Promise<Map<string, typeof deployments.$inferSelect>> {
  const current = new Map<string, typeof deployments.$inferSelect>();
  if (environmentIds.length === 0) return current;
  const rows = await db
    .select()
    .from(deployments)
    .where(
      and(inArray(deployments.environmentId, environmentIds), inArray(deployments.status, ['pending', 'committed'])),
    )
    .orderBy(desc(deployments.createdAt), desc(deployments.id));
  for (const row of rows) if (!current.has(row.environmentId)) current.set(row.environmentId, row);
  return current;
}

type DeploymentRow = typeof deployments.$inferSelect;
type SecretRow = typeof projectSecrets.$inferSelect;
type FlowRow = typeof networkFlows.$inferSelect;
type InfrastructureRow = typeof repositories.$inferSelect;

/** What the model of one project is built from, once read (alone or with many other projects). */
interface ProjectInputs {
  stageById: Map<string, typeof stages.$inferSelect>;
  clusterSlug: Map<string, string>;
  /** The project's own roles (they replace a default role of the same name). */
  customRoles: { name: string; permissions: string[] }[];
  secrets: SecretRow[];
  flows: FlowRow[];
  infra: InfrastructureRow | undefined;
  current: Map<string, DeploymentRow>;
  /** Repository id → name, for the repositories current deployments come from. */
  repositoryNames: Map<string, string>;
  /** Environment id → its catalogue services. */
  services: Map<string, EnvironmentService[]>;
}

/** Stored rows → the renderer's project (the one place that does it, for the single and the batched reads). */
function assembleProjectModel(
  config: Config,
  project: ProjectRow,
  environmentRows: EnvironmentRow[],
  inputs: ProjectInputs,
): Project {
  const { stageById, clusterSlug, infra, current } = inputs;
  const roles = new Map<string, readonly string[]>(defaultProjectRoles.map((r) => [r.name, r.permissions]));
  for (const r of inputs.customRoles) roles.set(r.name, r.permissions);
  const roleBindings: ProjectRoleBinding[] = [...roles]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([role, permissions]) => ({ role, oidcGroup: oidcGroupOf(project.slug, role), write: writes(permissions) }));
  return {
    id: project.id,
    slug: project.slug,
    dataSensitivity: project.dataSensitivity as SensitivityLevel,
    roles: roleBindings,
    flows: inputs.flows.map((f) => ({
      name: f.name,
      direction: f.direction,
      peer: f.peerCidr
        ? { kind: 'cidr' as const, cidr: f.peerCidr, ...(f.peerExcept?.length ? { except: f.peerExcept } : {}) }
        : { kind: 'namespace' as const, namespaceLabels: f.peerNamespaceLabels ?? {} },
      ports: f.ports,
    })),
    secrets: inputs.secrets.map((s) => ({
      name: s.name,
      keys: [...s.keys].sort(),
      ...(s.environments ? { environments: [...s.environments].sort() } : {}),
    })),
    environments: environmentRows.map((e) => {
      const stage = stageById.get(e.stageId);
      const deployment = current.get(e.id);
      const repoName = deployment ? inputs.repositoryNames.get(deployment.repositoryId) : infra?.name;
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
        ...(inputs.services.has(e.id) ? { services: inputs.services.get(e.id)! } : {}),
      };
    }),
  };
}

async function platformLookups(db: Db) {
  const stageRows = await db.select().from(stages);
  const clusterRows = await db.select({ id: clusters.id, slug: clusters.slug }).from(clusters);
  return {
    stageById: new Map(stageRows.map((s) => [s.id, s])),
    clusterSlug: new Map(clusterRows.map((c) => [c.id, c.slug])),
  };
}

async function repositoryNamesOf(db: Db, current: Map<string, DeploymentRow>): Promise<Map<string, string>> {
  const ids = [...new Set([...current.values()].map((d) => d.repositoryId))];
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: repositories.id, name: repositories.name })
    .from(repositories)
    .where(inArray(repositories.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The custom resources an operator-managed service was rendered to (its checked manifests). */
export function operatorResources(manifests: string): OperatorService['resources'] {
  return parseAllDocuments(manifests)
    .map((d) => d.toJS({ maxAliasCount: 100 }) as unknown)
    .filter((o): o is OperatorService['resources'][number] => typeof o === 'object' && o !== null && typeof (o as { kind?: unknown }).kind === 'string');
}

/** The catalogue services of the given environments (removed ones excluded), in one query. */
export async function environmentServicesOf(
  db: Db,
  config: Config,
  environmentIds: string[],
): Promise<Map<string, EnvironmentService[]>> {
  const byEnvironment = new Map<string, EnvironmentService[]>();
  if (environmentIds.length === 0) return byEnvironment;
  const rows = await db
    .select({
      environmentId: environmentServices.environmentId,
      name: environmentServices.name,
      values: environmentServices.values,
      manifests: environmentServices.manifests,
      item: catalogueItems.slug,
      kind: catalogueItems.kind,
      version: catalogueVersions.version,
      digest: catalogueVersions.digest,
    })
    .from(environmentServices)
    .innerJoin(catalogueVersions, eq(catalogueVersions.id, environmentServices.versionId))
    .innerJoin(catalogueItems, eq(catalogueItems.id, environmentServices.itemId))
    .where(and(inArray(environmentServices.environmentId, environmentIds), isNull(environmentServices.removedAt)))
    .orderBy(asc(environmentServices.name));
  const repositoryUrl = chartRepositoryUrl({ config });
  for (const row of rows) {
    const service: EnvironmentService =
      row.kind === 'operator'
        ? {
            kind: 'operator',
            name: row.name,
            item: row.item,
            version: row.version,
            resources: operatorResources(row.manifests),
          }
        : {
            kind: 'chart',
            name: row.name,
            item: row.item,
            version: row.version,
            digest: row.digest,
            chartRepositoryUrl: repositoryUrl,
            values: row.values,
          };
    byEnvironment.set(row.environmentId, [...(byEnvironment.get(row.environmentId) ?? []), service]);
  }
  return byEnvironment;
}

/** The desired state of one project (its reconcile): the batched read with one project, so both cannot disagree. */
export async function loadProjectModel(
  db: Db,
  config: Config,
  project: ProjectRow,
  environmentRows: EnvironmentRow[],
): Promise<Project> {
  return (await loadProjectModels(db, config, [project], new Map([[project.id, environmentRows]])))[0]!;
}

function groupByProject<T extends { projectId: string | null }>(rows: T[]): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const row of rows) {
    if (row.projectId === null) continue;
    const list = grouped.get(row.projectId);
    if (list) list.push(row);
    else grouped.set(row.projectId, [row]);
  }
  return grouped;
}

/**
 * The desired state of many projects in a fixed number of queries (nine, whatever the number of projects): what a
 * full render uses, a chunk at a time. Same model as `loadProjectModel` for each project, in the order given.
 */
export async function loadProjectModels(
  db: Db,
  config: Config,
  projectRows: readonly ProjectRow[],
  environmentsByProject: ReadonlyMap<string, EnvironmentRow[]>,
): Promise<Project[]> {
  if (projectRows.length === 0) return [];
  const ids = projectRows.map((p) => p.id);
  const { stageById, clusterSlug } = await platformLookups(db);
  const [roleRows, secretRows, infraRows, flowRows] = await Promise.all([
    db
      .select({ projectId: projectRoles.projectId, name: projectRoles.name, permissions: projectRoles.permissions })
      .from(projectRoles)
      .where(inArray(projectRoles.projectId, ids)),
    db.select().from(projectSecrets).where(inArray(projectSecrets.projectId, ids)).orderBy(asc(projectSecrets.name)),
    db
      .select()
      .from(repositories)
      .where(and(inArray(repositories.projectId, ids), eq(repositories.kind, 'infrastructure')))
      .orderBy(asc(repositories.name)),
    db.select().from(networkFlows).where(inArray(networkFlows.projectId, ids)).orderBy(asc(networkFlows.name)),
  ]);
  const environmentIds = projectRows.flatMap((p) => (environmentsByProject.get(p.id) ?? []).map((e) => e.id));
  const current = await currentDeployments(db, environmentIds);
  const repositoryNames = await repositoryNamesOf(db, current);
  const services = await environmentServicesOf(db, config, environmentIds);
  const [roles, secrets, infras, flows] = [
    groupByProject(roleRows),
    groupByProject(secretRows),
    groupByProject(infraRows),
    groupByProject(flowRows),
  ];
  return projectRows.map((project) =>
    assembleProjectModel(config, project, environmentsByProject.get(project.id) ?? [], {
      stageById,
      clusterSlug,
      customRoles: roles.get(project.id) ?? [],
      secrets: secrets.get(project.id) ?? [],
      flows: flows.get(project.id) ?? [],
      infra: infras.get(project.id)?.[0],
      current,
      repositoryNames,
      services,
    }),
  );
}

/**
 * Every project's desired state (archived projects are not rendered), `chunkSize` projects at a time so that
 * memory and query size stay bounded: the full render of the GitOps repository.
 */
export async function* desiredProjectsInChunks(db: Db, config: Config, chunkSize = 200): AsyncGenerator<Project[]> {
  let after: string | undefined;
  for (;;) {
    const chunk = await db
      .select()
      .from(projects)
      .where(and(eq(projects.archived, false), after !== undefined ? gt(projects.slug, after) : undefined))
      .orderBy(asc(projects.slug))
      .limit(chunkSize);
    if (chunk.length === 0) return;
    after = chunk.at(-1)!.slug;
    const environmentRows = await db
      .select()
      .from(environments)
      .where(inArray(environments.projectId, chunk.map((p) => p.id)))
      .orderBy(asc(environments.createdAt), asc(environments.id));
    const byProject = new Map<string, EnvironmentRow[]>();
    for (const e of environmentRows) byProject.set(e.projectId, [...(byProject.get(e.projectId) ?? []), e]);
    yield await loadProjectModels(db, config, chunk, byProject);
    if (chunk.length < chunkSize) return;
  }
}
