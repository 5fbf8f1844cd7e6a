// /api/v1/admin/users: people and service accounts; platform administrators grant admin roles or disable accounts.
import { and, asc, eq, gt, ilike, or } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '../../db/schema.ts';
import { inAuditedTransaction } from '../../audit/record.ts';
import { authorizeAdmin } from '../authorize.ts';
import { likePattern } from '../conflict.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { bilingual, Problem } from '../../errors.ts';
import { idParams, iso, isoRequired } from '../schemas/common.ts';
import { user, userListQuery, userPage, userUpdate } from '../schemas/admin.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['admin'];
const present = (u: typeof users.$inferSelect): z.infer<typeof user> => ({
  id: u.id,
  kind: u.kind,
  email: u.email,
  displayName: u.displayName,
  adminRoles: u.adminRoles,
  groupAdminRoles: u.groupAdminRoles,
  disabled: u.disabled,
  lastLoginAt: iso(u.lastLoginAt),
  createdAt: isoRequired(u.createdAt),
});

export default async function adminUserRoutes(app: App, services: Services): Promise<void> {
  app.get('/admin/users', { schema: { tags, summary: 'Users (q searches e-mail and name)', querystring: userListQuery, response: { 200: userPage } } }, async (request) => {
    await authorizeAdmin(services, request, 'read');
    const { limit, cursor, q, kind } = request.query;
    const after = decodeCursor(cursor, 1);
    const rows = await services.db
      .select()
      .from(users)
      .where(
        and(
          kind ? eq(users.kind, kind) : undefined,
          q ? or(ilike(users.email, likePattern(q)), ilike(users.displayName, likePattern(q))) : undefined,
          after ? gt(users.id, String(after[0])) : undefined,
        ),
      )
      .orderBy(asc(users.id))
      .limit(limit + 1);
    return toPage(rows, limit, (u) => [u.id], present);
  });

  app.patch('/admin/users/:id', { schema: { tags, summary: 'Grant admin roles, disable or enable an account', params: idParams, body: userUpdate, response: { 200: user } } }, async (request) => {
    const actor = await authorizeAdmin(services, request, 'write');
    if (actor.kind === 'user' && actor.userId === request.params.id && (request.body.disabled === true || (request.body.adminRoles && !request.body.adminRoles.includes('platform-admin')))) {
      // Prevents the last administrator from locking everyone out by mistake.
      throw new Problem('unprocessable', bilingual('Vous ne pouvez ni vous désactiver ni retirer votre propre rôle d’administrateur de la plateforme : demandez à un autre administrateur.', 'You cannot disable yourself or drop your own platform-admin role; ask another administrator.'));
    }
    return inAuditedTransaction(services.db, actor, request.id, async (tx, audit) => {
      const [before] = await tx.select().from(users).where(eq(users.id, request.params.id));
      if (!before) throw new Problem('notFound', bilingual('Utilisateur introuvable.', 'No such user.'));
      const [after] = await tx
        .update(users)
        .set({
          ...(request.body.adminRoles ? { adminRoles: [...new Set(request.body.adminRoles)] } : {}),
          ...(request.body.disabled !== undefined ? { disabled: request.body.disabled } : {}),
          updatedAt: services.now(),
        })
        .where(eq(users.id, before.id))
        .returning();
      if (!after) throw new Problem('notFound');
      await audit({ action: 'user.update', targetType: 'user', targetId: after.id, before: present(before), after: present(after) });
      return present(after);
    });
  });
}
