// checkout: export the asked revision of the mirror into the run's own folder (bounded: a hostile repository
// cannot fill the disk), and read its .dso.yml. Later steps call `ensureTree` so that a run resumed after a
// crash gets its tree back without repeating finished steps.
import { lstat, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { note, type StepNote } from '../step-notes.ts';
import path from 'node:path';
import { checkout } from '../../integrations/git/checkout.ts';
import { DSO_YML_MAX_BYTES, parseDsoYml, type DsoConfig } from '../dso-yml.ts';
import { refreshMirror } from '../mirror-copy.ts';
import { branchOf, syncStep } from './sync.ts';
import type { Step, StepContext } from './context.ts';

export const checkoutLimits = { maxBytes: 512 * 1024 ** 2, maxFiles: 150_000, maxFileBytes: 100 * 1024 ** 2 };

export function treeDir(ctx: Pick<StepContext, 'workDir'>): string {
  return path.join(ctx.workDir, 'tree');
}

function revisionOf(ctx: StepContext): string {
  if (ctx.run.commitSha) return ctx.run.commitSha;
  if (ctx.run.requestedRevision) return ctx.run.requestedRevision;
  const branch = branchOf(ctx.run.ref);
  if (branch) return `refs/heads/${branch}`;
  if (ctx.run.ref?.startsWith('refs/tags/')) return ctx.run.ref;
  // No branch chosen and the remote named none: the mirror's HEAD (set at sync to a branch that exists).
  return ctx.repository.defaultBranch ? `refs/heads/${ctx.repository.defaultBranch}` : 'HEAD';
}

/** Checks the revision out unless this run's tree is already complete. */
export async function ensureTree(
  ctx: StepContext,
): Promise<{ ok: true; commit: string } | { ok: false; note: StepNote; retryable: boolean }> {
  const dir = treeDir(ctx);
  const marker = path.join(ctx.workDir, 'tree.done');
  try {
    const commit = (await readFile(marker, 'utf8')).trim();
    await stat(dir);
    return { ok: true, commit };
  } catch {
    // not there (first time, or the folder was lost with a crashed process)
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(ctx.workDir, { recursive: true });
  // The run may have moved to a replica that never mirrored this repository (crash, rolling upgrade): the mirror
  // comes back from its durable copy, or from the team's repository when there is none.
  if (!(await refreshMirror(ctx.services, ctx.mirrorDir))) {
    ctx.log(
      'Miroir absent sur cette instance : nouvelle synchronisation depuis le dépôt de l’équipe (mirror missing on this replica: syncing again)',
    );
    const synced = await syncStep(ctx);
    if (synced.status === 'failed') return { ok: false, note: synced.note, retryable: synced.retryable ?? false };
  }
  const result = await checkout(ctx.mirrorDir, revisionOf(ctx), dir, checkoutLimits);
  if (!result.ok) {
    if (result.failure.detail) ctx.log(result.failure.detail);
    return { ok: false, note: note('checkout.failed', result.failure.message), retryable: false };
  }
  await writeFile(marker, result.value.commit);
  ctx.log(
    `Révision ${result.value.commit} extraite : ${result.value.files} fichiers, ${result.value.bytes} octets${result.value.symlinks ? `, ${result.value.symlinks} liens symboliques (jamais suivis)` : ''}`,
  );
  return { ok: true, commit: result.value.commit };
}

/** .dso.yml as a plain file at the root only (a link could point anywhere). */
async function readDsoYml(root: string): Promise<string | null | { tooLarge: true }> {
  const file = path.join(root, '.dso.yml');
  try {
    const info = await lstat(file);
    if (!info.isFile()) return null;
    if (info.size > DSO_YML_MAX_BYTES) return { tooLarge: true };
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

export const checkoutStep: Step = async (ctx) => {
  const tree = await ensureTree(ctx);
  if (!tree.ok) return { status: 'failed', note: tree.note, fatal: true, retryable: tree.retryable };
  if (ctx.run.commitSha !== tree.commit) await ctx.updateRun({ commitSha: tree.commit });
  const text = await readDsoYml(treeDir(ctx));
  let dso: DsoConfig | undefined;
  const problems: string[] = [];
  if (text !== null && typeof text === 'object') {
    problems.push(`.dso.yml dépasse ${DSO_YML_MAX_BYTES} octets`);
  } else if (text !== null) {
    const parsed = parseDsoYml(text);
    for (const w of parsed.warnings) ctx.log(`.dso.yml (${w.path}) : ${w.fr}`);
    if (parsed.ok) dso = parsed.config;
    else for (const e of parsed.errors) problems.push(`${e.path} : ${e.fr}`);
  }
  for (const p of problems) ctx.log(`.dso.yml invalide — ${p}`);
  return { status: 'succeeded', result: { commit: tree.commit, dso: dso ?? null, dsoErrors: problems } };
};
