import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lowerPriority, OutputTail, superviseGroup } from '../process-group.ts';
import { buildSandboxArgs, buildSandboxAvailable } from './build-sandbox.ts';

/**
 * Builds a repository's image with buildah (chroot isolation, vfs storage, private
 * throw-away storage folders so builds never share state) and pushes it to an OCI layout
 * folder or a registry. Absent buildah is a normal situation, reported as skipped.
 */
export type BuildDestination =
  | { kind: 'oci-dir'; path: string; tag: string }
  | {
    kind: 'registry';
    /** e.g. `127.0.0.1:5000/team/app:sha-1` */
    reference: string;
    /** Plain HTTP / unverified TLS: only allowed for loopback registries unless forced. */
    insecure?: boolean;
    credentials?: { username: string; password: string };
  };

export interface BuildRequest {
  /** The checked-out repository; context and file must stay inside it. */
  root: string;
  /** Build context relative to root (default `.`). */
  context?: string;
  /** Containerfile/Dockerfile relative to root (default `Dockerfile`). */
  file?: string;
  destination: BuildDestination;
  timeoutMs?: number;
  /** Aborting it (run cancelled, platform stopping) kills buildah's whole process group at once. */
  signal?: AbortSignal;
  /** Build log bytes kept (the tail), default 256 KiB. */
  maxLogBytes?: number;
  buildahPath?: string;
  /**
   * `bubblewrap` (default): the build runs in a sandbox that sees its context only, and fails with a clear message
   * where none can start; `none` (DSO_SANDBOX=none, development only): on the host, without network when possible.
   */
  sandbox?: 'bubblewrap' | 'none';
}

export type BuildResult =
  | { ok: true; digest: string; log: string; durationMs: number }
  | { ok: false; message: { fr: string; en: string }; log: string; durationMs: number; aborted?: true }
  | { skipped: true; reason: 'no image builder' };

const DEFAULT_BUILDAH = '/usr/bin/buildah';

const availability = new Map<string, { ok: boolean; at: number }>();
/** How long "no builder here" is believed before probing again (an administrator may install it meanwhile). */
const absentProbeIntervalMs = 60_000;

/** Whether buildah answers at this path. Probed once (a blocking call, ~25 ms), not at every build. */
export function builderAvailable(buildahPath = DEFAULT_BUILDAH): boolean {
  const known = availability.get(buildahPath);
  if (known && (known.ok || Date.now() - known.at < absentProbeIntervalMs)) return known.ok;
  const ok = spawnSync(buildahPath, ['--version'], { stdio: 'ignore' }).status === 0;
  availability.set(buildahPath, { ok, at: Date.now() });
  return ok;
}

let netProbe: boolean | undefined;
function networkIsolationAvailable(): boolean {
  netProbe ??= process.getuid?.() === 0 && spawnSync('unshare', ['--net', '--', 'true'], { stdio: 'ignore' }).status === 0;
  return netProbe;
}

export async function buildImage(request: BuildRequest): Promise<BuildResult> {
  const buildah = request.buildahPath ?? DEFAULT_BUILDAH;
  if (!builderAvailable(buildah)) return { skipped: true, reason: 'no image builder' };
  const started = Date.now();
  const fail = (fr: string, en: string, log = ''): Extract<BuildResult, { ok: false }> => ({ ok: false, message: { fr, en }, log, durationMs: Date.now() - started });

  const root = await realpath(request.root);
  const context = await insideRoot(root, request.context ?? '.');
  const file = await insideRoot(root, request.file ?? 'Dockerfile');
  if (!context || !file) {
    return fail(
      'Le fichier de construction ou le contexte sort du dépôt ou est introuvable.',
      'The build file or context is missing or lies outside the repository.',
    );
  }

  const sandboxed = (request.sandbox ?? 'bubblewrap') === 'bubblewrap';
  if (sandboxed && !buildSandboxAvailable()) {
    return fail(
      'Aucun bac à sable (bubblewrap) ne peut démarrer sur la plateforme : l’image n’est pas construite.',
      'No sandbox (bubblewrap) can start on the platform: the image is not built.',
    );
  }

  const work = await mkdtemp(path.join(tmpdir(), 'dso-build-'));
  const log = new OutputTail(request.maxLogBytes ?? 256 * 1024);
  const deadline = started + (request.timeoutMs ?? 30 * 60 * 1000);
  try {
    // An empty registries.conf: unqualified names are never searched on public registries.
    await writeFile(path.join(work, 'registries.conf'), 'unqualified-search-registries = []\n');
    await writeFile(path.join(work, 'policy.json'), JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
    const storage = ['--root', path.join(work, 'root'), '--runroot', path.join(work, 'runroot'), '--storage-driver', 'vfs'];
    const env: NodeJS.ProcessEnv = {
      PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
      HOME: work,
      TMPDIR: work,
      LANG: 'C.UTF-8',
      BUILDAH_ISOLATION: 'chroot',
      CONTAINERS_REGISTRIES_CONF: path.join(work, 'registries.conf'),
    };
    const name = 'localhost/dso-build:latest';
    // RUN steps of a team's build file execute here (chroot isolation): in the build sandbox, which sees the
    // context only and has no network; without it (DSO_SANDBOX=none), no network at least when we can.
    const wrapper = sandboxed ? await buildSandboxArgs({ work, context, file }) : networkIsolationAvailable() ? ['unshare', '--net', '--'] : [];
    const bud = await run(
      wrapper[0] ?? buildah,
      [...wrapper.slice(1), ...(wrapper.length ? [buildah] : []), ...storage, 'bud', '--isolation', 'chroot', '--layers=false', '--pull=never', '--signature-policy', path.join(work, 'policy.json'),
        '-f', file, '-t', name, '--', context],
      env, log, deadline, request.signal,
    );
    if (bud.aborted) return { ...fail('La construction de l’image a été interrompue.', 'The image build was stopped.', log.text()), aborted: true };
    if (bud.timedOut) return fail('La construction de l’image a dépassé le temps imparti.', 'The image build took too long and was stopped.', log.text());
    if (bud.code !== 0) return fail('La construction de l’image a échoué (voir le journal).', 'The image build failed (see the log).', log.text());

    const digestFile = path.join(work, 'digest');
    const pushArgs = [...storage, 'push', '--digestfile', digestFile, '--signature-policy', path.join(work, 'policy.json')];
    let target: string;
    if (request.destination.kind === 'oci-dir') {
      target = `oci:${path.resolve(request.destination.path)}:${request.destination.tag}`;
    } else {
      const dest = request.destination;
      const host = dest.reference.split('/')[0] ?? '';
      const loopback = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/.test(host);
      if (dest.insecure || loopback) pushArgs.push('--tls-verify=false');
      if (dest.credentials) {
        // An auth file rather than --creds, so the password never appears in a command line.
        const auth = Buffer.from(`${dest.credentials.username}:${dest.credentials.password}`).toString('base64');
        await writeFile(path.join(work, 'auth.json'), JSON.stringify({ auths: { [host]: { auth } } }), { mode: 0o600 });
        pushArgs.push('--authfile', path.join(work, 'auth.json'));
      }
      target = `docker://${dest.reference}`;
    }
    const push = await run(buildah, [...pushArgs, name, target], env, log, deadline, request.signal);
    if (push.aborted) return { ...fail('La publication de l’image a été interrompue.', 'Pushing the image was stopped.', log.text()), aborted: true };
    if (push.timedOut) return fail('La publication de l’image a dépassé le temps imparti.', 'Pushing the image took too long.', log.text());
    if (push.code !== 0) return fail('La publication de l’image a échoué (voir le journal).', 'Pushing the image failed (see the log).', log.text());
    const digest = (await readFile(digestFile, 'utf8')).trim();
    if (!/^sha256:[0-9a-f]{64}$/.test(digest)) return fail('Empreinte d’image illisible.', 'Unreadable image digest.', log.text());
    return { ok: true, digest, log: log.text(), durationMs: Date.now() - started };
  } finally {
    await rm(work, { recursive: true, force: true }).catch(() => {});
  }
}

/** Resolves `relative` under root, following links, and refuses anything that ends outside. */
async function insideRoot(root: string, relative: string): Promise<string | null> {
  if (path.isAbsolute(relative) || relative.length > 1024) return null;
  try {
    const resolved = await realpath(path.join(root, relative));
    return resolved === root || resolved.startsWith(`${root}${path.sep}`) ? resolved : null;
  } catch {
    return null;
  }
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  log: OutputTail,
  deadline: number,
  signal?: AbortSignal,
): Promise<{ code: number | null; timedOut: boolean; aborted: boolean }> {
  if (signal?.aborted) return Promise.resolve({ code: null, timedOut: false, aborted: true });
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    lowerPriority(child);
    const group = superviseGroup(child, deadline, signal);
    child.stdout.on('data', (c: Buffer) => log.push(c));
    child.stderr.on('data', (c: Buffer) => log.push(c));
    child.on('error', () => {
      group.done();
      resolve({ code: -1, timedOut: group.timedOut, aborted: group.aborted });
    });
    child.on('close', (code) => {
      group.done();
      resolve({ code, timedOut: group.timedOut, aborted: group.aborted });
    });
  });
}
