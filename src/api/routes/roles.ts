// /api/v1/roles: the default project roles, and with ?projectId= the roles a project defined for itself.
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { projectRoles } from '../../db/schema.ts';
import { defaultProjectRoles } from '../../domain/permissions.ts';
import { inAuditedTransaction } from '../../audit/record.ts';
import { requireAuthenticated } from '../auth/resolve-actor.ts';
import { authorizeProjectChange, authorizeProjectRead, requireCanGrant } from '../authorize.ts';
import { conflictAs } from '../conflict.ts';
import { bilingual, Problem } from '../../errors.ts';
import { role, roleCreate, roleList, roleListQuery } from '../schemas/roles.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['roles'];

const builtinRoles: z.infer<typeof role>[] = defaultProjectRoles.map((r) => ({
  id: null,
  projectId: null,
  name: r.name,
  label: r.label,
  permissions: [...r.permissions],
  builtin: true,
}));
const present = (r: typeof projectRoles.$inferSelect): z.infer<typeof role> => ({
  id: r.id,
  projectId: r.projectId,
  name: r.name,
  label: { fr: r.labelFr, en: r.labelEn },
  permissions: r.permissions,
  builtin: r.builtin,
});

export default async function roleRoutes(app: App, services: Services): Promise<void> {
  app.get('/roles', { schema: { tags, summary: 'Default project roles, plus a project’s own roles with ?projectId=', querystring: roleListQuery, response: { 200: roleList } } }, async (request) => {
    requireAuthenticated(request);
    const { projectId } = request.query;
    if (!projectId) return { items: builtinRoles, nextCursor: null };
    await authorizeProjectRead(services, request, projectId, 'members.read');
    const own = await services.db
      .select()
      .from(projectRoles)
      .where(eq(projectRoles.projectId, projectId))
      .orderBy(asc(projectRoles.name));
    return { items: [...builtinRoles, ...own.map(present)], nextCursor: null };
  });

  app.post('/roles', { schema: { tags, summary: 'Define a project role from named permissions', body: roleCreate, response: { 201: role } } }, async (request, reply) => {
    const body = request.body;
    const access = await authorizeProjectChange(services, request, body.projectId, 'members.manage');
    requireCanGrant(access, body.permissions);
    if (defaultProjectRoles.some((r) => r.name === body.name)) throw new Problem('conflict', bilingual(`« ${body.name} » est un rôle par défaut.`, `"${body.name}" is a default role.`), [{ field: 'name', message: bilingual('réservé', 'reserved') }]);
    const created = await conflictAs(bilingual(`Le projet a déjà un rôle « ${body.name} ».`, `The project already has a role "${body.name}".`), 'name', () =>
      inAuditedTransaction(services.db, request.actor, request.id, async (tx, audit) => {
        const [row] = await tx
          .insert(projectRoles)
          .values({
            projectId: body.projectId,
            name: body.name,
            labelFr: body.labelFr ?? body.name,
            labelEn: body.labelEn ?? body.name,
            permissions: [...new Set(body.permissions)],
            builtin: false,
          })
          .returning();
        if (!row) throw new Error('insert returned nothing');
        await audit({ action: 'role.create', targetType: 'role', targetId: row.id, projectId: body.projectId, after: present(row) });
        return row;
      }),
    );
    return reply.code(201).send(present(created));
  });
}
