// After a successful OIDC login: create or update the person (subject, email, name, groups) and recompute the
// admin roles granted by their groups (DSO_OIDC_ADMIN_GROUPS). Roles granted directly are kept.
import { eq, sql } from 'drizzle-orm';
import { users } from '../../db/schema.ts';
import { adminRoles, type AdminRole } from '../../domain/permissions.ts';
import type { LoginIdentity } from '../../integrations/identity/relying-party.ts';
import type { Services } from '../../system/services.ts';

export function adminRolesFromGroups(groups: string[], mapping: Record<string, string[]>): AdminRole[] {
  return adminRoles.filter((role) => (mapping[role] ?? []).some((g) => groups.includes(g)));
}

export async function upsertLoginUser(services: Services, identity: LoginIdentity, mapping: Record<string, string[]>) {
  const now = services.now();
  const groupAdminRoles = adminRolesFromGroups(identity.groups, mapping);
  const [user] = await services.db
    .insert(users)
    .values({
      kind: 'human',
      subject: identity.subject,
      email: identity.email ?? null,
      displayName: identity.name,
      groups: identity.groups,
      groupAdminRoles,
      lastLoginAt: now,
    })
    .onConflictDoUpdate({
      target: users.subject,
      set: {
        email: identity.email ?? null,
        displayName: identity.name,
        groups: identity.groups,
        groupAdminRoles,
        lastLoginAt: now,
        updatedAt: sql`now()`,
      },
    })
    .returning();
  if (!user) throw new Error('login upsert returned no row');
  return user;
}

export async function findUser(services: Services, id: string) {
  const [user] = await services.db.select().from(users).where(eq(users.id, id)).limit(1);
  return user;
}
