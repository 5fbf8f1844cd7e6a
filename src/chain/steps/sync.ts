// sync: fetch the team's repository into the internal mirror (all branches, or the one asked for). Every
// received revision stays reachable there even if the team force-pushes later.
import { syncMirror } from '../../integrations/git/mirror.ts';
import { isValidBranchName } from '../../integrations/git/mirror.ts';
import { changeMirror } from '../mirror-copy.ts';
import { openRepositoryCredentials, repositoryUrlPolicy } from '../remote-access.ts';
import type { Step } from './context.ts';

export function branchOf(ref: string | null): string | undefined {
  if (!ref) return undefined;
  const name = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref.startsWith('refs/') ? undefined : ref;
  return name && isValidBranchName(name) ? name : undefined;
}

export const syncStep: Step = async (ctx) => {
  const { credentials } = openRepositoryCredentials(ctx.repository.credentialsEncrypted, ctx.services.secretBox);
  // A revision asked for explicitly may live on any branch: fetch them all then.
  const branch = ctx.run.requestedRevision ? undefined : (branchOf(ctx.run.ref) ?? (ctx.run.ref ? undefined : ctx.repository.defaultBranch));
  ctx.log(`Synchronisation du miroir depuis ${ctx.repository.externalUrl}${branch ? ` (branche ${branch})` : ' (toutes les branches)'}`);
  const synced = await changeMirror(ctx.services, ctx.mirrorDir, () =>
    syncMirror(ctx.mirrorDir, {
      url: ctx.repository.externalUrl,
      ...(credentials ? { credentials } : {}),
      ...(branch ? { branch } : {}),
      policy: repositoryUrlPolicy(ctx.services.config),
      timeoutMs: 10 * 60 * 1000,
    }),
  );
  if (!synced.ok) {
    if (synced.failure.detail) ctx.log(synced.failure.detail);
    return { status: 'failed', message: synced.failure.message.fr, fatal: true, retryable: synced.failure.retryable, result: { kind: synced.failure.kind, en: synced.failure.message.en } };
  }
  const heads = synced.value.heads;
  ctx.log(`Branches reçues : ${Object.entries(heads).slice(0, 20).map(([b, sha]) => `${b}=${sha.slice(0, 12)}`).join(', ') || '(aucune)'}`);
  return { status: 'succeeded', result: { heads: Object.keys(heads).length <= 50 ? heads : {}, newlyReceived: synced.value.newlyReceived.length } };
};
