// notify: the verdict goes back where the team works (shift-left) — its notification webhooks (signed, retried
// with backoff, every delivery logged), a commit status on GitLab/GitHub when the repository has a status token,
// and an e-mail to the project's members when SMTP is configured. A notification problem never changes the
// verdict; it is logged and visible in the delivery log.
import { and, asc, eq, isNotNull } from 'drizzle-orm';
import type { LocalisedText } from '../../errors.ts';
import { note } from '../step-notes.ts';
import { rolePermissions } from '../../db/role-permissions.ts';
import type { Db } from '../../db/client.ts';
import { commitStatusDeliveries, members, notificationDeliveries, notificationWebhooks, repositoryChainSettings, users } from '../../db/schema.ts';
import type { RunStatus } from '../../db/schema.ts';
import { GitHubStatusClient, GitLabStatusClient, type CommitState, type CommitStatusClient } from '../../integrations/webhooks/commit-status.ts';
import { sendNotification } from '../../integrations/webhooks/outgoing.ts';
import { currentEndpointUrlPolicy } from '../url-allow-list.ts';
import { verdictReasonText } from '../verdict.ts';
import { outcomeMark } from '../../checks/format/messages.ts';
import type { ProjectPermission } from '../../domain/permissions.ts';
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

export async function notifyWebhooks(
  ctx: StepContext,
  status: RunStatus,
): Promise<{ delivered: number; failed: number }> {
  const hooks = await ctx.services.db
    .select()
    .from(notificationWebhooks)
    .where(and(eq(notificationWebhooks.projectId, ctx.project.id), eq(notificationWebhooks.active, true)));
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
          urlPolicy: await currentEndpointUrlPolicy(ctx.services),
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
        ctx.log(
          `Webhook ${hook.url.slice(0, 200)} : ${report.delivered ? 'livré' : `non livré (${report.message?.fr ?? 'échec'})`} après ${report.attempts.length} tentative(s)`,
        );
      }),
  );
  return { delivered, failed };
}

async function setCommitStatus(ctx: StepContext, status: RunStatus): Promise<string | undefined> {
  const [settings] = await ctx.services.db
    .select()
    .from(repositoryChainSettings)
    .where(eq(repositoryChainSettings.repositoryId, ctx.repository.id))
    .limit(1);
  if (
    !settings?.statusForge ||
    !settings.statusTokenSealed ||
    !settings.statusApiUrl ||
    !settings.statusProject ||
    !ctx.run.commitSha
  )
    return undefined;
  const options = {
    token: ctx.services.secretBox.open(settings.statusTokenSealed),
    urlPolicy: await currentEndpointUrlPolicy(ctx.services),
    timeoutMs: 10_000,
  };
  let client: CommitStatusClient;
  if (settings.statusForge === 'gitlab') client = new GitLabStatusClient(settings.statusApiUrl, settings.statusProject, options);
  else {
    const [owner, repo] = settings.statusProject.split('/');
    if (!owner || !repo) return 'projet GitHub invalide (owner/repo attendu)';
    client = new GitHubStatusClient(settings.statusApiUrl, owner, repo, options);
  }
  const state = commitStates[status];
  const result = await client.setStatus({
    sha: ctx.run.commitSha,
    state,
    context: 'dso/chain',
    description: status === 'certified' ? 'Révision certifiée par DSO π' : status === 'rejected' ? 'Révision refusée par la barrière DSO π' : `Chaîne DSO π : ${status}`,
    targetUrl: `${ctx.services.config.publicUrl}/api/v1/runs/${ctx.run.id}`,
    ...(ctx.run.ref ? { ref: ctx.run.ref.replace(/^refs\/(heads|tags)\//, '') } : {}),
  });
  // Every delivery is kept, delivered or not: EX16 is judged from what really reached the forge.
  await ctx.services.db.insert(commitStatusDeliveries).values({
    projectId: ctx.project.id,
    repositoryId: ctx.repository.id,
    runId: ctx.run.id,
    forge: settings.statusForge,
    target: `${settings.statusApiUrl.replace(/\/+$/, '')} ${settings.statusProject}`.slice(0, 500),
    commitSha: ctx.run.commitSha,
    state,
    delivered: result.ok,
    httpStatus: result.status ?? null,
    message: result.ok ? null : result.message.fr.slice(0, 500),
  });
  return result.ok ? `statut de commit envoyé (${settings.statusForge})` : `statut de commit refusé : ${result.message.fr}`;
}

// E-mail: one message per verdict to the people who act on it. What they read is French, then English below it
// (the product keeps no per-user language). The SMTP credentials live in DSO_SMTP_URL: they are scrubbed from
// everything this step stores or logs, and a mail server that is down or slow delays the run by seconds, never
// changes its verdict.

/** Members whose role lets them start runs (owner, devops, developer, or a project role with it) get the e-mail. */
const emailPermission: ProjectPermission = 'runs.start';
const maxRecipients = 50;
const emailAttempts = 3;
const emailRetryDelayMs = [1000, 3000];

/** Active human members with an e-mail address whose role lets them act on a verdict, sorted, without duplicates. */
export async function emailRecipients(db: Db, projectId: string): Promise<string[]> {
  const rows = await db
    .select({ email: users.email, role: members.role })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(and(eq(members.projectId, projectId), eq(users.kind, 'human'), eq(users.disabled, false), isNotNull(users.email)))
    .orderBy(asc(users.email));
  const allowed = new Map<string, boolean>();
  const to: string[] = [];
  for (const row of rows) {
    if (!allowed.has(row.role))
      allowed.set(row.role, (await rolePermissions(db, projectId, row.role))?.includes(emailPermission) ?? false);
    const email = row.email?.trim();
    if (allowed.get(row.role) && email && !to.includes(email)) to.push(email);
  }
  return to.slice(0, maxRecipients);
}

/** Where a person sees the run in the console (the web route `/projects/:projectId/runs/:runId`). */
export function runConsoleUrl(publicUrl: string, projectId: string, runId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/projects/${projectId}/runs/${runId}`;
}

const verdictSentence: Record<RunStatus, { fr: string; en: string }> = {
  certified: { fr: 'est certifiée par DSO π', en: 'was certified by DSO π' },
  rejected: { fr: 'est refusée par la barrière de DSO π', en: 'was refused by the DSO π gate' },
  failed: { fr: "n'a pas pu être vérifiée", en: 'could not be checked' },
  cancelled: { fr: 'a été annulée', en: 'was cancelled' },
  queued: { fr: 'est en attente', en: 'is queued' },
  running: { fr: 'est en cours de vérification', en: 'is being checked' },
};
const verdictWord: Record<RunStatus, string> = { certified: 'certifiée', rejected: 'refusée', failed: 'en échec', cancelled: 'annulée', queued: 'en attente', running: 'en cours' };

/** Subject and text of a run's e-mail: what happened, why (blocking reasons first), and the link to the run. */
export function runEmail(ctx: Pick<StepContext, 'run' | 'repository' | 'project' | 'services'>, status: RunStatus): { subject: string; text: string } {
  const { run, repository, project } = ctx;
  const revision = run.commitSha?.slice(0, 12) ?? '?';
  const branch = run.ref ? run.ref.replace(/^refs\/(heads|tags)\//, '') : undefined;
  const url = runConsoleUrl(ctx.services.config.publicUrl, project.id, run.id);
  const reasons = [...(run.verdict?.reasons ?? [])].sort((a, b) => Number(b.blocking) - Number(a.blocking));
  const where = { fr: `du dépôt ${repository.name} (projet ${project.slug}${branch ? `, ${branch}` : ''})`, en: `of repository ${repository.name} (project ${project.slug}${branch ? `, ${branch}` : ''})` };
  const fr = [
    'Bonjour,',
    '',
    `La révision ${revision} ${where.fr} ${verdictSentence[status].fr}.`,
    ...(run.message ? ['', run.message] : []),
    ...(reasons.length > 0 ? ['', 'Pourquoi :', ...reasons.map((r) => `${outcomeMark(r)} ${verdictReasonText(r, 'fr')}`)] : []),
    '',
    `Voir l'exécution dans la console : ${url}`,
  ];
  const en = [
    `Revision ${revision} ${where.en} ${verdictSentence[status].en}.`,
    ...(reasons.length > 0 ? ['', 'Why:', ...reasons.map((r) => `${outcomeMark(r)} ${verdictReasonText(r, 'en')}`)] : []),
    '',
    `See the run in the console: ${url}`,
  ];
  return {
    subject: `[DSO π] ${project.slug}/${repository.name} : révision ${revision} ${verdictWord[status]}`,
    text: [...fr, '', '-- English version --', '', ...en, ''].join('\n'),
  };
}

/** The SMTP URL's password and user name, as written and decoded: never stored or logged. */
function smtpSecrets(smtpUrl: string): string[] {
  const found: string[] = [smtpUrl];
  try {
    const u = new URL(smtpUrl);
    for (const raw of [u.password, u.username]) {
      if (!raw) continue;
      found.push(raw);
      try {
        found.push(decodeURIComponent(raw));
      } catch {
        // Kept as written.
      }
    }
  } catch {
    // An unparseable URL is scrubbed whole.
  }
  return [...new Set(found.filter((s) => s.length >= 3))].sort((a, b) => b.length - a.length);
}

export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}

async function sendEmail(
  ctx: StepContext,
  status: RunStatus,
): Promise<{ note: LocalisedText; failed: boolean } | undefined> {
  const smtpUrl = ctx.services.config.chain.smtpUrl;
  if (!smtpUrl) return undefined;
  if (status === 'cancelled')
    return {
      note: { fr: 'courriel : non envoyé pour une exécution annulée', en: 'e-mail: not sent for a cancelled run' },
      failed: false,
    };
  const to = await emailRecipients(ctx.services.db, ctx.project.id);
  if (to.length === 0)
    return {
      note: {
        fr: 'courriel : aucun destinataire (membre avec une adresse et le droit de lancer une exécution)',
        en: 'e-mail: no recipient (a member with an address and the right to start a run)',
      },
      failed: false,
    };
  const secrets = smtpSecrets(smtpUrl);
  const { createTransport } = await import('nodemailer');
  // nodemailer waits up to 2 minutes for a connection by default; a mail server down must not hold the run.
  const transport = createTransport({
    url: smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  const { subject, text } = runEmail(ctx, status);
  let lastError = '';
  try {
    for (let attempt = 1; attempt <= emailAttempts; attempt++) {
      try {
        await transport.sendMail({
          from: ctx.services.config.chain.smtpFrom,
          to,
          subject,
          text,
          headers: { 'X-DSO-Run': ctx.run.id },
        });
        return {
          note: {
            fr: `courriel envoyé à ${to.length} destinataire(s)${attempt > 1 ? ` (essai ${attempt})` : ''}`,
            en: `e-mail sent to ${to.length} recipient(s)${attempt > 1 ? ` (attempt ${attempt})` : ''}`,
          },
          failed: false,
        };
      } catch (error) {
        lastError = scrubSecrets((error as Error).message, secrets).slice(0, 300);
        ctx.log(`Courriel : essai ${attempt} sur ${emailAttempts} en échec (${lastError})`);
        const delay = emailRetryDelayMs[attempt - 1];
        if (delay !== undefined && attempt < emailAttempts && !ctx.signal.aborted)
          await new Promise((r) => setTimeout(r, delay));
      }
    }
  } finally {
    transport.close();
  }
  return {
    note: {
      fr: `courriel non envoyé à ${to.length} destinataire(s) après ${emailAttempts} essais : ${lastError}`,
      en: `e-mail not sent to ${to.length} recipient(s) after ${emailAttempts} attempts: ${lastError}`,
    },
    failed: true,
  };
}

/**
 * Runs with the final status the run is about to take; failures are recorded (step failed, not fatal: the
 * verdict already taken stands), logged, never thrown.
 */
export function notifyStepFor(status: RunStatus): Step {
  return async (ctx) => {
    const notes: string[] = [];
    let failed = false;
    const hooks = await notifyWebhooks(ctx, status).catch((e: Error) => (notes.push(`webhooks : ${e.message}`), { delivered: 0, failed: 1 }));
    if (hooks.failed > 0) failed = true;
    const scrub = (text: string) =>
      ctx.services.config.chain.smtpUrl ? scrubSecrets(text, smtpSecrets(ctx.services.config.chain.smtpUrl)) : text;
    try {
      const note = await setCommitStatus(ctx, status);
      if (note) notes.push(note);
    } catch (error) {
      failed = true;
      notes.push(`statut de commit impossible : ${(error as Error).message.slice(0, 200)}`);
    }
    let email: LocalisedText | undefined;
    try {
      const sent = await sendEmail(ctx, status);
      if (sent) {
        email = sent.note;
        if (sent.failed) failed = true;
      }
    } catch (error) {
      failed = true;
      const why = scrub((error as Error).message).slice(0, 200);
      email = { fr: `courriel impossible : ${why}`, en: `e-mail impossible: ${why}` };
    }
    if (email) notes.push(email.fr);
    for (const n of notes) ctx.log(scrub(n));
    const summary = note('notify.summary', { delivered: hooks.delivered, failed: hooks.failed, ...(email ? { emailFr: scrub(email.fr), emailEn: scrub(email.en) } : {}) });
    const result = { ...hooks, notes: notes.map(scrub) };
    return failed ? { status: 'failed', fatal: false, note: summary, result } : { status: 'succeeded', note: summary, result };
  };
}
