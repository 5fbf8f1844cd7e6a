// /api/v1/projects/{projectId}/network-flows: extra flows a project declares (EX43). Each change bumps the
// project's generation and asks for a reconcile, so every environment's NetworkPolicies follow.
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { inAuditedTransaction } from '../../audit/record.ts';
import { networkFlows, projects } from '../../db/schema.ts';
import { authorizeProjectChange, authorizeProjectRead } from '../authorize.ts';
import { bilingual, Problem } from '../../errors.ts';
import { flowCreate, flowList, flowListParams, flowParams, flowView, presentFlow } from '../schemas/network-flows.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['environments'];

export default async function networkFlowRoutes(app: App, services: Services): Promise<void> {
  app.get('/projects/:projectId/network-flows', { schema: { tags, summary: 'Network flows the project declares (rendered in every environment)', params: flowListParams, response: { 200: flowList } } }, async (request) => {
    const access = await authorizeProjectRead(services, request, request.params.projectId, 'environments.read');
    const rows = await services.db
      .select()
      .from(networkFlows)
      .where(eq(networkFlows.projectId, access.project.id))
      .orderBy(asc(networkFlows.name));
    return { items: rows.map(presentFlow) };
  });

  app.post('/projects/:projectId/network-flows', { schema: { tags, summary: 'Declare a network flow (one NetworkPolicy per environment)', params: flowListParams, body: flowCreate, response: { 201: flowView } } }, async (request, reply) => {
    const access = await authorizeProjectChange(services, request, request.params.projectId, 'environments.manage', { what: 'network flow' });
    const body = request.body;
    const row = await inAuditedTransaction(services.db, request.actor, request.id, async (tx, audit) => {
      const [existing] = await tx
        .select({ id: networkFlows.id })
        .from(networkFlows)
        .where(and(eq(networkFlows.projectId, access.project.id), eq(networkFlows.name, body.name)))
        .limit(1);
      if (existing) throw new Problem('conflict', bilingual(`Un flux « ${body.name} » existe déjà dans ce projet.`, `A flow "${body.name}" already exists in this project.`));
      const peer = 'cidr' in body.peer ? { peerCidr: body.peer.cidr, peerExcept: body.peer.except ?? null } : { peerNamespaceLabels: body.peer.namespaceLabels };
      const [created] = await tx
        .insert(networkFlows)
        .values({ projectId: access.project.id, name: body.name, direction: body.direction, ...peer, ports: body.ports, description: body.description ?? '', createdAt: services.now() })
        .returning();
      await tx.update(projects).set({ generation: sql`${projects.generation} + 1`, status: 'pending', updatedAt: services.now() }).where(eq(projects.id, access.project.id));
      await audit({ action: 'network-flow.create', targetType: 'network-flow', targetId: created!.id, projectId: access.project.id, after: presentFlow(created!) });
      return created!;
    });
    await services.requestReconcile({ kind: 'project', id: access.project.id, projectId: access.project.id });
    return reply.code(201).send(presentFlow(row));
  });

  app.delete('/projects/:projectId/network-flows/:flowId', { schema: { tags, summary: 'Remove a declared flow (its NetworkPolicies leave the GitOps repository)', params: flowParams, response: { 204: z.null() } } }, async (request, reply) => {
    const access = await authorizeProjectChange(services, request, request.params.projectId, 'environments.manage', { what: 'network flow' });
    await inAuditedTransaction(services.db, request.actor, request.id, async (tx, audit) => {
      const [row] = await tx
        .delete(networkFlows)
        .where(and(eq(networkFlows.projectId, access.project.id), eq(networkFlows.id, request.params.flowId)))
        .returning();
      if (!row) throw new Problem('notFound', bilingual('Ce flux réseau n’existe pas dans ce projet.', 'No such network flow in this project.'));
      await tx.update(projects).set({ generation: sql`${projects.generation} + 1`, status: 'pending', updatedAt: services.now() }).where(eq(projects.id, access.project.id));
      await audit({ action: 'network-flow.delete', targetType: 'network-flow', targetId: row.id, projectId: access.project.id, before: presentFlow(row) });
    });
    await services.requestReconcile({ kind: 'project', id: access.project.id, projectId: access.project.id });
    return reply.code(204).send(null);
  });
}
