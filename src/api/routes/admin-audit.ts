// /api/v1/admin/audit: the append-only journal of every change, newest first, filterable.
import { and, desc, eq, gte, lt, lte } from 'drizzle-orm';
import { z } from 'zod';
import { auditEvents } from '../../db/schema.ts';
import { authorizeAdmin } from '../authorize.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { isoRequired } from '../schemas/common.ts';
import { auditEvent, auditPage, auditQuery } from '../schemas/admin.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['admin'];
const present = (e: typeof auditEvents.$inferSelect): z.infer<typeof auditEvent> => ({ ...e, at: isoRequired(e.at) });

export default async function adminAuditRoutes(app: App, services: Services): Promise<void> {
  app.get('/admin/audit', { schema: { tags, summary: 'Audit events (filters: actor, action, projectId, targetType, from, to)', querystring: auditQuery, response: { 200: auditPage } } }, async (request) => {
    await authorizeAdmin(services, request, 'read');
    const { limit, cursor, actor, action, projectId, targetType, from, to } = request.query;
    const after = decodeCursor(cursor, 1);
    const rows = await services.db
      .select()
      .from(auditEvents)
      .where(
        and(
          actor ? eq(auditEvents.actorId, actor) : undefined,
          action ? eq(auditEvents.action, action) : undefined,
          projectId ? eq(auditEvents.projectId, projectId) : undefined,
          targetType ? eq(auditEvents.targetType, targetType) : undefined,
          from ? gte(auditEvents.at, new Date(from)) : undefined,
          to ? lte(auditEvents.at, new Date(to)) : undefined,
          after ? lt(auditEvents.id, Number(after[0])) : undefined,
        ),
      )
      .orderBy(desc(auditEvents.id))
      .limit(limit + 1);
    return toPage(rows, limit, (e) => [e.id], present);
  });
}
