// Status read-back from ArgoCD's REST API: `GET /api/v1/applications/{name}` answers a v1alpha1Application whose
// `status.sync` (status Synced | OutOfSync | Unknown, revision) and `status.health` (status Healthy | Progressing |
// Degraded | Suspended | Missing | Unknown) say whether the cluster runs what the GitOps repository asks for;
// `status.operationState` (phase Running | Terminating | Failed | Error | Succeeded, message) says how the last or
// current sync went, and `status.conditions` (ComparisonError, InvalidSpecError, SyncError…) why ArgoCD cannot do
// its job at all, e.g. the chart cannot be fetched: then sync is Unknown and only the condition says why.
// Contract: ArgoCD's published API (assets/swagger.json, pkg/apis/application/v1alpha1/types.go); the tests feed
// answers validated against its definitions (test/data/argocd). Bounded: a time limit, at most 2 MiB read, only the
// fields we show are kept.

export interface ArgocdEndpoint {
  url: string;
  token: string;
}

export interface ApplicationCondition {
  type: string;
  message: string;
}

export type ApplicationStatus =
  | {
    ok: true;
    sync: string;
    health: string;
    revision: string | null;
    /** Why, when something is wrong: a failed sync's message, else an error condition's, else the health's. */
    message: string | null;
    /** Phase of the current or last operation (a sync), null when ArgoCD never ran one. */
    operation: string | null;
    /** Error conditions (type ending in `Error`), at most five: what stops ArgoCD from comparing or syncing. */
    errors: ApplicationCondition[];
  }
  | { ok: false; code: 'argocd.not-found' | 'argocd.unreachable' | 'argocd.refused' | 'argocd.invalid-answer'; message: string };

const maxAnswerBytes = 2 * 1024 * 1024;
const applicationName = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

function text(value: unknown, max = 500): string | null {
  return typeof value === 'string' && value.length > 0 ? value.slice(0, max) : null;
}

/** Reads one Application's sync and health. `appNamespace`: where the Application lives (apps in any namespace). */
export async function readApplicationStatus(
  endpoint: ArgocdEndpoint,
  name: string,
  options: { appNamespace?: string; timeoutMs?: number; fetchImpl?: typeof fetch } = {},
): Promise<ApplicationStatus> {
  if (!applicationName.test(name))
    return { ok: false, code: 'argocd.invalid-answer', message: `Invalid application name "${name.slice(0, 80)}".` };
  const url = new URL(`${endpoint.url.replace(/\/+$/, '')}/api/v1/applications/${encodeURIComponent(name)}`);
  if (options.appNamespace) url.searchParams.set('appNamespace', options.appNamespace);
  let response: Response;
  try {
    response = await (options.fetchImpl ?? fetch)(url, {
      headers: { authorization: `Bearer ${endpoint.token}`, accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
  } catch (error) {
    return {
      ok: false,
      code: 'argocd.unreachable',
      message: `ArgoCD did not answer (${(error as Error).name === 'TimeoutError' ? 'timeout' : (error as Error).message.slice(0, 200)}).`,
    };
  }
  if (response.status === 404 || response.status === 403) {
    // ArgoCD answers 403 for an application the token may not see as well as for one that does not exist.
    await response.body?.cancel();
    return {
      ok: false,
      code: 'argocd.not-found',
      message: `ArgoCD does not know the application "${name}" yet (not synced from the GitOps repository, or not visible to the token).`,
    };
  }
  if (!response.ok) {
    await response.body?.cancel();
    return {
      ok: false,
      code: 'argocd.refused',
      message: `ArgoCD answered HTTP ${response.status}${response.status === 401 ? ' (check DSO_ARGOCD_TOKEN)' : ''}.`,
    };
  }
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > maxAnswerBytes) {
    await response.body?.cancel();
    return { ok: false, code: 'argocd.invalid-answer', message: 'ArgoCD answer too large.' };
  }
  let body: unknown;
  try {
    const raw = await response.text();
    if (raw.length > maxAnswerBytes)
      return { ok: false, code: 'argocd.invalid-answer', message: 'ArgoCD answer too large.' };
    body = JSON.parse(raw);
  } catch {
    return { ok: false, code: 'argocd.invalid-answer', message: 'ArgoCD answered something that is not JSON.' };
  }
  const status = (
    body as {
      status?: {
        sync?: { status?: unknown; revision?: unknown; revisions?: unknown };
        health?: { status?: unknown; message?: unknown };
        operationState?: { phase?: unknown; message?: unknown };
        conditions?: unknown;
      };
    }
  )?.status;
  if (!status || typeof status !== 'object')
    return { ok: true, sync: 'Unknown', health: 'Unknown', revision: null, message: null, operation: null, errors: [] };
  const operation = text(status.operationState?.phase, 40);
  const operationFailed = operation === 'Failed' || operation === 'Error';
  const errors = (Array.isArray(status.conditions) ? status.conditions : [])
    .filter(
      (c): c is { type: string; message?: unknown } =>
        typeof c === 'object' && c !== null && typeof c.type === 'string' && c.type.endsWith('Error'),
    )
    .slice(0, 5)
    .map((c) => ({ type: c.type.slice(0, 60), message: text(c.message) ?? '' }));
  // A multi-source Application reports `revisions`; ours have one source, the first is the one we pinned.
  const revisions = Array.isArray(status.sync?.revisions) ? status.sync.revisions : [];
  return {
    ok: true,
    sync: text(status.sync?.status, 40) ?? 'Unknown',
    health: text(status.health?.status, 40) ?? 'Unknown',
    revision: text(status.sync?.revision, 80) ?? text(revisions[0], 80),
    message:
      (operationFailed ? text(status.operationState?.message) : null) ??
      (errors[0]?.message || null) ??
      text(status.health?.message),
    operation,
    errors,
  };
}
