// Git plumbing on the GitOps bare repository (commits through fast-import, ref updates, pushes) through the
// platform's one hardened git runner (integrations/git/run-git.ts): scrubbed environment without the user's HOME
// or configuration, no hooks, process-group supervision, a time limit and cancellation.
import { runGit, type GitResult } from '../git/run-git.ts';

export class GitCommandError extends Error {
  constructor(
    readonly args: string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args[0]} failed (${exitCode}): ${stderr.trim().slice(0, 500)}`);
  }
}

/** Long enough for a fast-import of thousands of projects or a push over a slow link; a stuck git is killed. */
export const gitopsGitTimeoutMs = 5 * 60_000;

export interface RepositoryGitOptions {
  stdin?: string | Buffer;
  /** Extra environment (e.g. which transport a push may use). */
  env?: Record<string, string>;
  /** Configuration passed through the environment, never on the command line (an access token header). */
  config?: Record<string, string>;
  /** Resolve with the result instead of throwing when git exits non-zero. */
  allowFailure?: boolean;
  signal?: AbortSignal;
}

/** Runs `git args` with GIT_DIR set to the bare repository. Throws GitCommandError on failure unless allowed. */
export async function gitIn(
  repository: string,
  args: string[],
  options: RepositoryGitOptions = {},
): Promise<GitResult> {
  const result = await runGit(args, {
    env: { GIT_DIR: repository, ...options.env },
    ...(options.config ? { config: options.config } : {}),
    ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    timeoutMs: gitopsGitTimeoutMs,
  });
  if (result.code !== 0 && !options.allowFailure) {
    throw new GitCommandError(
      args,
      result.code,
      result.timedOut ? `timed out after ${gitopsGitTimeoutMs / 1000} s` : result.stderr,
    );
  }
  return result;
}
