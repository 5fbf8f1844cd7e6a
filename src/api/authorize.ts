// Who may do what, decided in one place. Project permissions are named (domain/permissions.ts); an actor gets them
// from its membership role, its service-account scope, or its admin role. A project the actor cannot read does not
// exist for it (404, never 403): existence is not leaked. Mutations additionally need the usage policy accepted
// (people only) and a project that is neither locked nor archived.
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../domain/actor.ts';
import { adminAccess, defaultProjectRoles, projectPermissions, readPermissions, type AdminAccess, type ProjectPermission } from '../domain/permissions.ts';
import { rolePermissions } from '../db/role-permissions.ts';
import { projectChangeRefusal, type ProjectState } from '../domain/project-rules.ts';
import { usagePolicyAcceptanceRequired } from '../domain/usage-policy.ts';
import type { Db } from '../db/client.ts';
import { members, projectRoles, projects, usagePolicies, usagePolicyAcceptances } from '../db/schema.ts';
import { requireAuthenticated, type AuthenticatedActor } from './auth/resolve-actor.ts';
import { preparedQueries } from './prepared-queries.ts';
import { bilingual, Problem } from '../errors.ts';
import type { Services } from '../system/services.ts';

export type ProjectRow = typeof projects.$inferSelect;

export interface ProjectAccess {
  project: ProjectRow;
  permissions: ReadonlySet<ProjectPermission>;
  /** Role held in the project (member or service account), if any. */
  role: string | undefined;
  admin: AdminAccess;
}

const noAccess = (what = 'project') => new Problem('notFound', bilingual(`${what === 'project' ? 'Projet' : what} introuvable, ou vous n’y avez pas accès.`, `No such ${what}, or you cannot see it.`));

/** Loads the project and the actor's permissions on it; 404 when the actor may not even read it. */
export async function projectAccess(db: Db, actor: AuthenticatedActor, projectId: string, what = 'project'): Promise<ProjectAccess> {
  const admin = adminAccess(actor);
  let role: string | undefined;
  let project: ProjectRow | undefined;
  const queries = preparedQueries(db);
  if (actor.kind === 'user') {
    const rows = await queries.projectWithMembership.execute({ id: projectId, userId: actor.userId });
    project = rows[0]?.project;
    role = rows[0]?.role ?? undefined;
  } else {
    [project] = await queries.projectById.execute({ id: projectId });
    if (actor.kind === 'service-account' && actor.projectId === projectId) role = actor.role;
  }
  if (!project) throw noAccess(what);
  const granted = new Set<ProjectPermission>();
  if (role) for (const p of (await rolePermissions(db, projectId, role)) ?? []) granted.add(p);
  if (admin === 'write') for (const p of projectPermissions) granted.add(p);
  if (admin === 'read') for (const p of readPermissions) granted.add(p);
  if (!granted.has('project.read')) throw noAccess(what);
  return { project, permissions: granted, role, admin };
}

export function requirePermission(access: ProjectAccess, permission: ProjectPermission): void {
  if (!access.permissions.has(permission)) {
    throw new Problem('forbidden', bilingual(`Votre rôle dans ce projet n’inclut pas la permission « ${permission} ».`, `Your role in this project does not include the permission "${permission}".`));
  }
}

/** 403 usagePolicyRequired when a person has not accepted the current usage policy. */
export async function requireUsagePolicyAccepted(db: Db, actor: Actor): Promise<void> {
  if (actor.kind !== 'user') return;
  const [current] = await db
    .select({ version: usagePolicies.version, acceptedBy: usagePolicyAcceptances.userId })
    .from(usagePolicies)
    .leftJoin(
      usagePolicyAcceptances,
      and(eq(usagePolicyAcceptances.policyId, usagePolicies.id), eq(usagePolicyAcceptances.userId, actor.userId)),
    )
    .orderBy(desc(usagePolicies.version))
    .limit(1);
  const status = {
    currentVersion: current?.version,
    acceptedVersion: current?.acceptedBy ? current.version : undefined,
  };
  if (usagePolicyAcceptanceRequired(actor, status)) {
    throw new Problem('usagePolicyRequired', bilingual(`Acceptez d’abord la version ${status.currentVersion} des conditions d’utilisation (POST /api/v1/me/usage-policy).`, `Accept version ${status.currentVersion} of the usage policy first (POST /api/v1/me/usage-policy).`), undefined, {
      usagePolicyVersion: status.currentVersion,
    });
  }
}

/** Read access to a project: 401 anonymous, 404 when not visible, 403 without the permission. */
export async function authorizeProjectRead(
  services: Services,
  request: FastifyRequest,
  projectId: string,
  permission: ProjectPermission,
  what?: string,
): Promise<ProjectAccess> {
  const actor = requireAuthenticated(request);
  const access = await projectAccess(services.db, actor, projectId, what);
  requirePermission(access, permission);
  return access;
}

/** A change to a project or to something inside it: read checks, then permission, policy, lock and archive. */
export async function authorizeProjectChange(
  services: Services,
  request: FastifyRequest,
  projectId: string,
  permission: ProjectPermission,
  options: { unlockOrRestore?: boolean; what?: string } = {},
): Promise<ProjectAccess> {
  const access = await authorizeProjectRead(services, request, projectId, permission, options.what);
  await requireUsagePolicyAccepted(services.db, request.actor);
  refuseLockedOrArchived(access.project, { unlockOrRestore: options.unlockOrRestore ?? false });
  return access;
}

/** 403 projectLocked or projectArchived when the project refuses changes (the domain rule, as a problem). */
export function refuseLockedOrArchived(project: ProjectState, change: { unlockOrRestore?: boolean } = {}): void {
  const refusal = projectChangeRefusal(project, change);
  if (refusal === 'archived') throw new Problem('projectArchived', bilingual('Le projet est archivé : il est en lecture seule.', 'The project is archived; it is read-only.'));
  if (refusal === 'locked') throw new Problem('projectLocked', bilingual('Le projet est verrouillé par l’équipe de la plateforme : les modifications sont refusées.', 'The project is locked by the platform team; changes are refused.'));
}

/** Platform administration: 401 anonymous, 403 without the admin role; writes also need the usage policy. */
export async function authorizeAdmin(services: Services, request: FastifyRequest, level: 'read' | 'write'): Promise<AuthenticatedActor> {
  const actor = requireAuthenticated(request);
  const access = adminAccess(actor);
  if (access === undefined || (level === 'write' && access !== 'write')) {
    throw new Problem('forbidden', level === 'write' ? bilingual('Cette action est réservée aux administrateurs de la plateforme.', 'This action is reserved to platform administrators.') : bilingual('Cette page est réservée aux administrateurs de la plateforme.', 'This page is reserved to platform administrators.'));
  }
  if (level === 'write') await requireUsagePolicyAccepted(services.db, actor);
  return actor;
}

/** A person (not automation, not the bootstrap token): /me/tokens and accepting the usage policy. */
export function requirePerson(request: FastifyRequest): Extract<Actor, { kind: 'user' }> {
  const actor = requireAuthenticated(request);
  if (actor.kind !== 'user') throw new Problem('forbidden', bilingual('Seule une personne peut faire cela, pas un jeton d’automatisation.', 'Only a person can do this; automation tokens cannot.'));
  return actor;
}

/** Granting a role must not give more than the granter holds (no escalation through members or service accounts). */
export function requireCanGrant(access: ProjectAccess, granted: readonly ProjectPermission[]): void {
  const missing = granted.filter((p) => !access.permissions.has(p));
  if (missing.length > 0) throw new Problem('forbidden', bilingual(`Vous ne pouvez pas accorder des permissions que vous n’avez pas : ${missing.join(', ')}.`, `You cannot grant permissions you do not hold: ${missing.join(', ')}.`));
}

/**
 * Condition on a project id column restricting a list to the projects where the actor holds `permission`
 * (undefined: no restriction, for administrators). Used by lists without `?projectId=`.
 */
export function visibleProjectsCondition(
  actor: AuthenticatedActor,
  column: AnyPgColumn,
  permission: ProjectPermission,
): SQL | undefined {
  if (adminAccess(actor) !== undefined || actor.kind === 'bootstrap-admin') return undefined;
  const builtinWith = defaultProjectRoles.filter((r) => r.permissions.includes(permission)).map((r) => r.name);
  if (actor.kind === 'service-account') {
    const builtin = defaultProjectRoles.find((r) => r.name === actor.role);
    if (builtin && !builtin.permissions.includes(permission)) return sql`false`;
    return eq(column, actor.projectId);
  }
  const builtinMatch =
    builtinWith.length > 0
      ? sql`${members.role} in (${sql.join(
          builtinWith.map((n) => sql`${n}`),
          sql`, `,
        )})`
      : sql`false`;
  return sql`${column} in (select ${members.projectId} from ${members} where ${members.userId} = ${actor.userId} and (${builtinMatch} or exists (select 1 from ${projectRoles} where ${projectRoles.projectId} = ${members.projectId} and ${projectRoles.name} = ${members.role} and ${permission} = any(${projectRoles.permissions}))))`;
}
