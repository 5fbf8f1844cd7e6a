// Notification webhooks of a project (shift-left): the team's endpoints told about every finished run, with a
// signed JSON body (X-DSO-Signature: sha256=HMAC of the body under the webhook's secret, shown once) and a
// delivery log the team can read to see what happened.
import { randomBytes } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { commitStatusDeliveries, notificationDeliveries, notificationWebhooks } from '../../db/schema.ts';
import { requireAllowedUrl } from '../outbound-url.ts';
import { currentEndpointUrlPolicy } from '../../chain/url-allow-list.ts';
import { inAuditedTransaction } from '../../audit/record.ts';
import { authorizeProjectChange, authorizeProjectRead } from '../authorize.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { bilingual, Problem } from '../../errors.ts';
import { commitStatusDeliveryPage, deliveryPage, presentCommitStatusDelivery, presentDelivery, presentWebhook, webhook, webhookCreate, webhookListQuery, webhookPage, webhookParams, webhookUpdate, webhookWithSecret } from '../schemas/webhooks.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['webhooks'];
const projectParams = z.strictObject({ projectId: z.uuid() });

export default async function webhookRoutes(app: App, services: Services): Promise<void> {
  async function refuseUnsafeUrl(url: string) {
    await requireAllowedUrl(url, await currentEndpointUrlPolicy(services), 'url');
  }
  async function load(projectId: string, webhookId: string) {
    const [row] = await services.db
      .select()
      .from(notificationWebhooks)
      .where(and(eq(notificationWebhooks.id, webhookId), eq(notificationWebhooks.projectId, projectId)))
      .limit(1);
    if (!row) throw new Problem('notFound', bilingual('Webhook introuvable, ou vous n’y avez pas accès.', 'No such webhook, or you cannot see it.'));
    return row;
  }

  app.get('/projects/:projectId/webhooks', { schema: { tags, summary: 'Notification webhooks of a project', params: projectParams, querystring: webhookListQuery, response: { 200: webhookPage } } }, async (request) => {
    await authorizeProjectRead(services, request, request.params.projectId, 'runs.read');
    const { limit, cursor } = request.query;
    const after = decodeCursor(cursor, 2);
    const rows = await services.db
      .select()
      .from(notificationWebhooks)
      .where(and(eq(notificationWebhooks.projectId, request.params.projectId), after ? sql`(date_trunc('milliseconds', ${notificationWebhooks.createdAt}), ${notificationWebhooks.id}) > (${String(after[0])}::timestamptz, ${String(after[1])}::uuid)` : undefined))
      .orderBy(sql`date_trunc('milliseconds', ${notificationWebhooks.createdAt})`, notificationWebhooks.id)
      .limit(limit + 1);
    return toPage(rows, limit, (r) => [r.createdAt.toISOString(), r.id], presentWebhook);
  });

  app.post('/projects/:projectId/webhooks', { schema: { tags, summary: 'Add a notification webhook; its secret is shown only in this response', params: projectParams, body: webhookCreate, response: { 201: webhookWithSecret } } }, async (request, reply) => {
    const { projectId } = request.params;
    await authorizeProjectChange(services, request, projectId, 'webhooks.manage');
    await refuseUnsafeUrl(request.body.url);
    const secret = randomBytes(32).toString('base64url');
    const created = await inAuditedTransaction(services.db, request.actor, request.id, async (tx, audit) => {
      const [row] = await tx
        .insert(notificationWebhooks)
        .values({
          projectId,
          url: request.body.url,
          events: request.body.events ?? [],
          active: request.body.active ?? true,
          secretSealed: services.secretBox.seal(secret),
        })
        .returning();
      if (!row) throw new Error('insert returned nothing');
      await audit({ action: 'webhook.create', targetType: 'webhook', targetId: row.id, projectId, after: presentWebhook(row) });
      return row;
    });
    return reply.code(201).send({ ...presentWebhook(created), secret });
  });

  app.get('/projects/:projectId/webhooks/:webhookId', { schema: { tags, summary: 'One notification webhook (never its secret)', params: webhookParams, response: { 200: webhook } } }, async (request) => {
    await authorizeProjectRead(services, request, request.params.projectId, 'runs.read', 'webhook');
    return presentWebhook(await load(request.params.projectId, request.params.webhookId));
  });

  app.patch('/projects/:projectId/webhooks/:webhookId', { schema: { tags, summary: 'Change a notification webhook', params: webhookParams, body: webhookUpdate, response: { 200: webhook } } }, async (request) => {
    const { projectId, webhookId } = request.params;
    await authorizeProjectChange(services, request, projectId, 'webhooks.manage', { what: 'webhook' });
    const before = await load(projectId, webhookId);
    if (request.body.url) await refuseUnsafeUrl(request.body.url);
    return inAuditedTransaction(services.db, request.actor, request.id, async (tx, audit) => {
      const [row] = await tx
        .update(notificationWebhooks)
        .set({ ...request.body, updatedAt: services.now() })
        .where(eq(notificationWebhooks.id, before.id))
        .returning();
      if (!row) throw new Problem('notFound');
      await audit({ action: 'webhook.update', targetType: 'webhook', targetId: row.id, projectId, before: presentWebhook(before), after: presentWebhook(row) });
      return presentWebhook(row);
    });
  });

  app.delete('/projects/:projectId/webhooks/:webhookId', { schema: { tags, summary: 'Remove a notification webhook', params: webhookParams, response: { 204: z.null() } } }, async (request, reply) => {
    const { projectId, webhookId } = request.params;
    await authorizeProjectChange(services, request, projectId, 'webhooks.manage', { what: 'webhook' });
    const before = await load(projectId, webhookId);
    await inAuditedTransaction(services.db, request.actor, request.id, async (tx, audit) => {
      await tx.delete(notificationWebhooks).where(eq(notificationWebhooks.id, before.id));
      await audit({ action: 'webhook.delete', targetType: 'webhook', targetId: before.id, projectId, before: presentWebhook(before) });
    });
    return reply.code(204).send(null);
  });

  app.get(
    '/projects/:projectId/webhooks/:webhookId/deliveries',
    { schema: { tags, summary: 'Delivery log of a webhook, newest first (every attempt, HTTP status or error)', params: webhookParams, querystring: webhookListQuery, response: { 200: deliveryPage } } },
    async (request) => {
      const { projectId, webhookId } = request.params;
      await authorizeProjectRead(services, request, projectId, 'runs.read', 'webhook');
      await load(projectId, webhookId);
      const { limit, cursor } = request.query;
      const after = decodeCursor(cursor, 2);
      const rows = await services.db
        .select()
        .from(notificationDeliveries)
        .where(and(eq(notificationDeliveries.webhookId, webhookId), after ? sql`(date_trunc('milliseconds', ${notificationDeliveries.createdAt}), ${notificationDeliveries.id}) < (${String(after[0])}::timestamptz, ${String(after[1])}::uuid)` : undefined))
        .orderBy(desc(sql`date_trunc('milliseconds', ${notificationDeliveries.createdAt})`), desc(notificationDeliveries.id))
        .limit(limit + 1);
      return toPage(rows, limit, (r) => [r.createdAt.toISOString(), r.id], presentDelivery);
    },
  );

  app.get(
    '/projects/:projectId/commit-status-deliveries',
    { schema: { tags, summary: "Commit statuses sent to the team's forge, newest first (delivered or not): the evidence of EX16", params: projectParams, querystring: webhookListQuery, response: { 200: commitStatusDeliveryPage } } },
    async (request) => {
      const { projectId } = request.params;
      await authorizeProjectRead(services, request, projectId, 'runs.read');
      const { limit, cursor } = request.query;
      const after = decodeCursor(cursor, 2);
      const rows = await services.db
        .select()
        .from(commitStatusDeliveries)
        .where(and(eq(commitStatusDeliveries.projectId, projectId), after ? sql`(date_trunc('milliseconds', ${commitStatusDeliveries.createdAt}), ${commitStatusDeliveries.id}) < (${String(after[0])}::timestamptz, ${String(after[1])}::uuid)` : undefined))
        .orderBy(desc(sql`date_trunc('milliseconds', ${commitStatusDeliveries.createdAt})`), desc(commitStatusDeliveries.id))
        .limit(limit + 1);
      return toPage(rows, limit, (r) => [r.createdAt.toISOString(), r.id], presentCommitStatusDelivery);
    },
  );
}
