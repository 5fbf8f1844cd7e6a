// sync: fetch the team's repository into the internal mirror (all branches, or the one asked for). Every
// received revision stays reachable there even if the team force-pushes later.
import { and, eq, isNull } from 'drizzle-orm';
import { note } from '../step-notes.ts';
import { repositories } from '../../db/schema.ts';
import { recordHostedHeads, syncMirror } from '../../integrations/git/mirror.ts';
import { isValidBranchName } from '../../integrations/git/mirror.ts';
import { changeMirror } from '../mirror-copy.ts';
import { openRepositoryCredentials } from '../remote-access.ts';
import { currentRepositoryUrlPolicy } from '../url-allow-list.ts';
import type { Step } from './context.ts';

export function branchOf(ref: string | null): string | undefined {
  if (!ref) return undefined;
  const name = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref.startsWith('refs/') ? undefined : ref;
  return name && isValidBranchName(name) ? name : undefined;
}

/** The branch was left to the remote's choice: keep what it said, so people see (and may change) it. */
async function rememberDefaultBranch(ctx: Parameters<Step>[0], branch: string | undefined): Promise<void> {
  if (!branch || ctx.repository.defaultBranch !== null) return;
  await ctx.services.db
    .update(repositories)
    .set({ defaultBranch: branch })
    .where(and(eq(repositories.id, ctx.repository.id), isNull(repositories.defaultBranch)));
  ctx.repository.defaultBranch = branch;
  ctx.log(`Branche par défaut du dépôt : ${branch} (celle du dépôt distant)`);
}

export const syncStep: Step = async (ctx) => {
  if (ctx.repository.source === 'hosted' || ctx.repository.externalUrl === null) {
    ctx.log(`Dépôt hébergé par la plateforme : les révisions poussées sont déjà dans le miroir`);
    const recorded = await changeMirror(ctx.services, ctx.mirrorDir, () => recordHostedHeads(ctx.mirrorDir));
    if (!recorded.ok) return { status: 'failed', note: note('sync.failed', recorded.failure.message), fatal: true, retryable: recorded.failure.retryable, result: { kind: recorded.failure.kind, en: recorded.failure.message.en } };
    const heads = recorded.value.heads;
    if (Object.keys(heads).length === 0) {
      return { status: 'failed', note: note('sync.hosted-empty'), fatal: true, retryable: false, result: { kind: 'empty', en: 'The hosted repository is empty: push a branch (git push) before running the chain.' } };
    }
    await rememberDefaultBranch(ctx, branchOf(ctx.run.ref) ?? recorded.value.head);
    ctx.log(`Branches reçues : ${Object.entries(heads).slice(0, 20).map(([b, sha]) => `${b}=${sha.slice(0, 12)}`).join(', ')}`);
    return { status: 'succeeded', result: { heads: Object.keys(heads).length <= 50 ? heads : {}, newlyReceived: recorded.value.newlyReceived.length } };
  }
  const externalUrl = ctx.repository.externalUrl;
  const { credentials } = openRepositoryCredentials(ctx.repository.credentialsEncrypted, ctx.services.secretBox);
  // A revision asked for explicitly may live on any branch: fetch them all then.
  const branch = ctx.run.requestedRevision
    ? undefined
    : (branchOf(ctx.run.ref) ?? (ctx.run.ref ? undefined : (ctx.repository.defaultBranch ?? undefined)));
  ctx.log(`Synchronisation du miroir depuis ${externalUrl}${branch ? ` (branche ${branch})` : ' (toutes les branches)'}`);
  const policy = await currentRepositoryUrlPolicy(ctx.services);
  const synced = await changeMirror(ctx.services, ctx.mirrorDir, () =>
    syncMirror(ctx.mirrorDir, {
      url: externalUrl,
      ...(credentials ? { credentials } : {}),
      ...(branch ? { branch } : {}),
      policy,
      timeoutMs: 10 * 60 * 1000,
    }),
  );
  if (!synced.ok) {
    if (synced.failure.detail) ctx.log(synced.failure.detail);
    return { status: 'failed', note: note('sync.failed', synced.failure.message), fatal: true, retryable: synced.failure.retryable, result: { kind: synced.failure.kind, en: synced.failure.message.en } };
  }
  await rememberDefaultBranch(ctx, synced.value.remoteHead);
  const heads = synced.value.heads;
  ctx.log(`Branches reçues : ${Object.entries(heads).slice(0, 20).map(([b, sha]) => `${b}=${sha.slice(0, 12)}`).join(', ') || '(aucune)'}`);
  return { status: 'succeeded', result: { heads: Object.keys(heads).length <= 50 ? heads : {}, newlyReceived: synced.value.newlyReceived.length } };
};
