import { spawn, spawnSync } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { constants as osConstants, tmpdir } from 'node:os';
import path from 'node:path';
import { lowerPriority, OutputTail, superviseGroup } from '../../integrations/process-group.ts';

/**
 * Runs a repository's declared test command on its own copy of the tree, with a scrubbed
 * environment, resource limits (CPU time, address space, file size via prlimit), a wall
 * clock that kills the whole process group, a capped output (the tail is kept) and —
 * when the platform runs as root — no network and an unprivileged user.
 */
export interface SandboxLimits {
  cpuSeconds: number;
  wallSeconds: number;
  /** Address-space limit (RLIMIT_AS): virtual memory, so runtimes reserving large areas need headroom. */
  memoryBytes: number;
  /** Output kept (the tail). */
  outputBytes: number;
  /** Largest file the command may write (RLIMIT_FSIZE), default 1 GiB. */
  fileSizeBytes?: number;
}

export interface SandboxRequest {
  /** Shell command line from `.dso.yml`, run by /bin/sh. */
  command: string;
  /** Checked-out tree; it is copied, never modified. */
  tree: string;
  limits: SandboxLimits;
  /** Extra variables the repository declared (names validated; never platform secrets). */
  env?: Record<string, string>;
  /** Aborting it (run cancelled, platform stopping) kills the whole process group at once. */
  signal?: AbortSignal;
}

/** `aborted`: stopped through the request's signal — says nothing about the tests themselves. */
export type SandboxOutcome = 'passed' | 'failed' | 'wall-time-exceeded' | 'cpu-time-exceeded' | 'killed' | 'could-not-start' | 'aborted';

export interface SandboxResult {
  outcome: SandboxOutcome;
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  /** Combined stdout/stderr, the tail when truncated. */
  output: string;
  outputTruncated: boolean;
  outputBytes: number;
  /** `network`: own network and PID namespaces; `unprivilegedUser`: ran as nobody. */
  isolation: { network: boolean; unprivilegedUser: boolean };
  /** The copy the command ran in (test reports are read from here), until dispose(). */
  workDir: string;
  dispose(): Promise<void>;
}

const NOBODY = 65534;

/**
 * Runs the command in a child shell and writes its exit status to fd 3, which only the
 * platform reads: wrappers such as unshare do not always pass a signal death through.
 */
const STATUS_REPORTER = 'exec 2>&1\n/bin/sh -c "$1" 3>&-\necho $? >&3\n';

function signalName(n: number): string | undefined {
  return Object.entries(osConstants.signals).find(([, v]) => v === n)?.[0];
}
const ENV_NAME = /^[A-Z_][A-Z0-9_]{0,63}$/;
/** Names a repository may not set: they would change how the sandbox itself behaves. */
const RESERVED = new Set(['PATH', 'HOME', 'TMPDIR', 'LD_PRELOAD', 'LD_LIBRARY_PATH', 'CI', 'LANG']);

let isolationProbe: { network: boolean; user: boolean } | undefined;

/**
 * New network namespace (loopback only) and PID namespace with its own /proc: the command
 * cannot see the platform's processes, and when the namespace's first process dies the
 * kernel kills every process in it, even those that left the process group with setsid.
 */
const NAMESPACES = ['--net', '--pid', '--fork', '--kill-child', '--mount-proc'];

/** Whether this process can drop to nobody and detach the network (root with util-linux). */
export function isolationAvailable(): { network: boolean; user: boolean } {
  if (isolationProbe) return isolationProbe;
  const root = process.getuid?.() === 0;
  const ok = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
  isolationProbe = {
    user: root && ok('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', 'true']),
    network: root && ok('unshare', [...NAMESPACES, '--', 'true']),
  };
  return isolationProbe;
}

export async function runSandboxed(request: SandboxRequest): Promise<SandboxResult> {
  const started = Date.now();
  const base = await mkdtemp(path.join(tmpdir(), 'dso-sandbox-'));
  const workDir = path.join(base, 'work');
  const home = path.join(base, 'home');
  const dispose = () => rm(base, { recursive: true, force: true });
  const isolation = isolationAvailable();

  // Links are copied as links: the command sees the tree exactly as committed. (Copied here rather than by a `cp`
  // child: the slower asynchronous copy paces concurrent runs, which keeps the console answering; bench:chain.)
  await cp(request.tree, workDir, { recursive: true, verbatimSymlinks: true, dereference: false, errorOnExist: true });
  await mkdir(home);
  if (isolation.user) {
    await chmod(base, 0o711); // nobody may enter its own folders, not list the base
    spawnSync('chown', ['-R', '-h', `${NOBODY}:${NOBODY}`, workDir, home]);
  }

  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.env ?? {})) {
    if (ENV_NAME.test(name) && !RESERVED.has(name) && !name.startsWith('DSO_') && value.length <= 4096) env[name] = value;
  }
  Object.assign(env, {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    TMPDIR: home,
    LANG: 'C.UTF-8',
    CI: 'true',
  });

  const { limits } = request;
  const cpu = Math.max(1, Math.floor(limits.cpuSeconds));
  const argv = [
    ...(isolation.network ? ['unshare', ...NAMESPACES, '--'] : []),
    ...(isolation.user ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--no-new-privs', '--'] : []),
    'prlimit',
    `--cpu=${cpu}:${cpu + 1}`, // SIGXCPU at the soft limit, SIGKILL one second later
    `--as=${Math.floor(limits.memoryBytes)}`,
    `--fsize=${Math.floor(limits.fileSizeBytes ?? 1024 ** 3)}`,
    '--core=0',
    '--',
    '/bin/sh',
    '-c',
    STATUS_REPORTER,
    'dso-test',
    request.command,
  ];

  const tail = new OutputTail(limits.outputBytes);
  const base_ = { isolation: { network: isolation.network, unprivilegedUser: isolation.user }, workDir, dispose };
  const { signal: abortSignal } = request;
  if (abortSignal?.aborted) {
    return { ...base_, outcome: 'aborted', exitCode: null, signal: null, durationMs: Date.now() - started, output: '', outputTruncated: false, outputBytes: 0 };
  }
  return new Promise<SandboxResult>((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: workDir, env, stdio: ['ignore', 'pipe', 'pipe', 'pipe'], detached: true });
    lowerPriority(child);
    let reported = '';
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (c: Buffer) => {
      if (reported.length < 16) reported += c.toString();
    });
    const group = superviseGroup(child, Date.now() + Math.max(1, limits.wallSeconds) * 1000, abortSignal);
    child.stdout!.on('data', (c: Buffer) => tail.push(c));
    child.stderr!.on('data', (c: Buffer) => tail.push(c));
    child.on('error', (e) => {
      group.done();
      resolve({
        ...base_,
        outcome: 'could-not-start',
        exitCode: null,
        signal: null,
        durationMs: Date.now() - started,
        output: e.message,
        outputTruncated: false,
        outputBytes: 0,
      });
    });
    child.on('close', () => {
      group.done();
      group.kill(); // background processes left behind by the command do not outlive it
      const status = /^(\d{1,3})\s*$/.exec(reported) ? Number(reported.trim()) : null;
      // A shell reports a command killed by signal N as 128+N.
      const signal = status !== null && status > 128 ? (signalName(status - 128) ?? `signal ${status - 128}`) : status === null ? 'SIGKILL' : null;
      const code = status !== null && status <= 128 ? status : null;
      const cpuExceeded = signal === 'SIGXCPU';
      const outcome: SandboxOutcome = group.aborted
        ? 'aborted'
        : group.timedOut
        ? 'wall-time-exceeded'
        : cpuExceeded
          ? 'cpu-time-exceeded'
          : signal
            ? 'killed'
            : code === 0
              ? 'passed'
              : 'failed';
      resolve({
        ...base_,
        outcome,
        exitCode: code,
        signal,
        durationMs: Date.now() - started,
        output: tail.text((dropped) => `[… ${dropped} octets tronqués / bytes truncated …]\n`),
        outputTruncated: tail.truncated,
        outputBytes: tail.total,
      });
    });
  });
}

