// /api/v1/projects: self-service onboarding. Creating or changing a project writes its desired state
// (generation bumped, status pending), asks for a reconcile and answers at once.
import { and, asc, eq, gt, ilike, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { clusters, environments, members, projects, zones } from '../../db/schema.ts';
import { placementRefusal } from '../../domain/placement.ts';
import { inAuditedTransaction } from '../../audit/record.ts';
import { requireAuthenticated } from '../auth/resolve-actor.ts';
import { authorizeProjectChange, authorizeProjectRead, requireUsagePolicyAccepted, type ProjectAccess } from '../authorize.ts';
import { adminAccess } from '../../domain/permissions.ts';
import { conflictAs, likePattern } from '../conflict.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { preparedQueries, projectList } from '../prepared-queries.ts';
import { presentConformitySummary, type CurrentConformityRow } from '../conformity-summary.ts';
import { bilingual, Problem } from '../../errors.ts';
import { presentProject, project, projectCreate, projectDeleteQuery, projectDetail, projectListQuery, projectPage, projectParams, projectUpdate } from '../schemas/projects.ts';
import { preferredLanguage } from '../plugins/problem-handler.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['projects'];

function detail(access: ProjectAccess, row: typeof projects.$inferSelect, lang: 'fr' | 'en'): z.infer<typeof projectDetail> {
  return { ...presentProject(row, lang), permissions: [...access.permissions].sort(), role: access.role ?? null };
}

/** Environments that would sit in a zone not accepting the new sensitivity level. */
async function misplacedEnvironments(db: Db, projectId: string, dataSensitivity: string): Promise<string[]> {
  const rows = await db
    .select({
      name: environments.name,
      kind: clusters.kind,
      allowedProjectIds: clusters.allowedProjectIds,
      zoneSlug: zones.slug,
      maxSensitivity: zones.maxSensitivity,
    })
    .from(environments)
    .innerJoin(clusters, eq(clusters.id, environments.clusterId))
    .innerJoin(zones, eq(zones.id, clusters.zoneId))
    .where(eq(environments.projectId, projectId));
  return rows
    .filter((r) =>
      placementRefusal({
        project: { id: projectId, dataSensitivity },
        cluster: r,
        zone: { slug: r.zoneSlug, maxSensitivity: r.maxSensitivity },
      }),
    )
    .map((r) => r.name);
}

export default async function projectRoutes(app: App, services: Services): Promise<void> {
  app.get('/projects', { schema: { tags, summary: 'List the projects you can see', querystring: projectListQuery, response: { 200: projectPage } } }, async (request) => {
    const actor = requireAuthenticated(request);
    const { limit, cursor, q, status, archived } = request.query;
    const after = decodeCursor(cursor, 1);
    const where: (SQL | undefined)[] = [];
    if (archived !== 'all') where.push(eq(projects.archived, archived === 'true'));
    if (status) where.push(eq(projects.status, status));
    if (q) where.push(or(ilike(projects.name, likePattern(q)), ilike(projects.slug, likePattern(q))));
    if (after) where.push(gt(projects.slug, String(after[0])));
    let rows: { project: typeof projects.$inferSelect; conformity: CurrentConformityRow | null }[];
    if ((adminAccess(actor) !== undefined || actor.kind === 'bootstrap-admin') && !q && !status && archived !== 'all') {
      // The common administrator view: prepared statements (see prepared-queries.ts).
      const queries = preparedQueries(services.db);
      rows = after
        ? await queries.projectsAfter.execute({ archived: archived === 'true', after: String(after[0]), limit: limit + 1 })
        : await queries.projectsFirstPage.execute({ archived: archived === 'true', limit: limit + 1 });
    } else if (adminAccess(actor) !== undefined || actor.kind === 'bootstrap-admin') {
      rows = await projectList(services.db).where(and(...where)).orderBy(asc(projects.slug)).limit(limit + 1);
    } else if (actor.kind === 'service-account') {
      rows = await projectList(services.db).where(and(eq(projects.id, actor.projectId), ...where)).limit(limit + 1);
    } else {
      rows = await projectList(services.db)
        .innerJoin(members, and(eq(members.projectId, projects.id), eq(members.userId, actor.userId)))
        .where(and(...where))
        .orderBy(asc(projects.slug))
        .limit(limit + 1);
    }
    return toPage(
      rows,
      limit,
      (r) => [r.project.slug],
      (r) => ({
        ...presentProject(r.project, preferredLanguage(request)),
        conformity: presentConformitySummary(r.conformity),
      }),
    );
  });

  app.post('/projects', { schema: { tags, summary: 'Create a project (you become its owner)', body: projectCreate, response: { 201: project } } }, async (request, reply) => {
    const actor = requireAuthenticated(request);
    if (actor.kind === 'service-account') throw new Problem('forbidden', bilingual('Un compte de service ne peut pas créer de projet.', 'A service account cannot create projects.'));
    await requireUsagePolicyAccepted(services.db, actor);
    const body = request.body;
    let ownerId: string;
    // Naming oneself as owner is the same as not saying: only administrators create projects for someone else.
    if (body.ownerId !== undefined && !(actor.kind === 'user' && body.ownerId === actor.userId)) {
      if (adminAccess(actor) !== 'write') throw new Problem('forbidden', bilingual('Seuls les administrateurs de la plateforme peuvent créer un projet pour le compte de quelqu’un d’autre.', 'Only platform administrators can create a project on behalf of someone else.'), [{ field: 'ownerId', message: bilingual('non autorisé', 'not allowed') }]);
      ownerId = body.ownerId;
    } else if (actor.kind === 'user') {
      ownerId = actor.userId;
    } else {
      throw new Problem('validation', bilingual('Le jeton d’amorçage n’agit pour personne : donnez ownerId.', 'The bootstrap token acts for nobody: give ownerId.'), [{ field: 'ownerId', message: bilingual('obligatoire avec le jeton d’amorçage', 'required with the bootstrap token') }]);
    }
    const created = await conflictAs(bilingual(`L’identifiant « ${body.slug} » est déjà pris.`, `The slug "${body.slug}" is already taken.`), 'slug', () =>
      inAuditedTransaction(services.db, actor, request.id, async (tx, audit) => {
        const [row] = await tx
          .insert(projects)
          .values({ slug: body.slug, name: body.name, description: body.description ?? '', dataSensitivity: body.dataSensitivity ?? 'internal', ownerId, status: 'pending' })
          .returning();
        if (!row) throw new Error('insert returned nothing');
        await tx.insert(members).values({ projectId: row.id, userId: ownerId, role: 'owner' });
        await audit({ action: 'project.create', targetType: 'project', targetId: row.id, projectId: row.id, after: presentProject(row) });
        return row;
      }),
    ).catch((error: unknown) => {
      // The owner must be a known user (foreign key).
      if ((error as { cause?: { code?: string } }).cause?.code === '23503') throw new Problem('unprocessable', bilingual('ownerId ne désigne aucune personne connue.', 'ownerId is not a known user.'), [{ field: 'ownerId', message: bilingual('personne inconnue', 'unknown user') }]);
      throw error;
    });
    await services.requestReconcile({ kind: 'project', id: created.id, projectId: created.id });
    return reply.code(201).send(presentProject(created, preferredLanguage(request)));
  });

  app.get('/projects/:projectId', { schema: { tags, summary: 'A project and what you may do in it', params: projectParams, response: { 200: projectDetail } } }, async (request) => {
    const access = await authorizeProjectRead(services, request, request.params.projectId, 'project.read');
    return detail(access, access.project, preferredLanguage(request));
  });

  app.patch('/projects/:projectId', { schema: { tags, summary: 'Change a project (lock and budget: platform administrators)', params: projectParams, body: projectUpdate, response: { 202: projectDetail } } }, async (request, reply) => {
    const body = request.body;
    const adminOnly = body.locked !== undefined || body.budget !== undefined;
    const liftsOnly = Object.keys(body).length > 0 && Object.entries(body).every(([k, v]) => (k === 'locked' || k === 'archived') && v === false);
    const archiving = body.archived !== undefined;
    const permission = archiving ? 'project.delete' : 'project.update';
    const access = await authorizeProjectChange(services, request, request.params.projectId, permission, {
      unlockOrRestore: liftsOnly,
    });
    if (adminOnly && access.admin !== 'write') throw new Problem('forbidden', bilingual('Seuls les administrateurs de la plateforme peuvent verrouiller un projet ou changer son budget.', 'Only platform administrators can lock a project or change its budget.'));
    if (liftsOnly && body.locked === false && access.admin !== 'write') throw new Problem('forbidden', bilingual('Seuls les administrateurs de la plateforme peuvent déverrouiller un projet.', 'Only platform administrators can unlock a project.'));
    if (archiving && Object.keys(body).some((k) => k !== 'archived' && k !== 'locked')) {
      // Keep archive/restore a single, auditable decision rather than mixed with edits.
      throw new Problem('validation', bilingual('Archivez ou restaurez un projet seul, sans autre modification.', 'Archive or restore a project on its own, without other changes.'), [{ field: 'archived', message: bilingual('seul', 'alone') }]);
    }
    const before = access.project;
    if (body.dataSensitivity !== undefined && body.dataSensitivity !== before.dataSensitivity) {
      const misplaced = await misplacedEnvironments(services.db, before.id, body.dataSensitivity);
      if (misplaced.length > 0) {
        throw new Problem('unprocessable', bilingual(`Ces environnements sont sur des clusters qui n’accepteraient pas des données « ${body.dataSensitivity} » : ${misplaced.join(', ')}.`, `These environments sit on clusters that would not accept "${body.dataSensitivity}" data: ${misplaced.join(', ')}.`), [{ field: 'dataSensitivity', message: bilingual('non accepté par les zones utilisées', 'not accepted by the zones in use') }]);
      }
    }
    const updated = await inAuditedTransaction(services.db, request.actor, request.id, async (tx, audit) => {
      const [row] = await tx
        .update(projects)
        .set({
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(body.description !== undefined ? { description: body.description } : {}),
          ...(body.dataSensitivity !== undefined ? { dataSensitivity: body.dataSensitivity } : {}),
          ...(body.budget
            ? {
                budgetCpuMillicores: body.budget.cpuMillicores,
                budgetMemoryMiB: body.budget.memoryMiB,
                budgetGpu: body.budget.gpu,
              }
            : {}),
          ...(body.locked !== undefined ? { locked: body.locked } : {}),
          ...(body.archived !== undefined ? { archived: body.archived } : {}),
          generation: sql`${projects.generation} + 1`,
          status: 'pending',
          updatedAt: services.now(),
        })
        .where(eq(projects.id, before.id))
        .returning();
      if (!row) throw new Problem('notFound');
      const action = body.archived === true ? 'project.archive' : body.archived === false ? 'project.restore' : body.locked === true ? 'project.lock' : body.locked === false ? 'project.unlock' : 'project.update';
      await audit({ action, targetType: 'project', targetId: row.id, projectId: row.id, before: presentProject(before), after: presentProject(row) });
      return row;
    });
    await services.requestReconcile({ kind: 'project', id: updated.id, projectId: updated.id });
    return reply.code(202).send(detail(access, updated, preferredLanguage(request)));
  });

  app.delete('/projects/:projectId', { schema: { tags, summary: 'Archive a project (permanent=true deletes an archived one: platform administrators)', params: projectParams, querystring: projectDeleteQuery, response: { 202: projectDetail, 204: z.null() } } }, async (request, reply) => {
    const permanent = request.query.permanent === 'true';
    if (!permanent) {
      const access = await authorizeProjectChange(services, request, request.params.projectId, 'project.delete');
      const archived = await inAuditedTransaction(services.db, request.actor, request.id, async (tx, audit) => {
        const [row] = await tx.update(projects).set({ archived: true, generation: sql`${projects.generation} + 1`, status: 'pending', updatedAt: services.now() }).where(eq(projects.id, access.project.id)).returning();
        if (!row) throw new Problem('notFound');
        await audit({ action: 'project.archive', targetType: 'project', targetId: row.id, projectId: row.id, before: presentProject(access.project), after: presentProject(row) });
        return row;
      });
      await services.requestReconcile({ kind: 'project', id: archived.id, projectId: archived.id });
      return reply.code(202).send(detail(access, archived, preferredLanguage(request)));
    }
    const access = await authorizeProjectChange(services, request, request.params.projectId, 'project.delete', { unlockOrRestore: true });
    if (access.admin !== 'write') throw new Problem('forbidden', bilingual('Seuls les administrateurs de la plateforme peuvent supprimer définitivement un projet.', 'Only platform administrators can delete a project for good.'));
    if (!access.project.archived) throw new Problem('unprocessable', bilingual('Archivez d’abord le projet : seul un projet archivé peut être supprimé définitivement.', 'Archive the project first; only an archived project can be deleted for good.'));
    await inAuditedTransaction(services.db, request.actor, request.id, async (tx, audit) => {
      await tx.delete(projects).where(eq(projects.id, access.project.id));
      await audit({ action: 'project.delete', targetType: 'project', targetId: access.project.id, projectId: access.project.id, before: presentProject(access.project) });
    });
    await services.requestReconcile({ kind: 'project', id: access.project.id, projectId: access.project.id });
    return reply.code(204).send(null);
  });
}
