// The image the chain built, started for real: buildah builds FROM scratch around a static test service, bubblewrap
// runs it as PID 1 with loopback only, the probe enters its network namespace, and SIGTERM stops it — or does not,
// when the service installs no handler, and it is killed at the end of the wait.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builderAvailable, buildImage } from '../../integrations/builder/buildah.ts';
import { startImage } from './start-image.ts';

function skipReason(): string | null {
  const missing = [
    builderAvailable() ? null : 'buildah',
    spawnSync('bwrap', ['--version']).status === 0 ? null : 'bubblewrap',
    spawnSync('gcc', ['--version']).status === 0 ? null : 'gcc',
  ].filter(Boolean);
  if (missing.length === 0 && process.getuid?.() === 0) return null;
  const reason = `start-up measurement tests need root, ${missing.join(', ') || 'root'}`;
  if (process.env.CI === 'true') throw new Error(reason);
  console.log(`SKIP ${reason}`);
  return reason;
}
const skip = skipReason();

describe.skipIf(skip)('starting the built image in the sandbox', () => {
  let tmp: string;
  const images: Record<string, string> = {};
  const build = async (name: string, dockerfile: string) => {
    const repo = path.join(tmp, name);
    mkdirSync(repo, { recursive: true });
    copyFileSync(path.join(tmp, 'server'), path.join(repo, 'server'));
    writeFileSync(path.join(repo, 'Dockerfile'), dockerfile);
    const out = path.join(tmp, `${name}-oci`);
    const built = await buildImage({ root: repo, destination: { kind: 'oci-dir', path: out, tag: 'build' } });
    if (!('ok' in built) || !built.ok) throw new Error(`build of ${name} failed: ${JSON.stringify(built)}`);
    images[name] = out;
  };

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), 'dso-start-image-'));
    execFileSync('gcc', ['-static', '-O2', '-o', path.join(tmp, 'server'), new URL('../../../test/data/ready-server.c', import.meta.url).pathname]);
    await build('graceful', 'FROM scratch\nCOPY server /server\nEXPOSE 8080\nENTRYPOINT ["/server", "300", "1"]\n');
    await build('stubborn', 'FROM scratch\nCOPY server /server\nEXPOSE 8080/tcp\nENTRYPOINT ["/server", "0", "0"]\n');
    await build('slow', 'FROM scratch\nCOPY server /server\nEXPOSE 8080\nENTRYPOINT ["/server", "5000", "1"]\n');
    await build('nothing', 'FROM scratch\nCOPY server /server\n');
  }, 120_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('measures the time to ready and the stop after SIGTERM of a well-behaved service', async () => {
    const m = await startImage({ imageDir: images.graceful!, startWaitMs: 10_000, stopWaitMs: 5_000 });
    expect(m).toMatchObject({ status: 'measured', probe: { port: 8080 }, stop: { killed: false, exitCode: 0 } });
    // It sleeps 300 ms before listening: the measure cannot be shorter, and stays far below the wait.
    expect(m.readyMs!).toBeGreaterThanOrEqual(300);
    expect(m.readyMs!).toBeLessThan(5_000);
    expect(m.stop!.afterMs).toBeLessThan(1_000);
    expect(m.output).toContain('stopping');
  }, 30_000);

  it('kills a service that ignores SIGTERM at the end of the wait, and says so', async () => {
    const m = await startImage({ imageDir: images.stubborn!, startWaitMs: 10_000, stopWaitMs: 1_000 });
    expect(m.readyMs).toBeDefined();
    expect(m.stop).toMatchObject({ killed: true, exitCode: null, stopWaitMs: 1_000 });
    expect(m.stop!.afterMs).toBeGreaterThanOrEqual(1_000);
  }, 30_000);

  it('gives up waiting for readiness at the limit, with a readiness path probed over HTTP', async () => {
    const m = await startImage({ imageDir: images.slow!, readiness: { port: 8080, path: '/healthz' }, startWaitMs: 1_500, stopWaitMs: 5_000 });
    expect(m).toMatchObject({ status: 'measured', probe: { port: 8080, path: '/healthz' }, startWaitMs: 1_500 });
    expect(m.readyMs).toBeUndefined();
    expect(m.stop).toMatchObject({ killed: false, exitCode: 0 });
  }, 30_000);

  it('does not start an image without a command, and says why', async () => {
    const m = await startImage({ imageDir: images.nothing!, startWaitMs: 1_000, stopWaitMs: 1_000 });
    expect(m).toMatchObject({ status: 'not-started', reason: { code: 'no-command' } });
    expect(m.reason!.message.fr).toMatch(/ni ENTRYPOINT ni CMD/);
  });
});
