// Starts the image the chain built, in the bubblewrap sandbox, and measures what EX50 and EX51 ask: how long it
// takes to be ready (its port answers, or its readiness path answers HTTP below 500) and how long it takes to exit
// after SIGTERM. The image's layers are unpacked (by tar, itself sandboxed, as nobody) into a throw-away root; the
// entrypoint runs there as PID 1 of its own namespaces, as nobody, with loopback only, like a container in a pod:
// an application that installs no SIGTERM handler ignores the signal there and is killed at the end of the grace
// period. The readiness probe enters the sandbox's network namespace only (nsenter). Anything that prevents the
// measure (no command, no port, no sandbox) is said as a reason: the requirement then awaits evidence.
import { spawn, spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lowerPriority, OutputTail } from '../../integrations/process-group.ts';
import { dropToNobody, systemMounts } from './bubblewrap.ts';
import { runsAsRoot } from './run-tests.ts';

/** What the chain stores (artifact `runtime`) and conformity reads: all durations in milliseconds. */
export interface RuntimeMeasurement {
  imageDigest?: string;
  measuredAt: string;
  /** `measured`: the image ran; `not-started`: it could not be started here (see reason). */
  status: 'measured' | 'not-started';
  reason?: { code: 'no-command' | 'unpack-failed' | 'no-sandbox' | 'no-probe' | 'could-not-start'; message: { fr: string; en: string } };
  /** Where readiness was probed; absent when the image exposes no port and .dso.yml declares none. */
  probe?: { port: number; path?: string };
  /** Time from start to the first answer; absent when it never answered within `startWaitMs`. */
  readyMs?: number;
  startWaitMs?: number;
  /** The process ended by itself before SIGTERM (a crash, or not a service). */
  exitedEarly?: { afterMs: number; exitCode: number | null };
  /** SIGTERM → exit; `killed` when it did not exit within `stopWaitMs` and was killed. */
  stop?: { afterMs: number; exitCode: number | null; killed: boolean; stopWaitMs: number };
  output?: string;
}

export interface StartImageRequest {
  /** OCI layout folder written by the build (index.json, blobs/). */
  imageDir: string;
  imageDigest?: string;
  readiness?: { port: number; path?: string };
  /** How long to wait for readiness, and for the exit after SIGTERM (the thresholds plus a margin). */
  startWaitMs: number;
  stopWaitMs: number;
  signal?: AbortSignal;
  now?: () => Date;
}

interface ImageConfig {
  config?: {
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    Env?: string[] | null;
    WorkingDir?: string;
    ExposedPorts?: Record<string, object> | null;
  };
}

const digestPattern = /^sha256:[0-9a-f]{64}$/;
const t = (fr: string, en: string) => ({ fr, en });

async function readImage(dir: string): Promise<{ config: ImageConfig; layers: string[] }> {
  const blob = (digest: string) => {
    if (!digestPattern.test(digest)) throw new Error(`invalid digest ${digest.slice(0, 80)}`);
    return path.join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length));
  };
  const index = JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf8')) as { manifests?: { digest: string }[] };
  const entry = index.manifests?.at(-1);
  if (!entry) throw new Error('no manifest in the image folder');
  const manifest = JSON.parse(await readFile(blob(entry.digest), 'utf8')) as { config: { digest: string }; layers: { digest: string }[] };
  const config = JSON.parse(await readFile(blob(manifest.config.digest), 'utf8')) as ImageConfig;
  return { config, layers: manifest.layers.map((l) => blob(l.digest)) };
}

/** Runs a command to its end with a time limit; true when it exited 0. */
function runToEnd(argv: string[], timeoutMs: number): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out = new OutputTail(8192);
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    child.stderr!.on('data', (c: Buffer) => out.push(c));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Gone.
      }
    }, timeoutMs);
    child.on('error', () => (clearTimeout(timer), resolve({ ok: false, output: out.text() })));
    child.on('close', (code) => (clearTimeout(timer), resolve({ ok: code === 0, output: out.text() })));
  });
}

/** Removes OCI whiteouts left by a layer: `.wh.name` hides `name` of lower layers, `.wh..wh..opq` empties a folder. */
async function applyWhiteouts(root: string, dir = root): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.name === '.wh..wh..opq') await rm(full, { force: true });
    else if (e.name.startsWith('.wh.')) {
      await rm(path.join(dir, e.name.slice(4)), { recursive: true, force: true });
      await rm(full, { force: true });
    } else if (e.isDirectory() && !e.isSymbolicLink()) await applyWhiteouts(root, full);
  }
}

/** Unpacks the layers in order, each by a sandboxed tar that sees only the root being built and its layer. */
async function unpack(layers: string[], root: string): Promise<{ ok: boolean; output: string }> {
  for (const layer of layers) {
    const argv = [
      'bwrap', '--unshare-all', '--die-with-parent', '--new-session', ...systemMounts(), '--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp',
      '--bind', root, '/rootfs', '--ro-bind', layer, '/layer', '--',
      'tar', '--extract', '--file', '/layer', '--directory', '/rootfs', '--no-same-owner', '--delay-directory-restore',
    ];
    const done = await runToEnd(argv, 120_000);
    if (!done.ok) return done;
    await applyWhiteouts(root);
  }
  return { ok: true, output: '' };
}

function firstExposedPort(config: ImageConfig): number | undefined {
  for (const key of Object.keys(config.config?.ExposedPorts ?? {})) {
    const m = /^(\d{1,5})(?:\/tcp)?$/.exec(key);
    if (m && Number(m[1]) >= 1 && Number(m[1]) <= 65535) return Number(m[1]);
  }
  return undefined;
}

let nsenterProbe: boolean | undefined;
/** Whether this process may enter another network namespace (root with util-linux's nsenter). */
function probeAvailable(): boolean {
  nsenterProbe ??= runsAsRoot() && spawnSync('nsenter', ['--version'], { stdio: 'ignore' }).status === 0;
  return nsenterProbe;
}

/** The probe that runs in the sandbox's network namespace: polls the port (and path) until it answers, then says so. */
const probeScript = `
const [port, probePath, waitMs] = [Number(process.argv[1]), process.argv[2], Number(process.argv[3])];
const net = require('node:net'), http = require('node:http');
const end = Date.now() + waitMs;
const once = () => new Promise((ok) => {
  if (probePath) {
    const req = http.get({ host: '127.0.0.1', port, path: probePath, timeout: 1000 }, (res) => { res.resume(); ok(res.statusCode < 500); });
    req.on('error', () => ok(false)); req.on('timeout', () => { req.destroy(); ok(false); });
  } else {
    const s = net.connect({ host: '127.0.0.1', port }); s.setTimeout(1000);
    s.on('connect', () => { s.destroy(); ok(true); }); s.on('error', () => ok(false)); s.on('timeout', () => { s.destroy(); ok(false); });
  }
});
(async () => { while (Date.now() < end) { if (await once()) { process.stdout.write('ready\\n'); return; } await new Promise((r) => setTimeout(r, 50)); } process.stdout.write('timeout\\n'); })();
`;

export async function startImage(request: StartImageRequest): Promise<RuntimeMeasurement> {
  const now = request.now ?? (() => new Date());
  const base = {
    ...(request.imageDigest ? { imageDigest: request.imageDigest } : {}),
    measuredAt: now().toISOString(),
  };
  const notStarted = (code: NonNullable<RuntimeMeasurement['reason']>['code'], message: { fr: string; en: string }, output?: string): RuntimeMeasurement => ({ ...base, status: 'not-started', reason: { code, message }, ...(output ? { output } : {}) });
  if (!runsAsRoot() || spawnSync('bwrap', ['--version'], { stdio: 'ignore' }).status !== 0)
    return notStarted('no-sandbox', t("Aucun bac à sable (bubblewrap) ne peut démarrer l'image sur la plateforme.", 'No sandbox (bubblewrap) can start the image on the platform.'));
  let image;
  try {
    image = await readImage(request.imageDir);
  } catch (error) {
    return notStarted('unpack-failed', t(`Image illisible : ${(error as Error).message}`, `Unreadable image: ${(error as Error).message}`));
  }
  const command = [...(image.config.config?.Entrypoint ?? []), ...(image.config.config?.Cmd ?? [])];
  if (command.length === 0) return notStarted('no-command', t("L'image ne déclare ni ENTRYPOINT ni CMD : rien à démarrer.", 'The image declares neither ENTRYPOINT nor CMD: nothing to start.'));
  const port = request.readiness?.port ?? firstExposedPort(image.config);
  const probe =
    port !== undefined ? { port, ...(request.readiness?.path ? { path: request.readiness.path } : {}) } : undefined;
  if (probe && !probeAvailable()) return notStarted('no-probe', t('La sonde de disponibilité ne peut pas entrer dans le bac à sable (nsenter, droits).', 'The readiness probe cannot enter the sandbox (nsenter, privileges).'));

  const work = await mkdtemp(path.join(tmpdir(), 'dso-start-'));
  try {
    // The sandbox user (nobody) must reach the root it runs in.
    await chmod(work, 0o711);
    const root = path.join(work, 'root');
    await mkdir(root, { mode: 0o755 });
    const unpacked = await unpack(image.layers, root);
    if (!unpacked.ok) return notStarted('unpack-failed', t("Les couches de l'image n'ont pas pu être décompressées.", "The image's layers could not be unpacked."), unpacked.output);
    // Mount points the sandbox needs inside the image's root (the image itself stays as built).
    for (const dir of ['proc', 'dev', 'tmp']) await mkdir(path.join(root, dir), { recursive: true }).catch(() => {});
    const env = image.config.config?.Env ?? [];
    const workingDir = image.config.config?.WorkingDir || '/';
    try {
      if (!(await stat(path.join(root, workingDir))).isDirectory()) throw new Error('not a folder');
    } catch {
      await mkdir(path.join(root, workingDir), { recursive: true }).catch(() => {});
    }
    const argv = [
      ...dropToNobody(),
      'bwrap', '--unshare-all', '--die-with-parent', '--new-session', '--as-pid-1', '--info-fd', '3',
      '--bind', root, '/', '--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp', '--chdir', workingDir, '--',
      ...command,
    ];
    const childEnv: NodeJS.ProcessEnv = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/tmp' };
    for (const pair of env) {
      const i = pair.indexOf('=');
      if (i > 0) childEnv[pair.slice(0, i)] = pair.slice(i + 1);
    }
    return await measure(argv, childEnv, probe, request, base);
  } finally {
    await rm(work, { recursive: true, force: true }).catch(() => {});
  }
}

async function measure(argv: string[], env: NodeJS.ProcessEnv, probe: RuntimeMeasurement['probe'], request: StartImageRequest, base: Pick<RuntimeMeasurement, 'imageDigest' | 'measuredAt'>): Promise<RuntimeMeasurement> {
  const started = Date.now();
  const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe', 'pipe'], detached: true });
  lowerPriority(child);
  const output = new OutputTail(16 * 1024);
  child.stdout!.on('data', (c: Buffer) => output.push(c));
  child.stderr!.on('data', (c: Buffer) => output.push(c));
  let exit: { at: number; code: number | null } | undefined;
  const exited = new Promise<void>((resolve) => {
    child.on('error', () => ((exit ??= { at: Date.now(), code: null }), resolve()));
    child.on('close', (code) => ((exit ??= { at: Date.now(), code }), resolve()));
  });
  const killAll = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Gone.
    }
  };
  const onAbort = () => killAll();
  request.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    // The sandbox says the host pid of the application (PID 1 inside) once its namespaces exist.
    const info = await new Promise<{ pid?: number }>((resolve) => {
      let text = '';
      const fd3 = child.stdio[3] as NodeJS.ReadableStream;
      fd3.on('data', (c: Buffer) => {
        text += c.toString('utf8');
        const m = /"child-pid":\s*(\d+)/.exec(text);
        if (m) resolve({ pid: Number(m[1]) });
      });
      fd3.on('end', () => resolve({}));
      void exited.then(() => resolve({}));
    });
    if (!info.pid) {
      await exited;
      return { ...base, status: 'not-started', reason: { code: 'could-not-start', message: t("L'image n'a pas pu être démarrée dans le bac à sable.", 'The image could not be started in the sandbox.') }, output: output.text() };
    }
    let readyMs: number | undefined;
    if (probe) {
      const probeRun = spawn('nsenter', ['--target', String(info.pid), '--net', '--', process.execPath, '-e', probeScript, String(probe.port), probe.path ?? '', String(request.startWaitMs)], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
      const answer = await new Promise<string>((resolve) => {
        let text = '';
        probeRun.stdout!.on('data', (c: Buffer) => {
          text += c.toString('utf8');
          if (text.includes('\n')) resolve(text.trim());
        });
        probeRun.on('close', () => resolve(text.trim()));
        void exited.then(() => resolve('exited'));
      });
      if (answer === 'ready') readyMs = Date.now() - started;
      // The probe also ends when the sandbox is gone: let the exit be seen before deciding.
      else await Promise.race([exited, new Promise((r) => setTimeout(r, 200))]);
      try {
        process.kill(-probeRun.pid!, 'SIGKILL');
      } catch {
        // Gone.
      }
    } else {
      // Nothing to probe: give it a moment to start (or to fail) before asking it to stop.
      await Promise.race([exited, new Promise((r) => setTimeout(r, Math.min(2000, request.startWaitMs)))]);
    }
    const result: RuntimeMeasurement = { ...base, status: 'measured', ...(probe ? { probe } : {}), startWaitMs: request.startWaitMs, ...(readyMs !== undefined ? { readyMs } : {}) };
    if (exit) {
      const text = output.text();
      // The sandbox itself refused to set up (bwrap's own message): the image never ran.
      if (exit.code !== 0 && text.startsWith('bwrap:')) return { ...base, status: 'not-started', reason: { code: 'could-not-start', message: t(`L'image n'a pas pu être démarrée dans le bac à sable : ${text.trim().slice(0, 200)}`, `The image could not be started in the sandbox: ${text.trim().slice(0, 200)}`) }, output: text };
      return { ...result, exitedEarly: { afterMs: exit.at - started, exitCode: exit.code }, output: text };
    }
    const termAt = Date.now();
    try {
      process.kill(info.pid, 'SIGTERM');
    } catch {
      // Already gone: measured as an immediate exit.
    }
    const stopped = await Promise.race([
      exited.then(() => true),
      new Promise<false>((r) => setTimeout(() => r(false), request.stopWaitMs)),
    ]);
    if (!stopped) {
      killAll();
      await exited;
      return {
        ...result,
        stop: { afterMs: Date.now() - termAt, exitCode: null, killed: true, stopWaitMs: request.stopWaitMs },
        output: output.text(),
      };
    }
    return {
      ...result,
      stop: { afterMs: exit!.at - termAt, exitCode: exit!.code, killed: false, stopWaitMs: request.stopWaitMs },
      output: output.text(),
    };
  } finally {
    request.signal?.removeEventListener('abort', onAbort);
    if (!exit) killAll();
  }
}

