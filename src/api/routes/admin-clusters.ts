// /api/v1/admin/clusters: capacity where environments run, with used and free capacity computed from the
// environments' quotas (the same sums the quota check uses).
import { asc, eq, gt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { clusters, environments, projects, zones } from '../../db/schema.ts';
import { placementRefusal } from '../../domain/placement.ts';
import { subtract } from '../../domain/quota.ts';
import { inAuditedTransaction } from '../../audit/record.ts';
import { authorizeAdmin, authorizeProjectRead } from '../authorize.ts';
import { conflictAs } from '../conflict.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { bilingual, Problem } from '../../errors.ts';
import { idParams, isoRequired } from '../schemas/common.ts';
import { cluster, clusterListQuery, clusterCreate, clusterPage, clusterUpdate } from '../schemas/admin.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['admin'];
type Usage = { cpuMillicores: number; memoryMiB: number; gpu: number; environmentCount: number };
const none: Usage = { cpuMillicores: 0, memoryMiB: 0, gpu: 0, environmentCount: 0 };

function present(c: typeof clusters.$inferSelect, usage: Usage = none): z.infer<typeof cluster> {
  const capacity = { cpuMillicores: c.cpuMillicores, memoryMiB: c.memoryMiB, gpu: c.gpu };
  const used = { cpuMillicores: usage.cpuMillicores, memoryMiB: usage.memoryMiB, gpu: usage.gpu };
  return {
    id: c.id,
    slug: c.slug,
    label: c.label,
    zoneId: c.zoneId,
    kind: c.kind,
    capacity,
    used,
    free: subtract(capacity, used),
    environmentCount: usage.environmentCount,
    allowedProjectIds: c.allowedProjectIds,
    createdAt: isoRequired(c.createdAt),
    updatedAt: isoRequired(c.updatedAt),
  };
}

const usageColumns = {
  cpuMillicores: sql<number>`coalesce(sum(${environments.cpuMillicores}), 0)::int`,
  memoryMiB: sql<number>`coalesce(sum(${environments.memoryMiB}), 0)::int`,
  gpu: sql<number>`coalesce(sum(${environments.gpu}), 0)::int`,
  environmentCount: sql<number>`count(${environments.id})::int`,
};

export default async function adminClusterRoutes(app: App, services: Services): Promise<void> {
  app.get('/admin/clusters', { schema: { tags, summary: 'Clusters with used and free capacity (?projectId=: those the project may use, for its team)', querystring: clusterListQuery, response: { 200: clusterPage } } }, async (request) => {
    const { limit, cursor, projectId } = request.query;
    // Project teams choosing where to create an environment see the clusters their project may use.
    let project: typeof projects.$inferSelect | undefined;
    if (projectId) project = (await authorizeProjectRead(services, request, projectId, 'environments.read')).project;
    else await authorizeAdmin(services, request, 'read');
    const after = decodeCursor(cursor, 1);
    let rows = await services.db
      .select({ cluster: clusters, ...usageColumns, zoneSlug: zones.slug, maxSensitivity: zones.maxSensitivity })
      .from(clusters)
      .innerJoin(zones, eq(zones.id, clusters.zoneId))
      .leftJoin(environments, eq(environments.clusterId, clusters.id))
      .where(after ? gt(clusters.slug, String(after[0])) : undefined)
      .groupBy(clusters.id, zones.id)
      .orderBy(asc(clusters.slug))
      .limit(limit + 1);
    if (project) {
      const p = project;
      rows = rows.filter(
        (r) =>
          !placementRefusal({
            project: p,
            cluster: r.cluster,
            zone: { slug: r.zoneSlug, maxSensitivity: r.maxSensitivity },
          }),
      );
    }
    return toPage(
      rows,
      limit,
      (r) => [r.cluster.slug],
      (r) =>
        present(r.cluster, {
          cpuMillicores: Number(r.cpuMillicores),
          memoryMiB: Number(r.memoryMiB),
          gpu: Number(r.gpu),
          environmentCount: Number(r.environmentCount),
        }),
    );
  });

  app.post('/admin/clusters', { schema: { tags, summary: 'Register a cluster', body: clusterCreate, response: { 201: cluster } } }, async (request, reply) => {
    const actor = await authorizeAdmin(services, request, 'write');
    const [zone] = await services.db.select({ id: zones.id }).from(zones).where(eq(zones.id, request.body.zoneId));
    if (!zone) throw new Problem('unprocessable', bilingual('Zone introuvable.', 'No such zone.'), [{ field: 'zoneId', message: bilingual('zone inconnue', 'unknown zone') }]);
    const row = await conflictAs(bilingual(`L’identifiant de cluster « ${request.body.slug} » est déjà pris.`, `The cluster slug "${request.body.slug}" is taken.`), 'slug', () =>
      inAuditedTransaction(services.db, actor, request.id, async (tx, audit) => {
        const [created] = await tx.insert(clusters).values(request.body).returning();
        if (!created) throw new Error('insert returned nothing');
        await audit({ action: 'cluster.create', targetType: 'cluster', targetId: created.id, after: present(created) });
        return created;
      }),
    );
    return reply.code(201).send(present(row));
  });

  app.patch('/admin/clusters/:id', { schema: { tags, summary: 'Change a cluster (capacity, dedicated projects)', params: idParams, body: clusterUpdate, response: { 200: cluster } } }, async (request) => {
    const actor = await authorizeAdmin(services, request, 'write');
    return inAuditedTransaction(services.db, actor, request.id, async (tx, audit) => {
      const [before] = await tx.select().from(clusters).where(eq(clusters.id, request.params.id)).for('update');
      if (!before) throw new Problem('notFound', bilingual('Cluster introuvable.', 'No such cluster.'));
      const [usage] = await tx.select(usageColumns).from(environments).where(eq(environments.clusterId, before.id));
      const used = {
        cpuMillicores: Number(usage?.cpuMillicores ?? 0),
        memoryMiB: Number(usage?.memoryMiB ?? 0),
        gpu: Number(usage?.gpu ?? 0),
      };
      const below = (['cpuMillicores', 'memoryMiB', 'gpu'] as const).filter((r) => request.body[r] !== undefined && request.body[r]! < used[r]);
      if (below.length > 0) {
        // Shrinking under what environments already hold would silently overbook the cluster.
        throw new Problem('unprocessable', bilingual(`Les environnements de ce cluster utilisent déjà plus que la nouvelle capacité (${below.join(', ')}) : déplacez-les ou réduisez-les d’abord.`, `The environments on this cluster already use more than the new capacity (${below.join(', ')}); move or shrink them first.`), below.map((r) => ({ field: r, message: bilingual(`${used[r]} utilisés`, `${used[r]} in use`) })), { used });
      }
      const [after] = await tx
        .update(clusters)
        .set({ ...request.body, updatedAt: services.now() })
        .where(eq(clusters.id, before.id))
        .returning();
      if (!after) throw new Problem('notFound');
      await audit({ action: 'cluster.update', targetType: 'cluster', targetId: after.id, before: present(before), after: present(after) });
      return present(
        after,
        usage
          ? {
              cpuMillicores: Number(usage.cpuMillicores),
              memoryMiB: Number(usage.memoryMiB),
              gpu: Number(usage.gpu),
              environmentCount: Number(usage.environmentCount),
            }
          : none,
      );
    });
  });
}
