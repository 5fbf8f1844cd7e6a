// build: the image from the repository's Dockerfile (or the one .dso.yml names) with buildah, rootless-style
// (chroot isolation, vfs storage), into the run's folder; publish pushes it. No buildah: "skipped: no image
// builder", and the gate decides whether that is acceptable (DSO_CHAIN_REQUIRE_IMAGE). Once built, the image is
// started in the sandbox to measure its start-up and graceful stop (EX51, EX50: sandbox/start-image.ts).
import { lstat, rm } from 'node:fs/promises';
import { note } from '../step-notes.ts';
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
  if (!tree.ok) return { status: 'failed', note: tree.note, fatal: true, retryable: tree.retryable };
  const image = dso?.image ?? ((await isFile(path.join(treeDir(ctx), 'Dockerfile'))) ? { file: 'Dockerfile', context: '.' } : undefined);
  if (!image) return { status: 'skipped', note: note('build.no-image'), result: { reason: 'no-image' } };
  await rm(imageDir(ctx), { recursive: true, force: true });
  const built = await buildImage({ root: treeDir(ctx), context: image.context, file: image.file, destination: { kind: 'oci-dir', path: imageDir(ctx), tag: 'build' }, timeoutMs: 30 * 60 * 1000, signal: ctx.signal, sandbox: ctx.services.config.chain.sandbox.mode });
  if ('skipped' in built) {
    ctx.log('skipped: no image builder (buildah absent sur cette plateforme)');
    return { status: 'skipped', note: note('build.no-builder'), result: { reason: 'no-image-builder' } };
  }
  if (built.log) ctx.log(built.log);
  // Stopped because the run was cancelled or the platform stops: not a build failure, the executor decides.
  if (!built.ok && built.aborted) throw ctx.signal.reason ?? new Error('aborted');
  if (!built.ok) return { status: 'failed', note: note('build.failed', built.message), fatal: false, result: { reason: 'build-failed' } };
  const runtime = await measureStartAndStop(ctx, built.digest, dso?.image?.readiness);
  const measured = runtimeSummary(runtime);
  return { status: 'succeeded', note: note('build.built', { ms: built.durationMs, runtimeFr: measured.fr, runtimeEn: measured.en }), result: { builtDigest: built.digest, runtime: runtime.status } };
};

/**
 * Starts the image just built in the sandbox and measures time to ready and SIGTERM to exit (EX51, EX50), stored
 * as the run's `runtime` artifact. A measure never fails the build: what prevented it is stored as its reason.
 */
async function measureStartAndStop(
  ctx: StepContext,
  digest: string,
  readiness: { port: number; path?: string } | undefined,
): Promise<RuntimeMeasurement> {
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
      : {
          imageDigest: digest,
          measuredAt: new Date().toISOString(),
          status: 'not-started',
          reason: {
            code: 'no-sandbox',
            message: {
              fr: "Sans bac à sable (DSO_SANDBOX=none), l'image n'est pas démarrée par la chaîne.",
              en: 'Without a sandbox (DSO_SANDBOX=none), the chain does not start the image.',
            },
          },
        };
  if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('aborted');
  if (measurement.output) ctx.log(`sortie de l'image démarrée :\n${measurement.output.slice(-4000)}`);
  ctx.log(runtimeSummary(measurement).fr);
  const { output: _output, ...stored } = measurement;
  await saveArtifact(
    ctx.services.db,
    ctx.run.id,
    'runtime',
    'application/json',
    `${JSON.stringify(stored, null, 2)}\n`,
    { name: 'dso-start-image', version: '1' },
  );
  return measurement;
}

function runtimeSummary(m: RuntimeMeasurement): { fr: string; en: string } {
  if (m.status === 'not-started') return { fr: `image non démarrée : ${m.reason?.message.fr ?? 'raison inconnue'}`, en: `image not started: ${m.reason?.message.en ?? 'unknown reason'}` };
  const port = m.probe ? `${m.probe.port}${m.probe.path ?? ''}` : '';
  const ready =
    m.probe === undefined
      ? { fr: 'aucun port à sonder', en: 'no port to probe' }
      : m.readyMs !== undefined
        ? { fr: `prête en ${m.readyMs} ms (port ${port})`, en: `ready in ${m.readyMs} ms (port ${port})` }
        : { fr: `pas prête après ${m.startWaitMs} ms`, en: `not ready after ${m.startWaitMs} ms` };
  if (m.exitedEarly) {
    const code = m.exitedEarly.exitCode ?? '?';
    return { fr: `${ready.fr} ; l'image s'est arrêtée d'elle-même après ${m.exitedEarly.afterMs} ms (code ${code})`, en: `${ready.en}; the image stopped by itself after ${m.exitedEarly.afterMs} ms (code ${code})` };
  }
  const stop = m.stop
    ? m.stop.killed
      ? { fr: `toujours active ${m.stop.stopWaitMs} ms après SIGTERM, tuée`, en: `still running ${m.stop.stopWaitMs} ms after SIGTERM, killed` }
      : { fr: `arrêtée ${m.stop.afterMs} ms après SIGTERM (code ${m.stop.exitCode ?? '?'})`, en: `stopped ${m.stop.afterMs} ms after SIGTERM (code ${m.stop.exitCode ?? '?'})` }
    : { fr: 'arrêt non mesuré', en: 'stop not measured' };
  return { fr: `image démarrée : ${ready.fr} ; ${stop.fr}`, en: `image started: ${ready.en}; ${stop.en}` };
}
