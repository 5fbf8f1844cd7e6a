// An external GitOps repository (GitLab, say) that ArgoCD pulls: it is the shared truth, and any number of console
// replicas write to it. Each commit is made on top of the remote's current main (fetched first), then pushed with
// a lease on the remote ref (a compare-and-swap: it fails if anyone pushed in between); on that race the commit is
// made again on the new main and pushed again. Commits are computed from the database's desired state, so redoing
// one on a newer main is always right. The token goes through git's environment-provided configuration, never on
// a command line or in a file.
import { setTimeout as sleep } from 'node:timers/promises';
import { runGit as runGitProcess } from '../git/run-git.ts';
import { ensureRepository, gitopsBranch, type WriteResult } from './writer.ts';
import type { RenderError } from './model.ts';

export interface ExternalRemote {
  /** HTTPS (or file://, for tests) URL without credentials. */
  url: string;
  /** Access token with write access to the repository; sent as HTTP Basic password. */
  token?: string;
  /** User name paired with the token; GitLab accepts `oauth2` for tokens. */
  username?: string;
}

export type PushResult = { ok: true } | { ok: false; error: RenderError };

/** A race with another writer that outlived every retry: expected to clear on the next reconcile. */
export class GitopsContendedError extends Error {}

function failure(code: string, fr: string, en: string): { ok: false; error: RenderError } {
  return { ok: false, error: { code, message: { fr, en } } };
}

const remoteRef = 'refs/dso/remote/main';
const attempts = 10;

function checkedUrl(remote: ExternalRemote): URL | { ok: false; error: RenderError } {
  let url: URL;
  try {
    url = new URL(remote.url);
  } catch {
    return failure('gitops.remote-invalid', 'URL du dépôt GitOps externe invalide.', 'Invalid external GitOps repository URL.');
  }
  if (!['https:', 'http:', 'file:'].includes(url.protocol) || url.username || url.password) {
    return failure('gitops.remote-invalid', 'Le dépôt GitOps externe doit être une URL https sans identifiants (le jeton est fourni à part).', 'The external GitOps repository must be an https URL without credentials (the token is given separately).');
  }
  return url;
}

function remoteEnvironment(remote: ExternalRemote): { env: Record<string, string>; config: Record<string, string> } {
  // The operator configured this URL: plain http and file are allowed for it (loopback tests, internal mirrors).
  const env: Record<string, string> = { GIT_ALLOW_PROTOCOL: 'https:http:file' };
  const config: Record<string, string> = {};
  if (remote.token) config['http.extraHeader'] = `Authorization: Basic ${Buffer.from(`${remote.username ?? 'oauth2'}:${remote.token}`).toString('base64')}`;
  return { env, config };
}

async function git(repository: string, args: string[], remote: ExternalRemote, stdin?: string) {
  const { env, config } = remoteEnvironment(remote);
  return runGitProcess(args, {
    cwd: repository,
    env,
    config,
    timeoutMs: 5 * 60 * 1000,
    ...(stdin !== undefined ? { stdin } : {}),
  });
}

/** The remote's main, fetched into the local repository; null when the remote has no main yet. */
async function fetchRemoteMain(
  repository: string,
  remote: ExternalRemote,
): Promise<{ ok: true; commit: string | null } | { ok: false; error: RenderError }> {
  const fetched = await git(
    repository,
    [
      'fetch',
      '--quiet',
      '--no-write-fetch-head',
      '--no-auto-gc',
      '--end-of-options',
      remote.url,
      `+${gitopsBranch}:${remoteRef}`,
    ],
    remote,
  );
  if (fetched.code !== 0) {
    if (/couldn't find remote ref|could not find remote ref/i.test(fetched.stderr)) {
      await git(repository, ['update-ref', '-d', remoteRef], remote);
      return { ok: true, commit: null };
    }
    return failure(
      'gitops.fetch-failed',
      'Lecture du dépôt GitOps externe impossible.',
      'Could not fetch the external GitOps repository.',
    );
  }
  const sha = await git(repository, ['rev-parse', '--verify', '--quiet', `${remoteRef}^{commit}`], remote);
  return { ok: true, commit: sha.code === 0 ? sha.stdout.trim() : null };
}

/**
 * Commits `commit()` (the writer applying the desired state on the local main) on top of the remote's main and
 * pushes it there. Returns the write result of the attempt that reached the remote.
 */
export async function commitToRemote(
  repository: string,
  remote: ExternalRemote,
  commit: () => Promise<WriteResult>,
): Promise<WriteResult> {
  const url = checkedUrl(remote);
  if (!(url instanceof URL)) return url;
  await ensureRepository(repository);
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const fetched = await fetchRemoteMain(repository, remote);
    if (!fetched.ok) return fetched;
    // The local main follows the remote: a commit of ours that never reached it is made again from the database.
    if (fetched.commit) {
      const moved = await git(repository, ['update-ref', gitopsBranch, fetched.commit], remote);
      if (moved.code !== 0)
        return failure(
          'gitops.write-failed',
          'Mise à jour locale du dépôt GitOps impossible.',
          'Could not update the local GitOps repository.',
        );
    }
    const result = await commit();
    if (!result.ok) return result;
    const head = result.commit;
    if (!head || head === fetched.commit) return result;
    // --force-with-lease=<ref>:<expected>: the push succeeds only if the remote's main is still what we built on.
    const pushed = await git(
      repository,
      [
        'push',
        '--quiet',
        '--porcelain',
        `--force-with-lease=${gitopsBranch}:${fetched.commit ?? ''}`,
        '--end-of-options',
        remote.url,
        `${gitopsBranch}:${gitopsBranch}`,
      ],
      remote,
    );
    if (pushed.code === 0) return result;
    // Lost the race: the lease did not hold, or the forge was updating the same ref at that very moment.
    const raced =
      /\[rejected\]|stale info|fetch first|non-fast-forward|cannot lock ref|failed to update ref|reference already exists/i.test(
        pushed.stdout + pushed.stderr,
      );
    if (!raced) {
      return failure(
        'gitops.push-failed',
        `Push vers le dépôt GitOps externe impossible (${url.host || url.protocol}).`,
        `Could not push to the external GitOps repository (${url.host || url.protocol}).`,
      );
    }
    // Another writer pushed first: back off a little (jittered, so two writers do not collide again) and redo.
    await sleep(Math.round(Math.random() * Math.min(2000, 50 * 2 ** attempt)));
  }
  throw new GitopsContendedError(
    `the external GitOps repository kept moving during ${attempts} attempts; the reconcile will run again`,
  );
}

/** Pushes `main` without force: a remote that moved on its own is reported, never overwritten. */
export async function pushToRemote(repository: string, remote: ExternalRemote): Promise<PushResult> {
  const url = checkedUrl(remote);
  if (!(url instanceof URL)) return url;
  const result = await git(repository, ['push', '--quiet', '--porcelain', '--end-of-options', remote.url, `${gitopsBranch}:${gitopsBranch}`], remote);
  if (result.code === 0) return { ok: true };
  const rejected = result.stdout.includes('[rejected]');
  return rejected
    ? failure('gitops.push-rejected', 'Le dépôt GitOps externe contient des commits qui ne viennent pas de la plateforme : push refusé.', 'The external GitOps repository holds commits that did not come from the platform: push refused.')
    : failure('gitops.push-failed', `Push vers le dépôt GitOps externe impossible (${url.host || url.protocol}).`, `Could not push to the external GitOps repository (${url.host || url.protocol}).`);
}
