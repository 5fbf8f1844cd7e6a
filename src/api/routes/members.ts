// /api/v1/projects/{projectId}/members: who works on a project and with which role. A member cannot grant more
// than they hold, and a project always keeps at least one owner.
import { and, asc, count, eq, gt } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { members, users } from '../../db/schema.ts';
import { inAuditedTransaction } from '../../audit/record.ts';
import { authorizeProjectChange, authorizeProjectRead, requireCanGrant } from '../authorize.ts';
import { rolePermissions } from '../../db/role-permissions.ts';
import { conflictAs } from '../conflict.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { bilingual, Problem } from '../../errors.ts';
import { isoRequired } from '../schemas/common.ts';
import { member, memberAdd, memberListQuery, memberPage, memberParams, memberUpdate } from '../schemas/members.ts';
import { projectParams } from '../schemas/projects.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['members'];

type MemberRow = { member: typeof members.$inferSelect; user: typeof users.$inferSelect };
const present = ({ member: m, user: u }: MemberRow): z.infer<typeof member> => ({
  projectId: m.projectId,
  userId: m.userId,
  role: m.role,
  email: u.email,
  displayName: u.displayName,
  kind: u.kind,
  createdAt: isoRequired(m.createdAt),
});

async function roleOrProblem(db: Db, projectId: string, role: string) {
  const permissions = await rolePermissions(db, projectId, role);
  if (!permissions) throw new Problem('unprocessable', bilingual(`Le projet n’a pas de rôle « ${role} ».`, `The project has no role "${role}".`), [{ field: 'role', message: bilingual('rôle inconnu', 'unknown role') }]);
  return permissions;
}

async function ownerCount(db: Db, projectId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(members).where(and(eq(members.projectId, projectId), eq(members.role, 'owner')));
  return Number(row?.n ?? 0);
}

export default async function memberRoutes(app: App, services: Services): Promise<void> {
  async function loadMember(db: Db, projectId: string, userId: string): Promise<MemberRow> {
    const [row] = await db
      .select({ member: members, user: users })
      .from(members)
      .innerJoin(users, eq(users.id, members.userId))
      .where(and(eq(members.projectId, projectId), eq(members.userId, userId)))
      .limit(1);
    if (!row) throw new Problem('notFound', bilingual('Cette personne n’est pas membre du projet.', 'This person is not a member of the project.'));
    return row;
  }

  app.get('/projects/:projectId/members', { schema: { tags, summary: 'Members of a project', params: projectParams, querystring: memberListQuery, response: { 200: memberPage } } }, async (request) => {
    const { projectId } = request.params;
    await authorizeProjectRead(services, request, projectId, 'members.read');
    const { limit, cursor } = request.query;
    const after = decodeCursor(cursor, 1);
    const rows = await services.db
      .select({ member: members, user: users })
      .from(members)
      .innerJoin(users, eq(users.id, members.userId))
      .where(and(eq(members.projectId, projectId), after ? gt(members.userId, String(after[0])) : undefined))
      .orderBy(asc(members.userId))
      .limit(limit + 1);
    return toPage(rows, limit, (r) => [r.member.userId], present);
  });

  app.post('/projects/:projectId/members', { schema: { tags, summary: 'Add a member (by user id or e-mail)', params: projectParams, body: memberAdd, response: { 201: member } } }, async (request, reply) => {
    const { projectId } = request.params;
    const access = await authorizeProjectChange(services, request, projectId, 'members.manage');
    requireCanGrant(access, await roleOrProblem(services.db, projectId, request.body.role));
    const { userId, email } = request.body;
    const [user] = await services.db
      .select()
      .from(users)
      .where(and(eq(users.kind, 'human'), userId ? eq(users.id, userId) : eq(users.email, email ?? '')))
      .limit(1);
    if (!user) throw new Problem('unprocessable', bilingual('Personne inconnue : elle doit se connecter une première fois à la console avant d’être ajoutée.', 'Unknown person: they must log in to the console once before being added.'), [{ field: userId ? 'userId' : 'email', message: bilingual('personne inconnue', 'unknown user') }]);
    const created = await conflictAs(bilingual('Cette personne est déjà membre ; changez plutôt son rôle.', 'This person is already a member; change their role instead.'), 'userId', () =>
      inAuditedTransaction(services.db, request.actor, request.id, async (tx, audit) => {
        const [row] = await tx
          .insert(members)
          .values({ projectId, userId: user.id, role: request.body.role })
          .returning();
        if (!row) throw new Error('insert returned nothing');
        await audit({ action: 'member.add', targetType: 'member', targetId: user.id, projectId, after: { userId: user.id, role: row.role } });
        return { member: row, user };
      }),
    );
    return reply.code(201).send(present(created));
  });

  app.patch('/projects/:projectId/members/:userId', { schema: { tags, summary: "Change a member's role", params: memberParams, body: memberUpdate, response: { 200: member } } }, async (request) => {
    const { projectId, userId } = request.params;
    const access = await authorizeProjectChange(services, request, projectId, 'members.manage');
    requireCanGrant(access, await roleOrProblem(services.db, projectId, request.body.role));
    return inAuditedTransaction(services.db, request.actor, request.id, async (tx, audit) => {
      const before = await loadMember(tx, projectId, userId);
      if (before.member.role === 'owner' && request.body.role !== 'owner' && (await ownerCount(tx, projectId)) <= 1) {
        throw new Problem('unprocessable', bilingual('Un projet garde au moins un propriétaire : nommez d’abord un autre propriétaire.', 'A project keeps at least one owner: name another owner first.'), [{ field: 'role', message: bilingual('dernier propriétaire', 'last owner') }]);
      }
      const [row] = await tx
        .update(members)
        .set({ role: request.body.role })
        .where(and(eq(members.projectId, projectId), eq(members.userId, userId)))
        .returning();
      if (!row) throw new Problem('notFound');
      await audit({ action: 'member.update', targetType: 'member', targetId: userId, projectId, before: { role: before.member.role }, after: { role: row.role } });
      return present({ member: row, user: before.user });
    });
  });

  app.delete('/projects/:projectId/members/:userId', { schema: { tags, summary: 'Remove a member', params: memberParams, response: { 204: z.null() } } }, async (request, reply) => {
    const { projectId, userId } = request.params;
    await authorizeProjectChange(services, request, projectId, 'members.manage');
    await inAuditedTransaction(services.db, request.actor, request.id, async (tx, audit) => {
      const before = await loadMember(tx, projectId, userId);
      if (before.member.role === 'owner' && (await ownerCount(tx, projectId)) <= 1) {
        throw new Problem('unprocessable', bilingual('Un projet garde au moins un propriétaire : nommez d’abord un autre propriétaire.', 'A project keeps at least one owner: name another owner first.'), [{ field: 'userId', message: bilingual('dernier propriétaire', 'last owner') }]);
      }
      await tx.delete(members).where(and(eq(members.projectId, projectId), eq(members.userId, userId)));
      await audit({ action: 'member.remove', targetType: 'member', targetId: userId, projectId, before: { userId, role: before.member.role } });
    });
    return reply.code(204).send(null);
  });
}
