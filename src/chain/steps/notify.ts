// notify: the verdict goes back where the team works (shift-left) — its notification webhooks (signed, retried
// with backoff, every delivery logged), a commit status on GitLab/GitHub when the repository has a status token,
// and an e-mail to the project's members when SMTP is configured. A notification problem never changes the
// verdict; it is logged and visible in the delivery log.
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { members, notificationDeliveries, notificationWebhooks, repositoryChainSettings, users } from '../../db/schema.ts';
import type { RunStatus } from '../../db/schema.ts';
import { GitHubStatusClient, GitLabStatusClient, type CommitState, type CommitStatusClient } from '../../integrations/webhooks/commit-status.ts';
import { sendNotification } from '../../integrations/webhooks/outgoing.ts';
import { endpointUrlPolicy } from '../remote-access.ts';
import type { Step, StepContext } from './context.ts';

export const runFinishedEvent = 'run.finished';

export function runPayload(ctx: Pick<StepContext, 'run' | 'repository' | 'project' | 'services'>, status: RunStatus) {
  const base = ctx.services.config.publicUrl;
  return {
    run: {
      id: ctx.run.id,
      status,
      trigger: ctx.run.trigger,
      ref: ctx.run.ref,
      commitSha: ctx.run.commitSha,
      imageDigest: ctx.run.imageDigest,
      verdict: ctx.run.verdict,
      message: ctx.run.message,
      url: `${base}/api/v1/runs/${ctx.run.id}`,
    },
    project: { id: ctx.project.id, slug: ctx.project.slug },
    repository: { id: ctx.repository.id, name: ctx.repository.name },
  };
}

const commitStates: Record<RunStatus, CommitState> = { queued: 'pending', running: 'running', certified: 'success', rejected: 'failure', failed: 'error', cancelled: 'canceled' };

export async function notifyWebhooks(ctx: StepContext, status: RunStatus): Promise<{ delivered: number; failed: number }> {
  const hooks = await ctx.services.db.select().from(notificationWebhooks).where(and(eq(notificationWebhooks.projectId, ctx.project.id), eq(notificationWebhooks.active, true)));
  let delivered = 0;
  let failed = 0;
  const payload = runPayload(ctx, status);
  await Promise.all(
    hooks
      .filter((h) => h.events.length === 0 || h.events.includes(runFinishedEvent))
      .map(async (hook) => {
        const report = await sendNotification({
          url: hook.url,
          secret: ctx.services.secretBox.open(hook.secretSealed),
          event: runFinishedEvent,
          payload,
          maxAttempts: 4,
          baseDelayMs: 500,
          maxDelayMs: 8000,
          timeoutMs: 10_000,
          urlPolicy: endpointUrlPolicy(ctx.services.config),
        });
        await ctx.services.db.insert(notificationDeliveries).values({
          webhookId: hook.id,
          runId: ctx.run.id,
          event: runFinishedEvent,
          delivered: report.delivered,
          attempts: report.attempts,
          message: report.message?.fr ?? null,
        });
        if (report.delivered) delivered++;
        else failed++;
        ctx.log(`Webhook ${hook.url.slice(0, 200)} : ${report.delivered ? 'livré' : `non livré (${report.message?.fr ?? 'échec'})`} après ${report.attempts.length} tentative(s)`);
      }),
  );
  return { delivered, failed };
}

async function setCommitStatus(ctx: StepContext, status: RunStatus): Promise<string | undefined> {
  const [settings] = await ctx.services.db.select().from(repositoryChainSettings).where(eq(repositoryChainSettings.repositoryId, ctx.repository.id)).limit(1);
  if (!settings?.statusForge || !settings.statusTokenSealed || !settings.statusApiUrl || !settings.statusProject || !ctx.run.commitSha) return undefined;
  const options = { token: ctx.services.secretBox.open(settings.statusTokenSealed), urlPolicy: endpointUrlPolicy(ctx.services.config), timeoutMs: 10_000 };
  let client: CommitStatusClient;
  if (settings.statusForge === 'gitlab') client = new GitLabStatusClient(settings.statusApiUrl, settings.statusProject, options);
  else {
    const [owner, repo] = settings.statusProject.split('/');
    if (!owner || !repo) return 'projet GitHub invalide (owner/repo attendu)';
    client = new GitHubStatusClient(settings.statusApiUrl, owner, repo, options);
  }
  const result = await client.setStatus({
    sha: ctx.run.commitSha,
    state: commitStates[status],
    context: 'dso/chain',
    description: status === 'certified' ? 'Révision certifiée par DSO π' : status === 'rejected' ? 'Révision refusée par la barrière DSO π' : `Chaîne DSO π : ${status}`,
    targetUrl: `${ctx.services.config.publicUrl}/api/v1/runs/${ctx.run.id}`,
    ...(ctx.run.ref ? { ref: ctx.run.ref.replace(/^refs\/(heads|tags)\//, '') } : {}),
  });
  return result.ok ? `statut de commit envoyé (${settings.statusForge})` : `statut de commit refusé : ${result.message.fr}`;
}

async function sendEmail(ctx: StepContext, status: RunStatus): Promise<string | undefined> {
  const smtpUrl = ctx.services.config.chain.smtpUrl;
  if (!smtpUrl) return undefined;
  const recipients = await ctx.services.db
    .select({ email: users.email })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(and(eq(members.projectId, ctx.project.id), inArray(members.role, ['owner', 'devops']), isNotNull(users.email)))
    .limit(50);
  const to = recipients.map((r) => r.email).filter((e): e is string => !!e);
  if (to.length === 0) return 'pas de destinataire pour le courriel';
  const { createTransport } = await import('nodemailer');
  const transport = createTransport(smtpUrl);
  const payload = runPayload(ctx, status);
  const verdict = status === 'certified' ? 'certifiée' : status === 'rejected' ? 'refusée' : status;
  await transport.sendMail({
    from: ctx.services.config.chain.smtpFrom,
    to,
    subject: `[DSO π] ${ctx.project.slug}/${ctx.repository.name} ${ctx.run.commitSha?.slice(0, 12) ?? ''} : ${verdict}`,
    text: [
      `Révision ${ctx.run.commitSha ?? '?'} du dépôt ${ctx.repository.name} (projet ${ctx.project.slug}) : ${verdict}.`,
      ...(ctx.run.verdict?.reasons.filter((r) => r.blocking).map((r) => `- ${r.message}`) ?? []),
      ctx.run.message ?? '',
      `Détails : ${payload.run.url}`,
    ].join('\n'),
  });
  transport.close();
  return `courriel envoyé à ${to.length} destinataire(s)`;
}

/** Runs with the final status the run is about to take; failures are logged, never thrown. */
export function notifyStepFor(status: RunStatus): Step {
  return async (ctx) => {
    const notes: string[] = [];
    const hooks = await notifyWebhooks(ctx, status).catch((e: Error) => (notes.push(`webhooks : ${e.message}`), { delivered: 0, failed: 0 }));
    for (const task of [setCommitStatus, sendEmail]) {
      try {
        const note = await task(ctx, status);
        if (note) notes.push(note);
      } catch (error) {
        notes.push(`notification impossible : ${(error as Error).message.slice(0, 200)}`);
      }
    }
    for (const n of notes) ctx.log(n);
    return { status: 'succeeded', message: `${hooks.delivered} webhook(s) livré(s), ${hooks.failed} en échec`, result: { ...hooks, notes } };
  };
}
