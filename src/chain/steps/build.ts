// build: the image from the repository's Dockerfile (or the one .dso.yml names) with buildah, rootless-style
// (chroot isolation, vfs storage), into the run's folder; publish pushes it. No buildah: "skipped: no image
// builder", and the gate decides whether that is acceptable (DSO_CHAIN_REQUIRE_IMAGE).
import { lstat, rm } from 'node:fs/promises';
import path from 'node:path';
import { buildImage } from '../../integrations/builder/buildah.ts';
import type { DsoConfig } from '../dso-yml.ts';
import { ensureTree, treeDir } from './checkout.ts';
import type { Step, StepContext } from './context.ts';

export function imageDir(ctx: Pick<StepContext, 'workDir'>): string {
  return path.join(ctx.workDir, 'image');
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await lstat(file)).isFile();
  } catch {
    return false;
  }
}

export const buildStep: Step = async (ctx) => {
  const dso = ctx.results.checkout?.dso as DsoConfig | null | undefined;
  const tree = await ensureTree(ctx);
  if (!tree.ok) return { status: 'failed', message: tree.message, fatal: true, retryable: tree.retryable };
  const image = dso?.image ?? ((await isFile(path.join(treeDir(ctx), 'Dockerfile'))) ? { file: 'Dockerfile', context: '.' } : undefined);
  if (!image) return { status: 'skipped', message: 'aucune image à construire (pas de Dockerfile ni de section image dans .dso.yml)', result: { reason: 'no-image' } };
  await rm(imageDir(ctx), { recursive: true, force: true });
  const built = await buildImage({ root: treeDir(ctx), context: image.context, file: image.file, destination: { kind: 'oci-dir', path: imageDir(ctx), tag: 'build' }, timeoutMs: 30 * 60 * 1000, signal: ctx.signal, sandbox: ctx.services.config.chain.sandbox.mode });
  if ('skipped' in built) {
    ctx.log('skipped: no image builder (buildah absent sur cette plateforme)');
    return { status: 'skipped', message: 'skipped: no image builder', result: { reason: 'no-image-builder' } };
  }
  if (built.log) ctx.log(built.log);
  // Stopped because the run was cancelled or the platform stops: not a build failure, the executor decides.
  if (!built.ok && built.aborted) throw ctx.signal.reason ?? new Error('aborted');
  if (!built.ok) return { status: 'failed', message: built.message.fr, fatal: false, result: { reason: 'build-failed' } };
  return { status: 'succeeded', message: `image construite en ${built.durationMs} ms`, result: { builtDigest: built.digest } };
};
