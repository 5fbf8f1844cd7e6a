// /api/v1/admin/zones: where data of a given sensitivity may live. Platform administrators write; admin roles read.
import { asc, eq, gt } from 'drizzle-orm';
import { z } from 'zod';
import { zones } from '../../db/schema.ts';
import { inAuditedTransaction } from '../../audit/record.ts';
import { authorizeAdmin } from '../authorize.ts';
import { conflictAs } from '../conflict.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { bilingual, Problem } from '../../errors.ts';
import { idParams, isoRequired } from '../schemas/common.ts';
import { adminListQuery, zone, zoneCreate, zonePage, zoneUpdate } from '../schemas/admin.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['admin'];
const present = (z_: typeof zones.$inferSelect): z.infer<typeof zone> => ({
  id: z_.id,
  slug: z_.slug,
  label: z_.label,
  maxSensitivity: z_.maxSensitivity,
  gateMode: z_.gateMode,
  createdAt: isoRequired(z_.createdAt),
  updatedAt: isoRequired(z_.updatedAt),
});

export default async function adminZoneRoutes(app: App, services: Services): Promise<void> {
  app.get('/admin/zones', { schema: { tags, summary: 'Zones', querystring: adminListQuery, response: { 200: zonePage } } }, async (request) => {
    await authorizeAdmin(services, request, 'read');
    const { limit, cursor } = request.query;
    const after = decodeCursor(cursor, 1);
    const rows = await services.db
      .select()
      .from(zones)
      .where(after ? gt(zones.slug, String(after[0])) : undefined)
      .orderBy(asc(zones.slug))
      .limit(limit + 1);
    return toPage(rows, limit, (r) => [r.slug], present);
  });

  app.post('/admin/zones', { schema: { tags, summary: 'Create a zone', body: zoneCreate, response: { 201: zone } } }, async (request, reply) => {
    const actor = await authorizeAdmin(services, request, 'write');
    const row = await conflictAs(bilingual(`L’identifiant de zone « ${request.body.slug} » est déjà pris.`, `The zone slug "${request.body.slug}" is taken.`), 'slug', () =>
      inAuditedTransaction(services.db, actor, request.id, async (tx, audit) => {
        const [created] = await tx.insert(zones).values(request.body).returning();
        if (!created) throw new Error('insert returned nothing');
        await audit({ action: 'zone.create', targetType: 'zone', targetId: created.id, after: present(created) });
        return created;
      }),
    );
    return reply.code(201).send(present(row));
  });

  app.patch('/admin/zones/:id', { schema: { tags, summary: 'Change a zone', params: idParams, body: zoneUpdate, response: { 200: zone } } }, async (request) => {
    const actor = await authorizeAdmin(services, request, 'write');
    return inAuditedTransaction(services.db, actor, request.id, async (tx, audit) => {
      const [before] = await tx.select().from(zones).where(eq(zones.id, request.params.id));
      if (!before) throw new Problem('notFound', bilingual('Zone introuvable.', 'No such zone.'));
      const [after] = await tx
        .update(zones)
        .set({ ...request.body, updatedAt: services.now() })
        .where(eq(zones.id, before.id))
        .returning();
      if (!after) throw new Problem('notFound');
      await audit({ action: 'zone.update', targetType: 'zone', targetId: after.id, before: present(before), after: present(after) });
      return present(after);
    });
  });
}
