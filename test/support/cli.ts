// The CLI as the tests drive it: a command run in this process with its output captured (memory Io, the API
// reached through DSO_URL/DSO_TOKEN), or the real `dso` executable (bin/dso.mjs) in a child process.
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Io } from '../../src/cli/io.ts';

export interface CliOutcome {
  code: number;
  out: string;
  err: string;
}

export type CliCommand = (args: string[], io: Io) => Promise<number>;

/** Runs one CLI command in this process with `env` as its whole environment; what it writes is returned. */
export async function runCommand(
  command: CliCommand,
  args: string[],
  env: Record<string, string>,
): Promise<CliOutcome> {
  let out = '';
  let err = '';
  const code = await command(args, { out: (t) => (out += t), err: (t) => (err += t), env });
  return { code, out, err };
}

/** A command run as `actor` of an API test world against the server at `url` (DSO_URL + the actor's token). */
export function asActor(url: string, authorization: string, env: Record<string, string> = {}): Record<string, string> {
  return { DSO_URL: url, DSO_TOKEN: authorization.replace(/^Bearer /, ''), ...env };
}

const repositoryRoot = path.resolve(import.meta.dirname, '../..');

export interface DsoOptions {
  cwd?: string;
  /** The child's whole environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Called with all of stderr so far each time more arrives: for commands that print a URL and wait (dso login). */
  onStderr?: (soFar: string) => void;
}

/**
 * Runs the `dso` executable (bin/dso.mjs) with `args`, as `npx dso` does; exit code and both outputs. It never
 * rejects: a failure code, a signal or the timeout (which kills the command) are outcomes the test asserts on.
 */
export function runDso(args: string[], options: DsoOptions = {}): Promise<CliOutcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repositoryRoot, 'bin/dso.mjs'), ...args], {
      cwd: options.cwd ?? repositoryRoot,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      err += text;
      options.onStderr?.(err);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, out, err });
    });
  });
}
