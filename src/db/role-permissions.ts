// The permissions a role name carries in one project: built-in roles come from the domain, roles a project defined
// itself from the database (unknown permission names stored there are dropped). Read by authorisation and by
// the chain's notifications, so it lives below both.
import { and, eq } from 'drizzle-orm';
import { defaultProjectRoles, projectPermissions, type ProjectPermission } from '../domain/permissions.ts';
import type { Db } from './client.ts';
import { projectRoles } from './schema.ts';

/** Permissions of a role name in a project: default roles from code, project-defined roles from the database. */
export async function rolePermissions(
  db: Db,
  projectId: string,
  role: string,
): Promise<ProjectPermission[] | undefined> {
  const builtin = defaultProjectRoles.find((r) => r.name === role);
  if (builtin) return [...builtin.permissions];
  const [custom] = await db
    .select({ permissions: projectRoles.permissions })
    .from(projectRoles)
    .where(and(eq(projectRoles.projectId, projectId), eq(projectRoles.name, role)))
    .limit(1);
  return custom
    ? (custom.permissions.filter((p) => (projectPermissions as readonly string[]).includes(p)) as ProjectPermission[])
    : undefined;
}
