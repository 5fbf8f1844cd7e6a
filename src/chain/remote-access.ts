// How the chain reaches a team's repository and endpoints: its sealed credentials opened only for the git
// process, and the SSRF policy (administrators' allow-list) applied to every URL a team gives us.
import type { Config } from '../config.ts';
import type { RepositoryCredentials } from '../integrations/git/credentials.ts';
import type { RemoteUrlPolicy } from '../integrations/git/remote-url.ts';

export function repositoryUrlPolicy(config: Config): RemoteUrlPolicy {
  // Plain http is accepted because internal forges use it; the address checks apply the same way.
  return { allowList: config.chain.gitAllowedHosts, schemes: ['https', 'http'] };
}

/** Webhook receivers and forge APIs: https, or http to an allow-listed host (tests, internal tools). */
export function endpointUrlPolicy(config: Config): RemoteUrlPolicy {
  return { allowList: config.chain.gitAllowedHosts, schemes: config.chain.gitAllowedHosts.length > 0 ? ['https', 'http'] : ['https'] };
}

export function openRepositoryCredentials(
  sealed: string | null,
  secretBox: { open(sealed: string): string },
): { credentials?: RepositoryCredentials; secrets: string[] } {
  if (!sealed) return { secrets: [] };
  const stored = JSON.parse(secretBox.open(sealed)) as { username?: string; token?: string; password?: string };
  const secret = stored.token ?? stored.password ?? '';
  return {
    credentials: { kind: 'token', ...(stored.username ? { username: stored.username } : {}), token: secret },
    secrets: [secret],
  };
}
