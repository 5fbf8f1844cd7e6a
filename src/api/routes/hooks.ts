// Push webhooks of the teams' forges: POST /api/v1/hooks/gitlab/{repositoryId} and /hooks/github/{repositoryId}.
// The exact bytes received are verified (GitLab secret token, GitHub HMAC-SHA256) against the repository's own
// secret before anything else; bad signature → 401, bad payload → 400, replayed delivery → 409, and nothing is
// queued then. A push to a branch queues a run on the pushed commit.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { repositories, repositoryChainSettings } from '../../db/schema.ts';
import { databaseDeliveryLog } from '../../chain/inbound-deliveries.ts';
import { auditRunStarted } from '../../audit/run-events.ts';
import { receivePushWebhook, type Forge } from '../../integrations/webhooks/inbound.ts';
import { Problem, type ProblemType } from '../../errors.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const maxBodyBytes = 1024 * 1024;
const statusToProblem: Record<number, ProblemType> = { 400: 'validation', 401: 'unauthenticated', 409: 'conflict', 413: 'payloadTooLarge' };

export default async function hookRoutes(app: App, services: Services): Promise<void> {
  // The signature covers the raw body: keep it as bytes, whatever the content type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBodyBytes }, (_request, body, done) => done(null, body));
  const deliveries = databaseDeliveryLog(services.db);
  const runtime = services.chain;

  for (const forge of ['gitlab', 'github'] as const satisfies Forge[]) {
    app.post(
      `/hooks/${forge}/:repositoryId`,
      {
        schema: {
          tags: ['hooks'],
          summary: `Push webhook of ${forge === 'gitlab' ? 'GitLab (X-Gitlab-Token)' : 'GitHub (X-Hub-Signature-256)'}: queues a run on the pushed commit`,
          params: z.strictObject({ repositoryId: z.uuid() }),
          security: [],
        },
      },
      async (request, reply) => {
        const [repository] = await services.db
          .select()
          .from(repositories)
          .where(eq(repositories.id, request.params.repositoryId))
          .limit(1);
        const [settings] = repository
          ? await services.db
              .select()
              .from(repositoryChainSettings)
              .where(eq(repositoryChainSettings.repositoryId, repository.id))
              .limit(1)
          : [];
        // Unknown repository and repository without a secret look the same as a bad signature: no existence oracle.
        const secret = settings?.webhookSecretSealed ? services.secretBox.open(settings.webhookSecretSealed) : '';
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const outcome = await receivePushWebhook({
          forge,
          headers: request.headers,
          rawBody,
          secret,
          deliveries,
          maxBodyBytes,
          now: services.now(),
        });
        if (outcome.kind === 'refused') {
          throw new Problem(statusToProblem[outcome.status] ?? 'validation', outcome.message, undefined, { reason: outcome.reason, detailFr: outcome.message.fr });
        }
        if (outcome.kind === 'ignored' || !repository) return reply.code(200).send({ accepted: false, reason: outcome.kind === 'ignored' ? outcome.reason : 'unknown' });
        const event = outcome.event;
        if (event.deleted) return reply.code(200).send({ accepted: false, reason: 'ref deleted' });
        const run = await runtime.trigger({ projectId: repository.projectId, repositoryId: repository.id, trigger: 'webhook', ref: event.ref, revision: event.after, requestedBy: `${forge}:${event.deliveryId.slice(0, 100)}` });
        await auditRunStarted(services.db, 'forge', request.id, { ...run, revision: run.requestedRevision });
        return reply.code(202).send({ accepted: true, runId: run.id });
      },
    );
  }
}
