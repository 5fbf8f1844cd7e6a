// /api/v1/admin/audit: the append-only journal of every change, newest first, filterable by who acted (id or part
// of the name), action (or family of actions), project (identifier or id), target type and dates; each event comes
// with the names of the person, the project and the object, so the console shows names and links, not UUIDs.
import { and, desc, eq, gte, ilike, inArray, like, lt, lte, or } from 'drizzle-orm';
import { z } from 'zod';
import { auditEvents, projects, users } from '../../db/schema.ts';
import { describeAuditEvents } from '../../audit/describe.ts';
import { authorizeAdmin } from '../authorize.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { isoRequired } from '../schemas/common.ts';
import { auditEvent, auditPage, auditQuery } from '../schemas/admin.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['admin'];
const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** `%` and `_` typed by a person are searched for as such. */
const literal = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export default async function adminAuditRoutes(app: App, services: Services): Promise<void> {
  app.get('/admin/audit', { schema: { tags, summary: 'Audit events with names (filters: actor, actorName, action or family.*, project or projectId, targetType, from, to)', querystring: auditQuery, response: { 200: auditPage } } }, async (request) => {
    await authorizeAdmin(services, request, 'read');
    const { limit, cursor, actor, actorName, action, projectId, project, targetType, from, to } = request.query;
    const after = decodeCursor(cursor, 1);
    const db = services.db;
    const actorsNamed = actorName ? db.select({ id: users.id }).from(users).where(ilike(users.displayName, `%${literal(actorName)}%`)) : undefined;
    const projectsNamed = project
      ? db
          .select({ id: projects.id })
          .from(projects)
          .where(
            uuidShape.test(project)
              ? or(eq(projects.id, project), eq(projects.slug, project))
              : eq(projects.slug, project.toLowerCase()),
          )
      : undefined;
    const rows = await db
      .select()
      .from(auditEvents)
      .where(
        and(
          actor ? eq(auditEvents.actorId, actor) : undefined,
          actorsNamed ? inArray(auditEvents.actorId, actorsNamed) : undefined,
          action ? (action.endsWith('*') ? like(auditEvents.action, `${literal(action.slice(0, -1))}%`) : eq(auditEvents.action, action)) : undefined,
          projectId ? eq(auditEvents.projectId, projectId) : undefined,
          projectsNamed ? inArray(auditEvents.projectId, projectsNamed) : undefined,
          targetType ? eq(auditEvents.targetType, targetType) : undefined,
          from ? gte(auditEvents.at, new Date(from)) : undefined,
          to ? lte(auditEvents.at, new Date(to)) : undefined,
          after ? lt(auditEvents.id, Number(after[0])) : undefined,
        ),
      )
      .orderBy(desc(auditEvents.id))
      .limit(limit + 1);
    const page = toPage(rows, limit, (e) => [e.id], (e) => e);
    const described = await describeAuditEvents(db, page.items);
    return { ...page, items: described.map((e): z.infer<typeof auditEvent> => ({ ...e, at: isoRequired(e.at) })) };
  });
}
