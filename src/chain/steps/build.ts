// build: the image from the repository's Dockerfile (or the one .dso.yml names) with buildah, rootless-style
// (chroot isolation, vfs storage), into the run's folder; publish pushes it. No buildah: "skipped: no image
// builder", and the gate decides whether that is acceptable (DSO_CHAIN_REQUIRE_IMAGE). Once built, the image is
// started in the sandbox to measure its start-up and graceful stop (EX51, EX50: sandbox/start-image.ts).
import { lstat, rm } from 'node:fs/promises';
import path from 'node:path';
import { buildImage } from '../../integrations/builder/buildah.ts';
import type { DsoConfig } from '../dso-yml.ts';
import { ensureTree, treeDir } from './checkout.ts';
import type { Step, StepContext } from './context.ts';
import { saveArtifact } from '../artifacts.ts';
import { startImage, type RuntimeMeasurement } from '../sandbox/start-image.ts';

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
  const runtime = await measureStartAndStop(ctx, built.digest, dso?.image?.readiness);
  return { status: 'succeeded', message: `image construite en ${built.durationMs} ms ; ${runtimeSummary(runtime)}`, result: { builtDigest: built.digest, runtime: runtime.status } };
};

/**
 * Starts the image just built in the sandbox and measures time to ready and SIGTERM to exit (EX51, EX50), stored
 * as the run's `runtime` artifact. A measure never fails the build: what prevented it is stored as its reason.
 */
async function measureStartAndStop(ctx: StepContext, digest: string, readiness: { port: number; path?: string } | undefined): Promise<RuntimeMeasurement> {
  const policy = ctx.services.config.conformity;
  const measurement: RuntimeMeasurement =
    ctx.services.config.chain.sandbox.mode === 'bubblewrap'
      ? await startImage({
          imageDir: imageDir(ctx),
          imageDigest: digest,
          ...(readiness ? { readiness } : {}),
          // The thresholds plus a margin: enough to tell "slower than allowed" from "never".
          startWaitMs: Math.min(policy.startMaxSeconds + 5, 600) * 1000,
          stopWaitMs: Math.min(policy.stopMaxSeconds + 5, 600) * 1000,
          signal: ctx.signal,
        })
      : { imageDigest: digest, measuredAt: new Date().toISOString(), status: 'not-started', reason: { code: 'no-sandbox', message: { fr: "Sans bac à sable (DSO_SANDBOX=none), l'image n'est pas démarrée par la chaîne.", en: 'Without a sandbox (DSO_SANDBOX=none), the chain does not start the image.' } } };
  if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('aborted');
  if (measurement.output) ctx.log(`sortie de l'image démarrée :\n${measurement.output.slice(-4000)}`);
  ctx.log(runtimeSummary(measurement));
  const { output: _output, ...stored } = measurement;
  await saveArtifact(ctx.services.db, ctx.run.id, 'runtime', 'application/json', `${JSON.stringify(stored, null, 2)}\n`, { name: 'dso-start-image', version: '1' });
  return measurement;
}

function runtimeSummary(m: RuntimeMeasurement): string {
  if (m.status === 'not-started') return `image non démarrée : ${m.reason?.message.fr ?? 'raison inconnue'}`;
  const ready = m.probe === undefined ? 'aucun port à sonder' : m.readyMs !== undefined ? `prête en ${m.readyMs} ms (port ${m.probe.port}${m.probe.path ?? ''})` : `pas prête après ${m.startWaitMs} ms`;
  if (m.exitedEarly) return `${ready} ; l'image s'est arrêtée d'elle-même après ${m.exitedEarly.afterMs} ms (code ${m.exitedEarly.exitCode ?? '?'})`;
  const stop = m.stop ? (m.stop.killed ? `toujours active ${m.stop.stopWaitMs} ms après SIGTERM, tuée` : `arrêtée ${m.stop.afterMs} ms après SIGTERM (code ${m.stop.exitCode ?? '?'})`) : 'arrêt non mesuré';
  return `image démarrée : ${ready} ; ${stop}`;
}
