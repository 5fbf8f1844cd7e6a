// Optional: after a commit, push the GitOps repository to an external one (GitLab, say) that ArgoCD pulls.
// The token goes through git's environment-provided configuration, never on a command line or in a file.
import { runGit } from './git-process.ts';
import { gitopsBranch } from './writer.ts';
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

function failure(code: string, fr: string, en: string): PushResult {
  return { ok: false, error: { code, message: { fr, en } } };
}

/** Pushes `main` without force: a remote that moved on its own is reported, never overwritten. */
export async function pushToRemote(repository: string, remote: ExternalRemote): Promise<PushResult> {
  let url: URL;
  try {
    url = new URL(remote.url);
  } catch {
    return failure('gitops.remote-invalid', 'URL du dépôt GitOps externe invalide.', 'Invalid external GitOps repository URL.');
  }
  if (!['https:', 'http:', 'file:'].includes(url.protocol) || url.username || url.password) {
    return failure('gitops.remote-invalid', 'Le dépôt GitOps externe doit être une URL https sans identifiants (le jeton est fourni à part).', 'The external GitOps repository must be an https URL without credentials (the token is given separately).');
  }
  const env: Record<string, string> = {};
  if (remote.token) {
    const basic = Buffer.from(`${remote.username ?? 'oauth2'}:${remote.token}`).toString('base64');
    Object.assign(env, { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}` });
  }
  const result = await runGit(repository, ['push', '--quiet', '--porcelain', remote.url, `${gitopsBranch}:${gitopsBranch}`], { env, allowFailure: true });
  if (result.exitCode === 0) return { ok: true };
  const rejected = result.stdout.toString('utf8').includes('[rejected]');
  return rejected
    ? failure('gitops.push-rejected', 'Le dépôt GitOps externe contient des commits qui ne viennent pas de la plateforme : push refusé.', 'The external GitOps repository holds commits that did not come from the platform: push refused.')
    : failure('gitops.push-failed', `Push vers le dépôt GitOps externe impossible (${url.host || url.protocol}).`, `Could not push to the external GitOps repository (${url.host || url.protocol}).`);
}
