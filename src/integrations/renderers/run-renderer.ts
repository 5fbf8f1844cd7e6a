// How helm and kubectl run when they render a repository's charts and overlays: the repository is untrusted, so
// each run gets a scrubbed environment (no platform variable, no user configuration, no cluster credentials, a
// private empty home), no network when the platform can detach it (otherwise a proxy that goes nowhere), a time
// limit that kills the whole process group, and bounded output.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lowerPriority, OutputTail, superviseGroup } from '../process-group.ts';

export interface RendererRun {
  /** Exit code 0 and no limit hit. */
  ok: boolean;
  stdout: string;
  /** The end of stderr (first lines are often the useful ones, but the tail keeps the last error). */
  stderr: string;
  timedOut: boolean;
  /** Stdout exceeded `maxOutputBytes`; what was read is incomplete and must not be checked. */
  outputTooLarge: boolean;
  /** The binary could not be started. */
  startError?: string;
}

export interface RendererRunOptions {
  cwd: string;
  timeoutMs: number;
  maxOutputBytes: number;
  /** Network allowed (only to fetch chart dependencies from the platform's chart repository). */
  network?: boolean;
  signal?: AbortSignal;
}

/** Port 9 (discard) on loopback: a request through this proxy fails at once. */
const nowhere = 'http://127.0.0.1:9';

let isolationPrefix: string[] | null | undefined;

/** `unshare` arguments giving a new, empty network namespace (as root, or through a user namespace), or null. */
function networkIsolation(): string[] | null {
  if (isolationPrefix !== undefined) return isolationPrefix;
  isolationPrefix = null;
  for (const prefix of [['--net'], ['--user', '--map-root-user', '--net']]) {
    if (spawnSync('unshare', [...prefix, '--', 'true'], { stdio: 'ignore', timeout: 5_000 }).status === 0) {
      isolationPrefix = prefix;
      break;
    }
  }
  return isolationPrefix;
}

export async function runRenderer(binary: string, args: string[], options: RendererRunOptions): Promise<RendererRun> {
  const home = await mkdtemp(path.join(tmpdir(), 'dso-render-'));
  try {
    const env: NodeJS.ProcessEnv = {
      PATH: '/usr/bin:/bin',
      HOME: home,
      TMPDIR: home,
      LANG: 'C',
      LC_ALL: 'C',
      KUBECONFIG: path.join(home, 'kubeconfig'),
      HELM_CACHE_HOME: path.join(home, 'cache'),
      HELM_CONFIG_HOME: path.join(home, 'config'),
      HELM_DATA_HOME: path.join(home, 'data'),
      HELM_PLUGINS: path.join(home, 'plugins'),
      // Kustomize clones remote bases with git: no transport at all.
      GIT_ALLOW_PROTOCOL: 'none',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_TERMINAL_PROMPT: '0',
    };
    if (!options.network) Object.assign(env, { HTTP_PROXY: nowhere, HTTPS_PROXY: nowhere, http_proxy: nowhere, https_proxy: nowhere, NO_PROXY: '', no_proxy: '' });
    const isolation = options.network ? null : networkIsolation();
    const command = isolation ? 'unshare' : binary;
    const argv = isolation ? [...isolation, '--', binary, ...args] : args;
    return await new Promise<RendererRun>((resolve) => {
      const child = spawn(command, argv, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      lowerPriority(child);
      const out: Buffer[] = [];
      let outBytes = 0;
      let outputTooLarge = false;
      const err = new OutputTail(16 * 1024);
      const group = superviseGroup(child, Date.now() + options.timeoutMs, options.signal);
      child.stdout.on('data', (chunk: Buffer) => {
        if (outputTooLarge) return;
        outBytes += chunk.length;
        if (outBytes > options.maxOutputBytes) {
          outputTooLarge = true;
          out.length = 0;
          group.kill();
          return;
        }
        out.push(chunk);
      });
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', (error) => {
        group.done();
        resolve({ ok: false, stdout: '', stderr: '', timedOut: false, outputTooLarge: false, startError: error.message });
      });
      child.on('close', (code) => {
        group.done();
        resolve({
          ok: code === 0 && !group.timedOut && !outputTooLarge && !group.aborted,
          stdout: outputTooLarge ? '' : Buffer.concat(out).toString('utf8'),
          stderr: err.text(),
          timedOut: group.timedOut,
          outputTooLarge,
        });
      });
    });
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
