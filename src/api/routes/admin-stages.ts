// /api/v1/admin/stages: kinds of environment (dev, staging, prod…), ordered for promotion.
import { asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { stages } from '../../db/schema.ts';
import { inAuditedTransaction } from '../../audit/record.ts';
import { requireAuthenticated } from '../auth/resolve-actor.ts';
import { authorizeAdmin } from '../authorize.ts';
import { conflictAs } from '../conflict.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { bilingual, Problem } from '../../errors.ts';
import { idParams, isoRequired } from '../schemas/common.ts';
import { adminListQuery, stage, stageCreate, stagePage, stageUpdate } from '../schemas/admin.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['admin'];
const present = (s: typeof stages.$inferSelect): z.infer<typeof stage> => ({
  id: s.id,
  slug: s.slug,
  label: s.label,
  production: s.production,
  position: s.position,
  createdAt: isoRequired(s.createdAt),
  updatedAt: isoRequired(s.updatedAt),
});

export default async function adminStageRoutes(app: App, services: Services): Promise<void> {
  // Readable by anyone logged in: project teams pick a stage when creating an environment.
  app.get('/admin/stages', { schema: { tags, summary: 'Stages, in promotion order', querystring: adminListQuery, response: { 200: stagePage } } }, async (request) => {
    requireAuthenticated(request);
    const { limit, cursor } = request.query;
    const after = decodeCursor(cursor, 2);
    const rows = await services.db
      .select()
      .from(stages)
      .where(after ? sql`(${stages.position}, ${stages.slug}) > (${Number(after[0])}, ${String(after[1])})` : undefined)
      .orderBy(asc(stages.position), asc(stages.slug))
      .limit(limit + 1);
    return toPage(rows, limit, (r) => [r.position, r.slug], present);
  });

  app.post('/admin/stages', { schema: { tags, summary: 'Create a stage', body: stageCreate, response: { 201: stage } } }, async (request, reply) => {
    const actor = await authorizeAdmin(services, request, 'write');
    const row = await conflictAs(bilingual(`L’identifiant de type d’environnement « ${request.body.slug} » est déjà pris.`, `The stage slug "${request.body.slug}" is taken.`), 'slug', () =>
      inAuditedTransaction(services.db, actor, request.id, async (tx, audit) => {
        const [created] = await tx.insert(stages).values(request.body).returning();
        if (!created) throw new Error('insert returned nothing');
        await audit({ action: 'stage.create', targetType: 'stage', targetId: created.id, after: present(created) });
        return created;
      }),
    );
    return reply.code(201).send(present(row));
  });

  app.patch('/admin/stages/:id', { schema: { tags, summary: 'Change a stage', params: idParams, body: stageUpdate, response: { 200: stage } } }, async (request) => {
    const actor = await authorizeAdmin(services, request, 'write');
    return inAuditedTransaction(services.db, actor, request.id, async (tx, audit) => {
      const [before] = await tx.select().from(stages).where(eq(stages.id, request.params.id));
      if (!before) throw new Problem('notFound', bilingual('Type d’environnement introuvable.', 'No such stage.'));
      const [after] = await tx
        .update(stages)
        .set({ ...request.body, updatedAt: services.now() })
        .where(eq(stages.id, before.id))
        .returning();
      if (!after) throw new Problem('notFound');
      await audit({ action: 'stage.update', targetType: 'stage', targetId: after.id, before: present(before), after: present(after) });
      return present(after);
    });
  });
}
