// /api/v1/environments: where a project runs (stage × cluster, with a quota). Creating or resizing one checks, in
// the same transaction that writes it, placement (zone sensitivity, dedicated clusters) and quota (cluster free
// capacity and project budget); the project and cluster rows are locked so concurrent requests cannot overbook.
import { and, asc, eq, ne, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { clusters, environments, projects, stages, zones } from '../../db/schema.ts';
import { placementRefusal } from '../../domain/placement.ts';
import { evaluateQuota, type Resources } from '../../domain/quota.ts';
import { inAuditedTransaction } from '../../audit/record.ts';
import { requireAuthenticated } from '../auth/resolve-actor.ts';
import { authorizeProjectChange, authorizeProjectRead, visibleProjectsCondition } from '../authorize.ts';
import { conflictAs } from '../conflict.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { bilingual, Problem } from '../../errors.ts';
import { idParams } from '../schemas/common.ts';
import { environment, environmentCreate, environmentListQuery, environmentPage, environmentUpdate, presentEnvironment } from '../schemas/environments.ts';
import { preferredLanguage } from '../plugins/problem-handler.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['environments'];

const usedColumns = {
  cpuMillicores: sql<number>`coalesce(sum(${environments.cpuMillicores}), 0)::int`,
  memoryMiB: sql<number>`coalesce(sum(${environments.memoryMiB}), 0)::int`,
  gpu: sql<number>`coalesce(sum(${environments.gpu}), 0)::int`,
};

/** Sum of the quotas of the environments matching `where`. */
async function used(tx: Db, where: SQL | undefined): Promise<Resources> {
  const [row] = await tx.select(usedColumns).from(environments).where(where);
  return {
    cpuMillicores: Number(row?.cpuMillicores ?? 0),
    memoryMiB: Number(row?.memoryMiB ?? 0),
    gpu: Number(row?.gpu ?? 0),
  };
}

const resourceFr = { cpuMillicores: 'CPU (millicœurs)', memoryMiB: 'mémoire (Mio)', gpu: 'GPU' } as const;

/** Placement and quota checks for `requested` on `clusterId`, ignoring the environment being resized. Inside the
 * transaction. */
async function checkFit(
  tx: Db,
  projectId: string,
  clusterId: string,
  requested: Resources,
  excludeEnvironmentId?: string,
): Promise<void> {
  const [project] = await tx.select().from(projects).where(eq(projects.id, projectId)).for('update');
  const [cluster] = await tx.select().from(clusters).where(eq(clusters.id, clusterId)).for('update');
  if (!project) throw new Problem('notFound');
  if (!cluster)
    throw new Problem('unprocessable', bilingual('Cluster introuvable.', 'No such cluster.'), [
      { field: 'clusterId', message: bilingual('cluster inconnu', 'unknown cluster') },
    ]);
  const [zone] = await tx.select().from(zones).where(eq(zones.id, cluster.zoneId));
  if (!zone)
    throw new Problem('unprocessable', bilingual('Le cluster n’a pas de zone.', 'The cluster has no zone.'), [
      { field: 'clusterId', message: bilingual('cluster sans zone', 'cluster without zone') },
    ]);
  const refusal = placementRefusal({ project, cluster, zone });
  // A dedicated cluster of another project is not even acknowledged to exist beyond "not allowed here".
  if (refusal)
    throw new Problem('unprocessable', refusal.message, [{ field: 'clusterId', message: refusal.message }], {
      reason: refusal.reason,
    });
  const others = excludeEnvironmentId ? ne(environments.id, excludeEnvironmentId) : undefined;
  const verdict = evaluateQuota({
    requested,
    cluster: { capacity: cluster, used: await used(tx, and(eq(environments.clusterId, cluster.id), others)) },
    project: {
      budget: {
        cpuMillicores: project.budgetCpuMillicores,
        memoryMiB: project.budgetMemoryMiB,
        gpu: project.budgetGpu,
      },
      used: await used(tx, and(eq(environments.projectId, project.id), others)),
    },
  });
  if (!verdict.fits) {
    const lines = verdict.shortfalls.map(
      (s) =>
        `${s.resource}: requested ${s.requested}, ${s.limit === 'cluster' ? 'free on the cluster' : 'left in the project budget'} ${s.available}`,
    );
    const linesFr = verdict.shortfalls.map(
      (s) =>
        `${resourceFr[s.resource]} : ${s.requested} demandé(s), ${s.limit === 'cluster' ? 'libre(s) sur le cluster' : 'restant(s) dans le budget du projet'} ${s.available}`,
    );
    throw new Problem(
      'quotaExceeded',
      bilingual(`Le quota ne tient pas : ${linesFr.join(' ; ')}.`, `The quota does not fit: ${lines.join('; ')}.`),
      verdict.shortfalls.map((s) => ({
        field: s.resource,
        message: bilingual(
          `${s.limit === 'cluster' ? 'cluster' : 'budget du projet'} : ${s.available} disponible(s)`,
          `${s.limit}: ${s.available} available`,
        ),
      })),
      {
        requested: verdict.figures.requested,
        free: verdict.figures.free,
        budget: verdict.figures.budget,
        budgetRemaining: verdict.figures.budgetRemaining,
      },
    );
  }
}

export default async function environmentRoutes(app: App, services: Services): Promise<void> {
  async function load(id: string) {
    const [row] = await services.db.select().from(environments).where(eq(environments.id, id)).limit(1);
    if (!row) throw new Problem('notFound', bilingual('Environnement introuvable, ou vous n’y avez pas accès.', 'No such environment, or you cannot see it.'));
    return row;
  }

  app.get('/environments', { schema: { tags, summary: 'List environments (of one project with ?projectId=)', querystring: environmentListQuery, response: { 200: environmentPage } } }, async (request) => {
    const actor = requireAuthenticated(request);
    const { limit, cursor, projectId } = request.query;
    const after = decodeCursor(cursor, 2);
    const scope = projectId ? (await authorizeProjectRead(services, request, projectId, 'environments.read'), eq(environments.projectId, projectId)) : visibleProjectsCondition(actor, environments.projectId, 'environments.read');
    const rows = await services.db
      .select()
      .from(environments)
      .where(and(scope, after ? sql`(${environments.projectId}, ${environments.name}) > (${String(after[0])}::uuid, ${String(after[1])})` : undefined))
      .orderBy(asc(environments.projectId), asc(environments.name))
      .limit(limit + 1);
    return toPage(rows, limit, (e) => [e.projectId, e.name], (e) => presentEnvironment(e, preferredLanguage(request)));
  });

  app.post('/environments', { schema: { tags, summary: 'Create an environment (provisioned asynchronously)', body: environmentCreate, response: { 201: environment } } }, async (request, reply) => {
    const body = request.body;
    await authorizeProjectChange(services, request, body.projectId, 'environments.manage');
    const [stage] = await services.db
      .select({ id: stages.id })
      .from(stages)
      .where(eq(stages.id, body.stageId))
      .limit(1);
    if (!stage) throw new Problem('unprocessable', bilingual('Type d’environnement introuvable.', 'No such stage.'), [{ field: 'stageId', message: bilingual('type d’environnement inconnu', 'unknown stage') }]);
    const created = await conflictAs(bilingual(`Le projet a déjà un environnement nommé « ${body.name} ».`, `The project already has an environment named "${body.name}".`), 'name', () =>
      inAuditedTransaction(services.db, request.actor, request.id, async (tx, audit) => {
        await checkFit(tx, body.projectId, body.clusterId, {
          cpuMillicores: body.cpuMillicores,
          memoryMiB: body.memoryMiB,
          gpu: body.gpu,
        });
        const [row] = await tx.insert(environments).values({ ...body, status: 'pending' }).returning();
        if (!row) throw new Error('insert returned nothing');
        await audit({ action: 'environment.create', targetType: 'environment', targetId: row.id, projectId: row.projectId, after: presentEnvironment(row) });
        return row;
      }),
    );
    await services.requestReconcile({ kind: 'environment', id: created.id, projectId: created.projectId });
    return reply.code(201).send(presentEnvironment(created, preferredLanguage(request)));
  });

  app.get('/environments/:id', { schema: { tags, summary: 'One environment and its status', params: idParams, response: { 200: environment } } }, async (request) => {
    requireAuthenticated(request);
    const row = await load(request.params.id);
    await authorizeProjectRead(services, request, row.projectId, 'environments.read', 'environment');
    return presentEnvironment(row, preferredLanguage(request));
  });

  app.patch('/environments/:id', { schema: { tags, summary: 'Resize an environment', params: idParams, body: environmentUpdate, response: { 202: environment } } }, async (request, reply) => {
    requireAuthenticated(request);
    const before = await load(request.params.id);
    await authorizeProjectChange(services, request, before.projectId, 'environments.manage', { what: 'environment' });
    const next = {
      cpuMillicores: request.body.cpuMillicores ?? before.cpuMillicores,
      memoryMiB: request.body.memoryMiB ?? before.memoryMiB,
      gpu: request.body.gpu ?? before.gpu,
    };
    const updated = await inAuditedTransaction(services.db, request.actor, request.id, async (tx, audit) => {
      await checkFit(tx, before.projectId, before.clusterId, next, before.id);
      const [row] = await tx.update(environments).set({ ...next, generation: sql`${environments.generation} + 1`, status: 'pending', updatedAt: services.now() }).where(eq(environments.id, before.id)).returning();
      if (!row) throw new Problem('notFound');
      await audit({ action: 'environment.update', targetType: 'environment', targetId: row.id, projectId: row.projectId, before: presentEnvironment(before), after: presentEnvironment(row) });
      return row;
    });
    await services.requestReconcile({ kind: 'environment', id: updated.id, projectId: updated.projectId });
    return reply.code(202).send(presentEnvironment(updated, preferredLanguage(request)));
  });

  app.delete('/environments/:id', { schema: { tags, summary: 'Delete an environment (torn down asynchronously)', params: idParams, response: { 204: z.null() } } }, async (request, reply) => {
    requireAuthenticated(request);
    const before = await load(request.params.id);
    await authorizeProjectChange(services, request, before.projectId, 'environments.manage', { what: 'environment' });
    await inAuditedTransaction(services.db, request.actor, request.id, async (tx, audit) => {
      await tx.delete(environments).where(eq(environments.id, before.id));
      await audit({ action: 'environment.delete', targetType: 'environment', targetId: before.id, projectId: before.projectId, before: presentEnvironment(before) });
    });
    // Level-triggered: the project reconcile sees the environment gone from the desired state and removes it.
    await services.requestReconcile({ kind: 'project', id: before.projectId, projectId: before.projectId });
    return reply.code(204).send(null);
  });
}
