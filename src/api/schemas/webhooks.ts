// Notification webhooks of a project (shift-left) and their delivery log. The secret is shown once, at creation.
import { z } from 'zod';
import { notificationDeliveries, notificationWebhooks, commitStatusDeliveries } from '../../db/schema.ts';
import { pageQueryShape, pageSchema } from '../pagination.ts';

export const webhookEvents = z.enum(['run.finished']);

export const webhookCreate = z.strictObject({
  url: z.url().max(2000),
  events: z.array(webhookEvents).max(10).optional(),
  active: z.boolean().optional(),
});
export const webhookUpdate = z.strictObject({
  url: z.url().max(2000).optional(),
  events: z.array(webhookEvents).max(10).optional(),
  active: z.boolean().optional(),
});

export const webhook = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  url: z.string(),
  events: z.array(z.string()),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const webhookWithSecret = webhook.extend({ secret: z.string().describe('HMAC-SHA256 key of X-DSO-Signature; shown only now') });
export const webhookPage = pageSchema(webhook);
export const webhookParams = z.strictObject({ projectId: z.uuid(), webhookId: z.uuid() });
export const webhookListQuery = z.strictObject({ ...pageQueryShape });

export const delivery = z.object({
  id: z.uuid(),
  runId: z.string().nullable(),
  event: z.string(),
  delivered: z.boolean(),
  attempts: z.array(
    z.object({
      attempt: z.number(),
      at: z.string(),
      status: z.number().optional(),
      error: z.string().optional(),
      durationMs: z.number(),
    }),
  ),
  message: z.string().nullable(),
  createdAt: z.string(),
});
export const deliveryPage = pageSchema(delivery);

export function presentWebhook(w: typeof notificationWebhooks.$inferSelect): z.infer<typeof webhook> {
  return {
    id: w.id,
    projectId: w.projectId,
    url: w.url,
    events: w.events,
    active: w.active,
    createdAt: w.createdAt.toISOString(),
    updatedAt: w.updatedAt.toISOString(),
  };
}

export function presentDelivery(d: typeof notificationDeliveries.$inferSelect): z.infer<typeof delivery> {
  return {
    id: d.id,
    runId: d.runId,
    event: d.event,
    delivered: d.delivered,
    attempts: d.attempts,
    message: d.message,
    createdAt: d.createdAt.toISOString(),
  };
}

/** A commit status sent to the team's forge (EX16). */
export const commitStatusDelivery = z.object({
  id: z.uuid(),
  repositoryId: z.uuid(),
  runId: z.string().nullable(),
  forge: z.enum(['gitlab', 'github']),
  target: z.string().describe('Status API and project the status was posted to'),
  commitSha: z.string(),
  state: z.string(),
  delivered: z.boolean(),
  httpStatus: z.number().nullable(),
  message: z.string().nullable(),
  createdAt: z.string(),
});
export const commitStatusDeliveryPage = pageSchema(commitStatusDelivery);

export function presentCommitStatusDelivery(
  d: typeof commitStatusDeliveries.$inferSelect,
): z.infer<typeof commitStatusDelivery> {
  return {
    id: d.id,
    repositoryId: d.repositoryId,
    runId: d.runId,
    forge: d.forge,
    target: d.target,
    commitSha: d.commitSha,
    state: d.state,
    delivered: d.delivered,
    httpStatus: d.httpStatus,
    message: d.message,
    createdAt: d.createdAt.toISOString(),
  };
}
