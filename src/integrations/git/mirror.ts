import { access, mkdir, readdir, stat } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
import { credentialEnvironment, type RepositoryCredentials } from './credentials.ts';
import { classifyGitStderr, gitFailure, type GitFailure } from './git-failure.ts';
import { checkRemoteUrl, type RemoteUrlCheck, type RemoteUrlPolicy } from './remote-url.ts';
import { runGit } from './run-git.ts';

/**
 * Internal bare mirrors of the teams' external repositories: the platform's point of
 * truth. Every revision ever received stays reachable under `refs/dso/received/<sha>`,
 * so a force-push on the external side cannot erase what was tested or certified.
 */
export type Result<T> = { ok: true; value: T } | { ok: false; failure: GitFailure };

export const RECEIVED_REF_PREFIX = 'refs/dso/received/';

/** Creates the bare repository if missing (idempotent). */
export async function createMirror(dir: string): Promise<void> {
  try {
    await access(path.join(dir, 'HEAD'));
    return;
  } catch {
    /* not there yet */
  }
  await mkdir(path.dirname(dir), { recursive: true });
  const init = await runGit(['init', '--quiet', '--bare', '-b', 'main', '--', dir], { timeoutMs: 30_000 });
  if (init.code !== 0) throw new Error(`git init failed: ${init.stderr.trim()}`);
  // Also written in the repository itself, for git processes the platform does not start (http-backend).
  for (const [key, value] of [
    ['core.hooksPath', '/dev/null'],
    ['gc.auto', '0'],
    ['receive.fsckObjects', 'true'],
    ['fetch.fsckObjects', 'true'],
  ] as const) {
    await runGit(['config', key, value], { cwd: dir, timeoutMs: 10_000 });
  }
}

export interface SyncOptions {
  /** The external repository: https://, ssh:// or scp-like; file:// only when the policy allows it. */
  url: string;
  credentials?: RepositoryCredentials;
  /** One branch only; all branches and tags when absent. */
  branch?: string;
  /** SSRF policy (allow-list, accepted schemes). */
  policy?: RemoteUrlPolicy;
  timeoutMs?: number;
  /** Bytes one sync may add to the mirror (default 2 GiB); a bigger download is stopped. */
  maxFetchBytes?: number;
}

export interface SyncResult {
  /** Branch name → commit, as received. */
  heads: Record<string, string>;
  /** Commits newly kept under refs/dso/received by this sync. */
  newlyReceived: string[];
  /** The branch the remote's HEAD names (all-branch syncs only; undefined when the remote does not say). */
  remoteHead?: string;
}

const BRANCH = /^(?!-)(?!.*\.\.)(?!.*\/\/)(?!.*@\{)(?!.*\.lock$)(?!.*\/$)[A-Za-z0-9._/-]{1,200}$/;

export function isValidBranchName(name: string): boolean {
  return BRANCH.test(name) && !name.startsWith('/') && !name.endsWith('.');
}

const syncing = new Map<string, Promise<unknown>>();

/**
 * Fetches the external repository into the mirror and records every received head.
 * Syncs of one mirror are serialised within the process (git's ref locks would make a
 * concurrent one fail); across processes, the loser fails with a retryable git error.
 */
export function syncMirror(mirrorDir: string, options: SyncOptions): Promise<Result<SyncResult>> {
  const key = path.resolve(mirrorDir);
  const previous = syncing.get(key) ?? Promise.resolve();
  const next = previous.catch(() => {}).then(() => syncOnce(mirrorDir, options));
  syncing.set(key, next);
  void next.finally(() => {
    if (syncing.get(key) === next) syncing.delete(key);
  }).catch(() => {});
  return next;
}

async function syncOnce(mirrorDir: string, options: SyncOptions): Promise<Result<SyncResult>> {
  const policy = options.policy ?? {};
  const check = await checkRemoteUrl(options.url, policy);
  if (!check.ok) return { ok: false, failure: gitFailure('refused-url', undefined, check.message) };
  if (options.branch !== undefined && !isValidBranchName(options.branch)) {
    return {
      ok: false,
      failure: gitFailure('unknown-revision', undefined, {
        fr: `Nom de branche invalide : « ${options.branch.slice(0, 100)} ».`,
        en: `Invalid branch name: "${options.branch.slice(0, 100)}".`,
      }),
    };
  }
  await createMirror(mirrorDir);

  const refspecs = options.branch
    ? [`+refs/heads/${options.branch}:refs/heads/${options.branch}`]
    : ['+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'];
  const protocols = (policy.schemes ?? ['https']).join(':');
  const creds = await credentialEnvironment(options.credentials);
  let remoteHead: string | undefined;
  const growth = watchGrowth(mirrorDir, options.maxFetchBytes ?? 2 * 1024 ** 3);
  try {
    const fetch = await runGit(
      [
        'fetch',
        '--quiet',
        '--no-write-fetch-head',
        '--no-auto-gc',
        '--no-recurse-submodules',
        ...(options.branch ? [] : ['--prune']),
        '--end-of-options',
        options.url,
        ...refspecs,
      ],
      {
        cwd: mirrorDir,
        timeoutMs: options.timeoutMs ?? 10 * 60 * 1000,
        env: { ...creds.env, GIT_ALLOW_PROTOCOL: protocols },
        signal: growth.signal,
        config: {
          'http.lowSpeedLimit': '1000',
          'http.lowSpeedTime': '60',
          // A redirect could lead to an address the SSRF guard refused.
          'http.followRedirects': 'false',
          ...pinnedResolution(options.url, check),
        },
      },
    );
    if (growth.exceeded()) {
      return {
        ok: false,
        failure: gitFailure('too-large', undefined, {
          fr: `Le dépôt externe dépasse la taille autorisée pour une synchronisation (${options.maxFetchBytes ?? 2 * 1024 ** 3} octets).`,
          en: `The external repository exceeds the size allowed for one sync (${options.maxFetchBytes ?? 2 * 1024 ** 3} bytes).`,
        }),
      };
    }
    if (fetch.code !== 0 || fetch.timedOut) {
      return { ok: false, failure: classifyGitStderr(fetch.stderr, fetch.timedOut) };
    }
    if (!options.branch) {
      // Which branch the team calls its default: the repository's branch follows it until someone picks another.
      const symref = await runGit(['ls-remote', '--symref', '--end-of-options', options.url, 'HEAD'], {
        cwd: mirrorDir,
        timeoutMs: 60_000,
        env: { ...creds.env, GIT_ALLOW_PROTOCOL: protocols },
        config: { 'http.followRedirects': 'false', ...pinnedResolution(options.url, check) },
      });
      const named = /^ref: refs\/heads\/(\S+)\s+HEAD$/m.exec(symref.stdout)?.[1];
      if (symref.code === 0 && named && isValidBranchName(named)) remoteHead = named;
    }
  } finally {
    growth.stop();
    await creds.dispose();
  }

  const heads = await listHeads(mirrorDir);
  const chosen = options.branch ? { [options.branch]: heads[options.branch]! } : heads;
  const received = await receivedRevisions(mirrorDir);
  const newlyReceived = [...new Set(Object.values(chosen))].filter((sha) => sha && !received.has(sha));
  if (newlyReceived.length) {
    const stdin = newlyReceived.map((sha) => `update ${RECEIVED_REF_PREFIX}${sha} ${sha}\n`).join('');
    const keep = await runGit(['update-ref', '--stdin'], { cwd: mirrorDir, stdin, timeoutMs: 60_000 });
    if (keep.code !== 0) return { ok: false, failure: gitFailure('git-error', keep.stderr) };
  }
  if (remoteHead && heads[remoteHead]) await runGit(['symbolic-ref', 'HEAD', `refs/heads/${remoteHead}`], { cwd: mirrorDir, timeoutMs: 10_000 });
  else await pointHeadAtExistingBranch(mirrorDir, heads);
  return { ok: true, value: { heads: chosen, newlyReceived, ...(remoteHead ? { remoteHead } : {}) } };
}

/**
 * A repository hosted by the platform: the team pushed into the mirror itself. Nothing to fetch; every head is
 * kept under refs/dso/received like a synced one, and HEAD names a branch that exists (the one just pushed when
 * the repository was empty).
 */
export async function recordHostedHeads(mirrorDir: string): Promise<Result<SyncResult & { head: string | undefined }>> {
  const heads = await listHeads(mirrorDir);
  const received = await receivedRevisions(mirrorDir);
  const newlyReceived = [...new Set(Object.values(heads))].filter((sha) => !received.has(sha));
  if (newlyReceived.length) {
    const stdin = newlyReceived.map((sha) => `update ${RECEIVED_REF_PREFIX}${sha} ${sha}\n`).join('');
    const keep = await runGit(['update-ref', '--stdin'], { cwd: mirrorDir, stdin, timeoutMs: 60_000 });
    if (keep.code !== 0) return { ok: false, failure: gitFailure('git-error', keep.stderr) };
  }
  await pointHeadAtExistingBranch(mirrorDir, heads);
  const current = await runGit(['symbolic-ref', '--quiet', 'HEAD'], { cwd: mirrorDir, timeoutMs: 10_000 });
  const head = current.stdout.trim().replace(/^refs\/heads\//, '');
  return { ok: true, value: { heads, newlyReceived, head: heads[head] ? head : undefined } };
}

export async function listHeads(mirrorDir: string): Promise<Record<string, string>> {
  const r = await runGit(['for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads/'], { cwd: mirrorDir, timeoutMs: 60_000 });
  const heads: Record<string, string> = {};
  for (const line of r.stdout.split('\n')) {
    const [sha, ref] = line.split(' ');
    if (sha && ref?.startsWith('refs/heads/')) heads[ref.slice('refs/heads/'.length)] = sha;
  }
  return heads;
}

/** Every commit ever received into this mirror, force-pushed away or not. */
export async function receivedRevisions(mirrorDir: string): Promise<Set<string>> {
  const r = await runGit(['for-each-ref', '--format=%(objectname)', RECEIVED_REF_PREFIX], { cwd: mirrorDir, timeoutMs: 60_000 });
  return new Set(r.stdout.split('\n').filter(Boolean));
}

// A mirror whose HEAD names a missing branch clones as empty; follow what the team uses.
async function pointHeadAtExistingBranch(mirrorDir: string, heads: Record<string, string>): Promise<void> {
  const current = await runGit(['symbolic-ref', 'HEAD'], { cwd: mirrorDir, timeoutMs: 10_000 });
  const name = current.stdout.trim().replace(/^refs\/heads\//, '');
  if (heads[name]) return;
  const next = ['main', 'master'].find((b) => heads[b]) ?? Object.keys(heads).sort()[0];
  if (next) await runGit(['symbolic-ref', 'HEAD', `refs/heads/${next}`], { cwd: mirrorDir, timeoutMs: 10_000 });
}

/**
 * Makes git connect to the address the SSRF guard approved, so a DNS answer changing between
 * the check and the connection (rebinding) cannot send it elsewhere. HTTP(S) only: ssh
 * resolves on its own.
 */
function pinnedResolution(url: string, check: RemoteUrlCheck): Record<string, string> {
  if (!check.ok || (check.scheme !== 'https' && check.scheme !== 'http') || check.addresses.length === 0) return {};
  const parsed = new URL(url);
  if (isIP(check.host) || parsed.hostname !== check.host) return {}; // an IP literal needs no pinning
  const port = parsed.port || (check.scheme === 'https' ? '443' : '80');
  const address = check.addresses[0]!;
  return { 'http.curloptResolve': `${check.host}:${port}:${address.includes(':') ? `[${address}]` : address}` };
}

/**
 * git has no limit on what a fetch downloads, so a hostile server could fill the disk: the
 * pack folder is measured while git runs and the fetch is stopped past the allowance.
 */
function watchGrowth(mirrorDir: string, maxBytes: number) {
  const controller = new AbortController();
  const packDir = path.join(mirrorDir, 'objects', 'pack');
  let baseline: number | undefined;
  let over = false;
  const measure = async () => {
    let total = 0;
    try {
      for (const name of await readdir(packDir))
        total += (await stat(path.join(packDir, name)).catch(() => ({ size: 0 }))).size;
    } catch {
      /* folder not there yet */
    }
    return total;
  };
  void measure().then((b) => (baseline = b));
  const timer = setInterval(() => {
    void measure().then((now) => {
      if (baseline !== undefined && now - baseline > maxBytes && !over) {
        over = true;
        controller.abort();
      }
    });
  }, 100);
  return { signal: controller.signal, exceeded: () => over, stop: () => clearInterval(timer) };
}
