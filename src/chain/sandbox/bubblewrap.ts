// The test command's sandbox: Debian's bubblewrap (bwrap, the sandbox Flatpak relies on). The command gets its own
// user, PID, network (loopback only), IPC, UTS and cgroup namespaces, and a mount namespace built from nothing: its
// copy of the checkout (read-write), a private /tmp and home, the system read-only (/usr and the /bin, /lib… links),
// the toolchains the platform declares (DSO_SANDBOX_TOOLCHAINS), and a generated /etc. Nothing of the data folder,
// of other runs or projects, nor the host's /home, /root, /var or /tmp exists in it. `--die-with-parent` and the PID
// namespace end every process of the run with the platform process, even after a kill -9.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { NOBODY, runPlanned, runsAsRoot, type SandboxLayout, type TestExecutor } from './run-tests.ts';

/** Where the checkout, home and /tmp appear inside the sandbox. */
export const sandboxPaths = { workDir: '/workspace', home: '/home/sandbox', tmp: '/tmp' } as const;

/** Host /etc entries the command may read (dynamic linker cache, alternatives links of the toolchains, CA store). */
const hostEtc = ['alternatives', 'ssl/certs', 'ld.so.cache', 'ld.so.conf', 'ld.so.conf.d', 'localtime', 'mime.types', 'maven'];
/** The top-level system links or folders (merged /usr on Debian: links to usr/…). */
const systemRoots = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

/** As root, bwrap would map the sandbox user to host root: it runs as nobody instead (unprivileged namespaces). */
export function dropToNobody(): string[] {
  return runsAsRoot() ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--no-new-privs', '--'] : [];
}

function etcEntries(): string[] {
  let javaConf: string[] = [];
  try {
    javaConf = readdirSync('/etc').filter((n) => /^java-\d+(-openjdk)?$/.test(n));
  } catch {
    // No /etc listing: no JDK configuration to give.
  }
  return [...hostEtc, ...javaConf].filter((entry) => existsSync(path.join('/etc', entry)));
}

/** The system part of the mount table, the same for every run (probed on the host once). */
let systemArgs: string[] | undefined;
export function systemMounts(): string[] {
  if (systemArgs) return systemArgs;
  const args = ['--ro-bind', '/usr', '/usr'];
  for (const root of systemRoots) {
    let stat;
    try {
      stat = lstatSync(root);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) args.push('--symlink', readlinkSync(root), root);
    else if (stat.isDirectory()) args.push('--ro-bind', root, root);
  }
  systemArgs = args;
  return args;
}

/** Writes the sandbox's own /etc: one user (nobody), loopback hosts, no name server, mount points for host entries. */
export async function generateEtc(dir: string, entries: string[]): Promise<void> {
  await mkdir(dir, { mode: 0o755 });
  const files: Record<string, string> = {
    passwd: `root:x:0:0:root:/root:/usr/sbin/nologin\nsandbox:x:${NOBODY}:${NOBODY}:DSO test sandbox:${sandboxPaths.home}:/bin/sh\n`,
    group: `root:x:0:\nsandbox:x:${NOBODY}:\n`,
    hosts: '127.0.0.1\tlocalhost sandbox\n::1\tlocalhost ip6-localhost ip6-loopback\n',
    'resolv.conf': '# No network in the DSO π test sandbox.\n',
    'nsswitch.conf': 'passwd: files\ngroup: files\nhosts: files\n',
    hostname: 'sandbox\n',
  };
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text, { mode: 0o644 });
  for (const entry of entries) {
    const target = path.join(dir, entry);
    await mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
    // A mount point of the same kind as the host entry (a file cannot be bound on a folder).
    let folder = false;
    try {
      folder = statSync(path.join('/etc', entry)).isDirectory();
    } catch {
      continue;
    }
    if (folder) await mkdir(target, { recursive: true, mode: 0o755 });
    else await writeFile(target, '', { mode: 0o644 });
  }
}

/** The bwrap command line for one run (pure: the layout and the toolchains in, argv out). */
export function bubblewrapArgs(
  layout: SandboxLayout & { etc: string },
  toolchains: readonly string[],
  etc: readonly string[],
  system = systemMounts(),
): string[] {
  return [
    ...dropToNobody(),
    'bwrap',
    '--unshare-all', // user, ipc, pid, net, uts, cgroup: no network but loopback
    '--die-with-parent',
    '--new-session', // no terminal of the platform to inject keystrokes into
    '--hostname',
    'sandbox',
    ...system,
    ...toolchains.flatMap((dir) => ['--ro-bind', dir, dir]),
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--ro-bind',
    layout.etc,
    '/etc',
    ...etc.flatMap((entry) => ['--ro-bind', path.join('/etc', entry), path.join('/etc', entry)]),
    '--bind',
    layout.tmp,
    sandboxPaths.tmp,
    '--bind',
    layout.home,
    sandboxPaths.home,
    '--bind',
    layout.workDir,
    sandboxPaths.workDir,
    '--chdir',
    sandboxPaths.workDir,
    '--',
  ];
}

const availability = new Map<string, { ok: true } | { ok: false; reason: string }>();

/** Whether bwrap starts a sandbox here (installed, namespaces allowed). Probed once per toolchain list. */
export function bubblewrapAvailable(toolchains: readonly string[] = []): { ok: true } | { ok: false; reason: string } {
  const key = toolchains.join('\n');
  const known = availability.get(key);
  if (known) return known;
  const argv = [...dropToNobody(), 'bwrap', '--unshare-all', '--die-with-parent', ...systemMounts(), ...toolchains.flatMap((d) => ['--ro-bind', d, d]), '--proc', '/proc', '--dev', '/dev', '--', '/bin/sh', '-c', 'exit 0'];
  const probe = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 10_000 });
  const result: { ok: true } | { ok: false; reason: string } =
    probe.status === 0
      ? { ok: true }
      : { ok: false, reason: probe.error ? `bwrap: ${(probe.error as NodeJS.ErrnoException).code ?? probe.error.message}` : (probe.stderr || `bwrap exited with ${probe.status}`).trim().slice(0, 300) };
  availability.set(key, result);
  return result;
}

export function bubblewrapExecutor(toolchains: readonly string[] = []): TestExecutor {
  return {
    kind: 'bubblewrap',
    run: (request) =>
      runPlanned(request, async (layout) => {
        const etc = path.join(layout.base, 'etc');
        const entries = etcEntries();
        await generateEtc(etc, entries);
        return {
          prefix: bubblewrapArgs({ ...layout, etc }, toolchains, entries),
          cwd: layout.workDir,
          home: sandboxPaths.home,
          tmp: sandboxPaths.tmp,
          isolation: { sandbox: 'bubblewrap', filesystem: true, network: true, unprivilegedUser: true },
        };
      }),
  };
}
