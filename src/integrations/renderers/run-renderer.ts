// How helm and kubectl run when they render a repository's charts and overlays: the repository is untrusted, so
// each run gets a scrubbed environment (no platform variable, no user configuration, no cluster credentials, a
// private empty home), a time limit that kills the whole process group, and bounded output. With bubblewrap it
// also sees only the repository (read-only), its own temporary folders, the binary and the system's programs
// (/usr), with no network: a symbolic link or a `.Files.Get` pointing at a platform file finds nothing. Without
// bubblewrap, the network is detached when the platform can (otherwise proxies that go nowhere), and charts are
// rendered from a copy without the links that leave the repository (helm.ts).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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
  /** Folders the run may read (the repository); with bubblewrap, nothing else of the machine is visible. */
  readable?: string[];
  /** Folders the run may write (its temporary copies); `cwd` and the private home are always writable. */
  writable?: string[];
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

let bubblewrap: boolean | undefined;

/** Whether bubblewrap runs here (installed, and namespaces allowed). */
export function bubblewrapUsable(): boolean {
  bubblewrap ??= spawnSync('bwrap', ['--unshare-all', '--die-with-parent', '--ro-bind', '/', '/', 'true'], { stdio: 'ignore', timeout: 5_000 }).status === 0;
  return bubblewrap;
}

const systemDirs = ['/usr', '/bin', '/lib', '/lib64', '/sbin'];

/** What a networked run needs of /etc: name resolution and the certificate authorities. */
const networkFiles = ['/etc/resolv.conf', '/etc/hosts', '/etc/nsswitch.conf', '/etc/ssl', '/etc/ca-certificates', '/etc/pki'];

function bubblewrapArgv(binary: string, args: string[], home: string, options: RendererRunOptions): string[] {
  const argv = ['--unshare-all', '--die-with-parent', '--new-session', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp'];
  if (options.network) {
    argv.push('--share-net');
    for (const file of networkFiles) if (existsSync(file)) argv.push('--ro-bind', file, file);
  }
  // The system's programs and libraries, read-only: a helm or kubectl found on PATH may be dynamically linked.
  for (const dir of systemDirs) if (existsSync(dir)) argv.push('--ro-bind', dir, dir);
  argv.push('--ro-bind', binary, binary);
  for (const dir of options.readable ?? []) argv.push('--ro-bind', dir, dir);
  for (const dir of new Set([home, options.cwd, ...(options.writable ?? [])])) argv.push('--bind', dir, dir);
  argv.push('--chdir', options.cwd, '--', binary, ...args);
  return argv;
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
    let command = binary;
    let argv = args;
    if (bubblewrapUsable()) {
      command = 'bwrap';
      argv = bubblewrapArgv(binary, args, home, options);
    } else {
      const isolation = options.network ? null : networkIsolation();
      if (isolation) {
        command = 'unshare';
        argv = [...isolation, '--', binary, ...args];
      }
    }
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
