import { spawn, spawnSync } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { constants as osConstants, tmpdir } from 'node:os';
import path from 'node:path';
import { lowerPriority, OutputTail, superviseGroup } from '../../integrations/process-group.ts';

/**
 * Runs a repository's declared test command on its own copy of the tree, through one executor (the bubblewrap
 * sandbox, or — only when an operator asked for it with DSO_SANDBOX=none — a plain host process): a scrubbed
 * environment, resource limits (CPU time, address space, file size, processes via prlimit), a wall clock that kills
 * the whole process group, and a capped output (the tail is kept). What the executor isolates is reported with the
 * result, so a run's evidence says how its tests ran.
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
  /** Processes (threads included) the command may have at once (RLIMIT_NPROC, inside its own user namespace). */
  processes?: number;
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
  /** Each chunk of output (stdout and stderr) as it comes, for the live log; the result still has the tail. */
  onOutput?: (chunk: Buffer) => void;
}

/** `aborted`: stopped through the request's signal — says nothing about the tests themselves. */
export type SandboxOutcome = 'passed' | 'failed' | 'wall-time-exceeded' | 'cpu-time-exceeded' | 'killed' | 'could-not-start' | 'aborted';

/** What the command was kept from: `sandbox` names the executor. */
export interface Isolation {
  sandbox: 'bubblewrap' | 'none';
  /** Sees only its copy, a private /tmp, a read-only system and a generated /etc. */
  filesystem: boolean;
  /** Own network (loopback only) and PID namespaces. */
  network: boolean;
  /** Ran as nobody. */
  unprivilegedUser: boolean;
}

export interface SandboxResult {
  outcome: SandboxOutcome;
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  /** Combined stdout/stderr, the tail when truncated. */
  output: string;
  outputTruncated: boolean;
  outputBytes: number;
  isolation: Isolation;
  /** The copy the command ran in (test reports are read from here), until dispose(). */
  workDir: string;
  dispose(): Promise<void>;
}

/** The one seam between the chain and where test commands execute (bubblewrap here; a Kubernetes Job next). */
export interface TestExecutor {
  readonly kind: Isolation['sandbox'];
  run(request: SandboxRequest): Promise<SandboxResult>;
}

/** The folders of one run of a test command, all under one private base removed by dispose(). */
export interface SandboxLayout {
  base: string;
  /** The copy of the tree (read-write). */
  workDir: string;
  home: string;
  tmp: string;
}

/** How an executor starts the command: the argv prefix, the folders the command sees, what it is isolated from. */
export interface LaunchPlan {
  prefix: string[];
  cwd: string;
  home: string;
  tmp: string;
  isolation: Isolation;
}

export const NOBODY = 65534;
export const defaultProcessLimit = 512;

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

/** Whether this process is root, and so hands the command's files to nobody before it runs. */
export const runsAsRoot = (): boolean => process.getuid?.() === 0;

/** Copies the tree into a fresh private base; links are copied as links (the command sees the tree as committed). */
export async function prepareLayout(tree: string): Promise<SandboxLayout> {
  const base = await mkdtemp(path.join(tmpdir(), 'dso-sandbox-'));
  const layout = { base, workDir: path.join(base, 'work'), home: path.join(base, 'home'), tmp: path.join(base, 'tmp') };
  try {
    // Copied here rather than by a `cp` child: the slower asynchronous copy paces concurrent runs, which keeps the
    // console answering (bench:chain).
    await cp(tree, layout.workDir, { recursive: true, verbatimSymlinks: true, dereference: false, errorOnExist: true });
    await mkdir(layout.home);
    await mkdir(layout.tmp, { mode: 0o700 });
    if (runsAsRoot()) {
      await chmod(base, 0o711); // nobody may enter its own folders, not list the base
      spawnSync('chown', ['-R', '-h', `${NOBODY}:${NOBODY}`, layout.workDir, layout.home, layout.tmp]);
    }
  } catch (error) {
    await rm(base, { recursive: true, force: true });
    throw error;
  }
  return layout;
}

/** Starts the planned command with the limits, supervises it, and answers its outcome. */
export async function launch(request: SandboxRequest, layout: SandboxLayout, plan: LaunchPlan): Promise<SandboxResult> {
  const started = Date.now();
  const dispose = () => rm(layout.base, { recursive: true, force: true });
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.env ?? {})) {
    if (ENV_NAME.test(name) && !RESERVED.has(name) && !name.startsWith('DSO_') && value.length <= 4096) env[name] = value;
  }
  Object.assign(env, { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: plan.home, TMPDIR: plan.tmp, LANG: 'C.UTF-8', CI: 'true' });

  const { limits } = request;
  const cpu = Math.max(1, Math.floor(limits.cpuSeconds));
  const argv = [
    ...plan.prefix,
    'prlimit',
    `--cpu=${cpu}:${cpu + 1}`, // SIGXCPU at the soft limit, SIGKILL one second later
    `--as=${Math.floor(limits.memoryBytes)}`,
    `--fsize=${Math.floor(limits.fileSizeBytes ?? 1024 ** 3)}`,
    // Counted per user: only where that user is the command's own (a user namespace, or nobody on the host).
    ...(plan.isolation.filesystem || plan.isolation.unprivilegedUser ? [`--nproc=${Math.floor(limits.processes ?? defaultProcessLimit)}`] : []),
    '--core=0',
    '--',
    '/bin/sh',
    '-c',
    STATUS_REPORTER,
    'dso-test',
    request.command,
  ];

  const tail = new OutputTail(limits.outputBytes);
  const base_ = { isolation: plan.isolation, workDir: layout.workDir, dispose };
  const { signal: abortSignal } = request;
  if (abortSignal?.aborted) {
    return { ...base_, outcome: 'aborted', exitCode: null, signal: null, durationMs: Date.now() - started, output: '', outputTruncated: false, outputBytes: 0 };
  }
  return new Promise<SandboxResult>((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: plan.cwd, env, stdio: ['ignore', 'pipe', 'pipe', 'pipe'], detached: true });
    lowerPriority(child);
    let reported = '';
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (c: Buffer) => {
      if (reported.length < 16) reported += c.toString();
    });
    const group = superviseGroup(child, Date.now() + Math.max(1, limits.wallSeconds) * 1000, abortSignal);
    const onOutput = request.onOutput;
    child.stdout!.on('data', (c: Buffer) => {
      tail.push(c);
      onOutput?.(c);
    });
    child.stderr!.on('data', (c: Buffer) => {
      tail.push(c);
      onOutput?.(c);
    });
    child.on('error', (e) => {
      group.done();
      resolve({ ...base_, outcome: 'could-not-start', exitCode: null, signal: null, durationMs: Date.now() - started, output: e.message, outputTruncated: false, outputBytes: 0 });
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

/** Copies the tree, then runs the command as the executor plans it. */
export async function runPlanned(
  request: SandboxRequest,
  plan: (layout: SandboxLayout) => Promise<LaunchPlan>,
): Promise<SandboxResult> {
  const layout = await prepareLayout(request.tree);
  try {
    return await launch(request, layout, await plan(layout));
  } catch (error) {
    await rm(layout.base, { recursive: true, force: true });
    throw error;
  }
}
