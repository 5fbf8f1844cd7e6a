// The CLI as the tests drive it: a command run in this process with its output captured (memory Io, the API
// reached through DSO_URL/DSO_TOKEN), or the real `dso` executable (bin/dso.mjs) in a child process.
import { execFile } from 'node:child_process';
import path from 'node:path';
import type { Io } from '../../src/cli/io.ts';

export interface CliOutcome {
  code: number;
  out: string;
  err: string;
}

export type CliCommand = (args: string[], io: Io) => Promise<number>;

/** Runs one CLI command in this process with `env` as its whole environment; what it writes is returned. */
export async function runCommand(command: CliCommand, args: string[], env: Record<string, string>): Promise<CliOutcome> {
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

/** Runs the `dso` executable (bin/dso.mjs) with `args`; exit code and both outputs, never throws on a failure code. */
export function runDso(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliOutcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(repositoryRoot, 'bin/dso.mjs'), ...args], { cwd: options.cwd ?? repositoryRoot, env: options.env ?? process.env, maxBuffer: 64 * 1024 * 1024, timeout: options.timeoutMs ?? 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, out: stdout, err: stderr });
    });
  });
}
