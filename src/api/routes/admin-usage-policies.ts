// /api/v1/admin/usage-policies: publishing a new version makes every person accept it again before changing anything.
import { desc, lt } from 'drizzle-orm';
import { z } from 'zod';
import { usagePolicies } from '../../db/schema.ts';
import { inAuditedTransaction } from '../../audit/record.ts';
import { authorizeAdmin } from '../authorize.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { isoRequired } from '../schemas/common.ts';
import { adminListQuery, usagePolicyCreate, usagePolicyPage } from '../schemas/admin.ts';
import { usagePolicy } from '../schemas/me.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['admin'];
const present = (p: typeof usagePolicies.$inferSelect): z.infer<typeof usagePolicy> => ({ id: p.id, version: p.version, title: { fr: p.titleFr, en: p.titleEn }, content: { fr: p.contentFr, en: p.contentEn }, publishedAt: isoRequired(p.publishedAt) });

export default async function adminUsagePolicyRoutes(app: App, services: Services): Promise<void> {
  app.get('/admin/usage-policies', { schema: { tags, summary: 'All versions, newest first', querystring: adminListQuery, response: { 200: usagePolicyPage } } }, async (request) => {
    await authorizeAdmin(services, request, 'read');
    const { limit, cursor } = request.query;
    const after = decodeCursor(cursor, 1);
    const rows = await services.db.select().from(usagePolicies).where(after ? lt(usagePolicies.version, Number(after[0])) : undefined).orderBy(desc(usagePolicies.version)).limit(limit + 1);
    return toPage(rows, limit, (p) => [p.version], present);
  });

  app.post('/admin/usage-policies', { schema: { tags, summary: 'Publish a new version (everyone must accept it again)', body: usagePolicyCreate, response: { 201: usagePolicy } } }, async (request, reply) => {
    const actor = await authorizeAdmin(services, request, 'write');
    const row = await inAuditedTransaction(services.db, actor, request.id, async (tx, audit) => {
      // Lock the latest version row so two publications cannot take the same number.
      const [latest] = await tx.select({ version: usagePolicies.version }).from(usagePolicies).orderBy(desc(usagePolicies.version)).limit(1).for('update');
      const [created] = await tx
        .insert(usagePolicies)
        .values({ ...request.body, version: (latest?.version ?? 0) + 1, publishedAt: services.now(), createdBy: actor.kind === 'user' ? actor.userId : null })
        .returning();
      if (!created) throw new Error('insert returned nothing');
      await audit({ action: 'usage-policy.publish', targetType: 'usage-policy', targetId: created.id, after: { version: created.version, title: created.titleEn } });
      return created;
    });
    return reply.code(201).send(present(row));
  });
}
