import { checkRemoteUrl, type RemoteUrlPolicy } from '../git/remote-url.ts';
import { pinnedFetch } from './pinned-fetch.ts';

/**
 * Commit statuses sent back to the team's forge, so the verdict shows next to the commit
 * in GitLab or GitHub. One state vocabulary for the chain, mapped onto each API:
 * GitLab `POST /api/v4/projects/:id/statuses/:sha` (pending, running, success, failed,
 * canceled) and GitHub `POST /repos/:owner/:repo/statuses/:sha` (error, failure, pending,
 * success).
 */
export type CommitState = 'pending' | 'running' | 'success' | 'failure' | 'error' | 'canceled';

export interface CommitStatus {
  sha: string;
  state: CommitState;
  /** Label distinguishing our status from other systems', e.g. `dso/chain`. */
  context: string;
  description?: string;
  targetUrl?: string;
  /** GitLab only: the branch or tag the status applies to. */
  ref?: string;
}

export type StatusResult =
  { ok: true; status: number } | { ok: false; status?: number; message: { fr: string; en: string } };

export interface CommitStatusClient {
  setStatus(status: CommitStatus): Promise<StatusResult>;
}

interface ClientOptions {
  token: string;
  urlPolicy?: RemoteUrlPolicy;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

const GITLAB_STATE: Record<CommitState, string> = {
  pending: 'pending',
  running: 'running',
  success: 'success',
  failure: 'failed',
  error: 'failed',
  canceled: 'canceled',
};
const GITHUB_STATE: Record<CommitState, string> = {
  pending: 'pending',
  running: 'pending',
  success: 'success',
  failure: 'failure',
  error: 'error',
  canceled: 'error',
};

export class GitLabStatusClient implements CommitStatusClient {
  /**
   * @param baseUrl the GitLab instance, e.g. `https://gitlab.example.org`
   * @param projectId numeric id or full path (`group/project`)
   */
  constructor(
    private readonly baseUrl: string,
    private readonly projectId: number | string,
    private readonly options: ClientOptions,
  ) {}

  setStatus(status: CommitStatus): Promise<StatusResult> {
    const url = `${this.baseUrl.replace(/\/+$/, '')}/api/v4/projects/${encodeURIComponent(String(this.projectId))}/statuses/${status.sha}`;
    const body: Record<string, string> = { state: GITLAB_STATE[status.state], name: status.context.slice(0, 255) };
    if (status.description) body.description = status.description.slice(0, 255);
    if (status.targetUrl) body.target_url = status.targetUrl;
    if (status.ref) body.ref = status.ref;
    return post(url, { 'PRIVATE-TOKEN': this.options.token }, body, status.sha, this.options);
  }
}

export class GitHubStatusClient implements CommitStatusClient {
  /** @param apiUrl `https://api.github.com`, or `https://<host>/api/v3` for GitHub Enterprise Server */
  constructor(
    private readonly apiUrl: string,
    private readonly owner: string,
    private readonly repo: string,
    private readonly options: ClientOptions,
  ) {}

  setStatus(status: CommitStatus): Promise<StatusResult> {
    const url = `${this.apiUrl.replace(/\/+$/, '')}/repos/${encodeURIComponent(this.owner)}/${encodeURIComponent(this.repo)}/statuses/${status.sha}`;
    const body: Record<string, string> = { state: GITHUB_STATE[status.state], context: status.context.slice(0, 255) };
    // GitHub rejects long descriptions; keep the start.
    if (status.description) body.description = status.description.slice(0, 140);
    if (status.targetUrl) body.target_url = status.targetUrl;
    return post(
      url,
      { Authorization: `Bearer ${this.options.token}`, Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28' },
      body,
      status.sha,
      this.options,
    );
  }
}

async function post(
  url: string,
  auth: Record<string, string>,
  body: Record<string, string>,
  sha: string,
  options: ClientOptions,
): Promise<StatusResult> {
  if (!SHA.test(sha))
    return { ok: false, message: { fr: 'Identifiant de commit invalide.', en: 'Invalid commit id.' } };
  const check = await checkRemoteUrl(url, { schemes: ['https'], ...options.urlPolicy });
  if (!check.ok) return { ok: false, message: check.message };
  let res: Response;
  try {
    // Connected to the address the policy checked, whatever DNS answers by then.
    res = await (options.fetch ?? pinnedFetch(check.addresses))(url, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json', 'User-Agent': 'DSO-pi' },
      body: JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (e) {
    return {
      ok: false,
      message: { fr: `Forge injoignable : ${(e as Error).message}`, en: `Forge unreachable: ${(e as Error).message}` },
    };
  }
  await res.body?.cancel().catch(() => {});
  if (res.status === 200 || res.status === 201) return { ok: true, status: res.status };
  const why: Record<number, [string, string]> = {
    401: ['jeton refusé par la forge', 'token refused by the forge'],
    403: ['le jeton n’a pas le droit de publier un statut', 'the token may not post statuses'],
    404: [
      'projet ou commit introuvable (ou jeton sans accès)',
      'project or commit not found (or token without access)',
    ],
    422: [
      'statut refusé par la forge (commit inconnu ou limite atteinte)',
      'status refused by the forge (unknown commit or limit reached)',
    ],
  };
  const [fr, en] = why[res.status] ?? [`réponse HTTP ${res.status}`, `HTTP ${res.status} response`];
  return {
    ok: false,
    status: res.status,
    message: { fr: `Statut de commit non publié : ${fr}.`, en: `Commit status not posted: ${en}.` },
  };
}
