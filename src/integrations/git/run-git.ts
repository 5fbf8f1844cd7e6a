import { spawn } from 'node:child_process';
import { executableSearchPath } from '../../config/host.ts';
import { existsSync } from 'node:fs';
import { lowerPriority, superviseGroup } from '../process-group.ts';

/**
 * Runs the system `git` with a bounded output and a wall-time limit. Every git call of
 * the platform goes through here so hooks, prompts and user/system configuration never
 * influence what we do with a repository a team controls.
 */
export interface RunGitOptions {
  cwd?: string;
  /** Extra environment (credentials, protocol allow-list…). Never put secrets in `args`. */
  env?: Record<string, string>;
  /** `-c key=value` equivalents passed through GIT_CONFIG_COUNT so they never reach argv. */
  config?: Record<string, string>;
  timeoutMs?: number;
  /** Bytes of stdout kept; the rest is discarded (stderr is always capped at 64 KiB). */
  maxStdoutBytes?: number;
  stdin?: string | Buffer;
  /** Aborting kills the git process group (used to enforce limits watched from outside). */
  signal?: AbortSignal;
}

export interface GitResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

const STDERR_CAP = 64 * 1024;

/** Config every platform git process gets: no hooks, no pager, no prompts, no stored credentials. */
export const SAFE_GIT_CONFIG: Record<string, string> = {
  'core.hooksPath': '/dev/null',
  'credential.helper': '',
  'core.askPass': '',
  'gc.auto': '0',
  'core.fsmonitor': 'false',
};

export function gitEnvironment(
  extra: Record<string, string> = {},
  config: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const merged = { ...SAFE_GIT_CONFIG, ...config };
  const env: NodeJS.ProcessEnv = {
    PATH: executableSearchPath(),
    HOME: '/nonexistent',
    LANG: 'C',
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    // Overrides any protocol.* configuration: only these transports may ever be used.
    GIT_ALLOW_PROTOCOL: 'https:ssh',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ASKPASS: '/bin/false',
    SSH_ASKPASS: '/bin/false',
    GIT_SSH_COMMAND: 'ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new',
  };
  const entries = Object.entries(merged);
  env.GIT_CONFIG_COUNT = String(entries.length);
  entries.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return { ...env, ...extra };
}

/**
 * git could not even start: the binary is not installed, or the folder it should work in is gone. Reported as
 * such (spawn only says ENOENT for both), so nobody retries a missing binary or hunts a network problem.
 */
export class GitUnavailableError extends Error {
  constructor(
    readonly kind: 'no-git' | 'no-folder',
    readonly folder?: string,
  ) {
    super(kind === 'no-git' ? 'git is not installed on this replica (not found in PATH)' : `the folder git should work in does not exist on this replica: ${folder}`);
  }
}

export function runGit(args: string[], options: RunGitOptions = {}): Promise<GitResult> {
  const maxStdout = options.maxStdoutBytes ?? 16 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: options.cwd,
      env: gitEnvironment(options.env, options.config),
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    // Mirroring and checkouts are background work: the console answers first on a busy machine.
    lowerPriority(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outLen = 0;
    let errLen = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      if (outLen < maxStdout) out.push(chunk.subarray(0, maxStdout - outLen));
      outLen += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (errLen < STDERR_CAP) err.push(chunk.subarray(0, STDERR_CAP - errLen));
      errLen += chunk.length;
    });
    const group = superviseGroup(child, options.timeoutMs ? Date.now() + options.timeoutMs : undefined, options.signal);
    child.on('error', (e: NodeJS.ErrnoException) => {
      group.done();
      if (e.code === 'ENOENT') reject(options.cwd && !existsSync(options.cwd) ? new GitUnavailableError('no-folder', options.cwd) : new GitUnavailableError('no-git'));
      else reject(e);
    });
    child.on('close', (code, signal) => {
      group.done();
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut: group.timedOut,
      });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.stdin ?? '');
  });
}
