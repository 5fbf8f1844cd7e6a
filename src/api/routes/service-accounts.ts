// /api/v1/service-accounts: automation identities of one project (the team's CI), each with a role and an expiring
// token shown once. They act as automation: never asked to accept the usage policy.
import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { accessTokens, users } from '../../db/schema.ts';
import { inAuditedTransaction } from '../../audit/record.ts';
import { requireAuthenticated } from '../auth/resolve-actor.ts';
import { generateToken } from '../auth/tokens.ts';
import { authorizeProjectChange, authorizeProjectRead, requireCanGrant, visibleProjectsCondition } from '../authorize.ts';
import { rolePermissions } from '../../db/role-permissions.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { bilingual, Problem } from '../../errors.ts';
import { idParams, iso, isoRequired } from '../schemas/common.ts';
import { createdServiceAccount, serviceAccount, serviceAccountCreate, serviceAccountListQuery, serviceAccountPage } from '../schemas/service-accounts.ts';
import { maxTokenLifetimeDays } from '../schemas/tokens.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['service-accounts'];
const dayMs = 86_400_000;

type Row = { user: typeof users.$inferSelect; token: typeof accessTokens.$inferSelect | null };
const present = ({ user, token }: Row): z.infer<typeof serviceAccount> => ({
  id: user.id,
  projectId: user.projectId ?? '',
  name: user.displayName,
  role: user.projectRole ?? '',
  tokenPrefix: token?.prefix ?? null,
  expiresAt: iso(token?.expiresAt),
  lastUsedAt: iso(token?.lastUsedAt),
  createdAt: isoRequired(user.createdAt),
});

export default async function serviceAccountRoutes(app: App, services: Services): Promise<void> {
  app.get('/service-accounts', { schema: { tags, summary: 'Service accounts (of one project with ?projectId=)', querystring: serviceAccountListQuery, response: { 200: serviceAccountPage } } }, async (request) => {
    const actor = requireAuthenticated(request);
    const { limit, cursor, projectId } = request.query;
    const after = decodeCursor(cursor, 1);
    const scope = projectId ? (await authorizeProjectRead(services, request, projectId, 'members.read'), eq(users.projectId, projectId)) : visibleProjectsCondition(actor, users.projectId, 'members.read');
    const rows = await services.db
      .select({ user: users, token: accessTokens })
      .from(users)
      .leftJoin(accessTokens, and(eq(accessTokens.userId, users.id), isNull(accessTokens.revokedAt)))
      .where(and(eq(users.kind, 'service-account'), scope, after ? gt(users.id, String(after[0])) : undefined))
      .orderBy(asc(users.id))
      .limit(limit + 1);
    return toPage(rows, limit, (r) => [r.user.id], present);
  });

  app.post('/service-accounts', { schema: { tags, summary: 'Create a service account and its token (shown once)', body: serviceAccountCreate, response: { 201: createdServiceAccount } } }, async (request, reply) => {
    const body = request.body;
    const access = await authorizeProjectChange(services, request, body.projectId, 'service-accounts.manage');
    const permissions = await rolePermissions(services.db, body.projectId, body.role);
    if (!permissions) throw new Problem('unprocessable', bilingual(`Le projet n’a pas de rôle « ${body.role} ».`, `The project has no role "${body.role}".`), [{ field: 'role', message: bilingual('rôle inconnu', 'unknown role') }]);
    requireCanGrant(access, permissions);
    const expiresAt = new Date(body.expiresAt);
    const now = services.now();
    if (expiresAt.getTime() <= now.getTime() || expiresAt.getTime() > now.getTime() + maxTokenLifetimeDays * dayMs) {
      throw new Problem('validation', bilingual(`expiresAt doit être dans le futur et à ${maxTokenLifetimeDays} jours au plus.`, `expiresAt must be in the future and within ${maxTokenLifetimeDays} days.`), [{ field: 'expiresAt', message: bilingual('hors limites', 'out of range') }]);
    }
    const generated = generateToken('sa');
    const created = await inAuditedTransaction(services.db, request.actor, request.id, async (tx, audit) => {
      const [user] = await tx.insert(users).values({ kind: 'service-account', displayName: body.name, projectId: body.projectId, projectRole: body.role }).returning();
      if (!user) throw new Error('insert returned nothing');
      const [token] = await tx
        .insert(accessTokens)
        .values({
          userId: user.id,
          name: body.name,
          tokenHash: generated.hash,
          prefix: generated.prefix,
          projectId: body.projectId,
          role: body.role,
          expiresAt,
        })
        .returning();
      if (!token) throw new Error('insert returned nothing');
      const row = { user, token };
      await audit({ action: 'service-account.create', targetType: 'service-account', targetId: user.id, projectId: body.projectId, after: present(row) });
      return row;
    });
    return reply.code(201).send({ ...present(created), token: generated.token });
  });

  app.delete('/service-accounts/:id', { schema: { tags, summary: 'Delete a service account (its tokens stop working at once)', params: idParams, response: { 204: z.null() } } }, async (request, reply) => {
    requireAuthenticated(request);
    const [user] = await services.db.select().from(users).where(and(eq(users.id, request.params.id), eq(users.kind, 'service-account'))).limit(1);
    if (!user?.projectId) throw new Problem('notFound', bilingual('Compte de service introuvable, ou vous n’y avez pas accès.', 'No such service account, or you cannot see it.'));
    await authorizeProjectChange(services, request, user.projectId, 'service-accounts.manage', { what: 'service account' });
    await inAuditedTransaction(services.db, request.actor, request.id, async (tx, audit) => {
      await tx.delete(users).where(eq(users.id, user.id));
      await audit({ action: 'service-account.delete', targetType: 'service-account', targetId: user.id, projectId: user.projectId, before: present({ user, token: null }) });
    });
    return reply.code(204).send(null);
  });
}
